"""Getting people into their accounts: activation links for a whole unit (accounts made by imports and
Data Master have no password), the forgotten-password request, and the e-mail that carries a link.

E-mail is optional: `send_links` sends each link through `portal.mail` (plain text) to the address of
PORTAL_BASE_URL (never a request's Host header: a forged one would put an attacker's site in the
e-mail); while SMTP is not configured (PORTAL_SMTP_HOST) nothing is sent and HR hands the links out
(printable list, CSV)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlmodel import Session

from portal import i18n, mail
from portal.db import dialect
from portal.i18n import _, format_datetime
from portal.models import Employee, PasswordResetRequest, utcnow
from portal.services.accounts import tokens
from portal.services.accounts._audit import audit
from portal.settings import Settings

log = logging.getLogger("portal.accounts")

MAX_PER_ISSUE = 2000  # links made by one click (a unit and its sub-units)
RESET_LINK_HOURS = 1  # a link a person asked for by e-mail (forgotten password)
RESET_WINDOW = timedelta(hours=1)
RESET_PER_NIP = 3  # requests for one NIP per window, whether it exists or not
RESET_PER_ADDRESS = 10  # requests from one address per window


# --------------------------------------------------------------------------- a unit's hand-out


@dataclass(frozen=True)
class UnitCandidates:
    without_password: int  # active accounts of the units that never had a password
    with_email: int  # ... of which have an e-mail address
    admin_only: int  # ... of which are administrators (HR may not issue theirs)


def _without_password(unit_ids: list[int], dialect_name: str):  # noqa: ANN202
    return tokens.target_select().where(
        Employee.password_hash.is_(None), dialect.in_ids(Employee.unit_id, unit_ids, dialect_name)
    )


def unit_candidates(session: Session, unit_ids: list[int]) -> UnitCandidates:
    """How many people of the units (the caller lists the unit and, if wanted, its sub-units) have no
    password yet. One query."""
    people = _without_password(unit_ids, dialect.name_of(session)).subquery()
    row = session.execute(
        select(
            func.count().label("n"),
            func.count(people.c.email).label("with_email"),
            func.coalesce(func.sum(case((people.c.is_admin, 1), else_=0)), 0).label("admins"),
        ).select_from(people)
    ).mappings().one()
    return UnitCandidates(int(row["n"]), int(row["with_email"]), int(row["admins"]))


def issue_for_units(session: Session, actor_id: int, actor_is_admin: bool, unit_ids: list[int]) -> list[tokens.IssuedLink] | None:
    """Activation links (valid LINK_DAYS) for everyone in the units without a password, by unit and
    name; administrators only when an admin issues. Committed. At most MAX_PER_ISSUE at once (more:
    None, nothing issued; the caller asks for a smaller unit)."""
    stmt = _without_password(unit_ids, dialect.name_of(session)).order_by(Employee.unit_id, Employee.name, Employee.id)
    if not actor_is_admin:
        stmt = stmt.where(Employee.is_admin.is_(False))
    targets = tokens.targets_of(session, stmt.limit(MAX_PER_ISSUE + 1))
    if len(targets) > MAX_PER_ISSUE:
        return None
    if not targets:
        return []
    links = tokens.issue(session, targets, actor_id, tokens.LINK_DAYS * 24)
    session.commit()
    return links


# --------------------------------------------------------------------------- forgotten password


@dataclass(frozen=True)
class ResetRequest:
    throttled: bool
    link: tokens.IssuedLink | None = None  # made only for a person with an e-mail, when mail is on


def clean_nip(text: str) -> str:
    return "".join(text.split())[:40]


def request_reset(session: Session, settings: Settings, nip_text: str, ip: str, now: datetime | None = None) -> ResetRequest:
    """A "forgotten password" request. Counted per NIP (as typed) and per address whether the NIP exists
    or not, so the limit tells nothing; past it, nothing happens. A link (valid RESET_LINK_HOURS) is made
    only when e-mail is on and the NIP names an active account with an e-mail address; it does not cancel
    links HR handed out. Committed."""
    now = now or utcnow()
    nip = clean_nip(nip_text)
    ip = ip[:64]
    since = now - RESET_WINDOW
    counts = session.execute(
        select(
            select(func.count()).where(PasswordResetRequest.nip == nip, PasswordResetRequest.at >= since).scalar_subquery().label("nip"),
            select(func.count()).where(PasswordResetRequest.ip == ip, PasswordResetRequest.at >= since).scalar_subquery().label("ip"),
        )
    ).mappings().one()
    if counts["nip"] >= RESET_PER_NIP or counts["ip"] >= RESET_PER_ADDRESS:
        return ResetRequest(throttled=True)
    session.add(PasswordResetRequest(nip=nip, ip=ip, at=now))
    link = None
    if mail_enabled(settings):
        found = tokens.targets_of(session, tokens.target_select().where(Employee.nip == nip, Employee.email.isnot(None), Employee.email != ""))
        if found:
            link = tokens.issue(session, found, None, RESET_LINK_HOURS, replace=False, now=now)[0]
            audit(session, None, "password.reset_request", f"employee:{found[0].id}", f"ip: {ip or '-'}")
    session.commit()
    return ResetRequest(throttled=False, link=link)


# --------------------------------------------------------------------------- e-mail


def mail_enabled(settings: Settings) -> bool:
    """E-mail can carry links: SMTP is configured (PORTAL_SMTP_HOST; in production the settings then
    require PORTAL_BASE_URL, the address the links point to)."""
    return mail.configured(settings)


def link_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/aktivasi/{code}"


def message(link: tokens.IssuedLink, url: str, settings: Settings) -> tuple[str, str]:
    """Subject and plain text of the e-mail carrying a link (short), in the language of the running
    context: `send_links` renders each one in its recipient's (`i18n.use_locale`)."""
    expires = format_datetime(link.expires_at, i18n.current_locale(), settings.timezone)
    if link.purpose == "activation":
        subject = _("Aktifkan akun Portal Kompetensi ASN Anda")
        first = _("Akun Portal Kompetensi ASN untuk NIP %(nip)s sudah dibuat. Buka tautan berikut untuk membuat kata sandi:")
    else:
        subject = _("Atur ulang kata sandi Portal Kompetensi ASN")
        first = _("Ada permintaan mengatur ulang kata sandi untuk NIP %(nip)s. Buka tautan berikut untuk membuat kata sandi baru:")
    lines = [
        _("Yth. %(name)s,") % {"name": link.name},
        "",
        first % {"nip": link.nip},
        url,
        "",
        _("Tautan ini hanya dapat dipakai sekali dan berlaku sampai %(t)s.") % {"t": expires},
        _("Jika Anda tidak memintanya, abaikan email ini; kata sandi Anda tidak berubah."),
        "",
        _("BKPSDM"),
    ]
    return subject, "\n".join(lines)


def send_links(settings: Settings, links: list[tokens.IssuedLink]) -> int:
    """E-mail each link to its person's address (those without one are skipped) on one SMTP connection,
    each in the language chosen on the person's account (the portal's when none);
    returns how many were sent. Does nothing (0) while SMTP is not configured. Never raises: a refused
    address or a dead server is logged by portal.mail (without the link) and counted out."""
    if not mail_enabled(settings):
        return 0
    sent = 0
    with mail.Mailer(settings) as mailer:
        for link in links:
            if not link.email:
                continue
            with i18n.use_locale(link.locale or settings.locale):  # the recipient's language
                subject, text = message(link, link_url(settings.base_url, link.code), settings)
            result = mailer.send(link.email, subject, text)
            if result.sent:
                sent += 1
            else:
                log.warning("a %s link for employee %s was not e-mailed: %s", link.purpose, link.employee_id, result.code)
    return sent
