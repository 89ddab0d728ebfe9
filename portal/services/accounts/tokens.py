"""One-time links that set a password: the code, its hash, issuing, finding and using a link.

A link is `<site>/aktivasi/<code>`. The code is 20 characters of Crockford's base32 (100 random bits),
shown in groups of four (`K7QM-3XRT-9D2F-HV6B-1NCP`) so that it can be typed from a printed hand-out at
`<site>/aktivasi`; lower case, spaces, dashes, and I/L/O for 1/1/0 are forgiven. Only its SHA-256 is
stored (`accounttoken.token_hash`): the code is shown or sent once, when it is made. A link works once
(`used_at`, set by a conditional UPDATE, so two submits of the same form cannot both use it), until it
expires, and only while the account may log in. Issuing a link to a person replaces their unused ones
(except a forgotten-password e-mail, which must not cancel a hand-out from HR)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import security
from portal.models import AccountToken, Employee, Unit, utcnow
from portal.services.accounts import login, passwords, sessions
from portal.services.accounts._audit import audit
from portal.settings import Settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
CODE_LENGTH = 20
LINK_DAYS = 7  # a link issued by HR or an admin (activation or reset)
PURPOSE_LABELS = {"activation": "aktivasi", "reset": "atur ulang kata sandi"}  # for the audit log


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str | None:
    """The code as typed or taken from a URL, in its stored form; None when it cannot be one."""
    compact = "".join(c for c in text.upper() if c not in "- \t")
    compact = compact.translate(str.maketrans("ILO", "110"))
    if len(compact) != CODE_LENGTH or any(c not in ALPHABET for c in compact):
        return None
    return compact


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    """A link just made: the only moment its code is known."""

    employee_id: int
    nip: str
    name: str
    email: str | None
    unit: str | None
    purpose: str
    code: str  # shown form, with dashes
    expires_at: datetime
    locale: str | None = None  # the language chosen on the account (None: the portal's), for its e-mail


@dataclass(frozen=True)
class Target:
    """A person a link may be issued for."""

    id: int
    nip: str
    name: str
    email: str | None
    unit: str | None
    is_admin: bool
    has_password: bool
    locale: str | None = None


def may_issue(actor_is_admin: bool, target_is_admin: bool) -> bool:
    """HR may issue links for everyone but an administrator (a link sets the password: it would hand the
    admin's account to HR); an admin may for everyone."""
    return actor_is_admin or not target_is_admin


def target_select():  # noqa: ANN201
    """People who may get a link: active, their account not switched off."""
    return (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.email,
            Unit.name.label("unit"),
            Employee.is_admin,
            Employee.password_hash.isnot(None).label("has_password"),
            Employee.locale,
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .where(Employee.is_active.is_(True), Employee.account_disabled.is_(False))
    )


def issue(
    session: Session, targets: list[Target], actor_id: int | None, hours: int, *, replace: bool = True, now: datetime | None = None
) -> list[IssuedLink]:
    """A new link for each target (activation without a password, reset with one), audited one entry per
    person as `account.link_issued`; not committed. `replace`: the targets' unused links stop working."""
    now = now or utcnow()
    expires_at = now + timedelta(hours=hours)
    ids = [t.id for t in targets]
    if replace and ids:
        for chunk in range(0, len(ids), 500):
            session.execute(
                delete(AccountToken).where(AccountToken.employee_id.in_(ids[chunk : chunk + 500]), AccountToken.used_at.is_(None))
            )
    links, rows, events = [], [], []
    for t in targets:
        code = new_code()
        purpose = "reset" if t.has_password else "activation"
        links.append(IssuedLink(t.id, t.nip, t.name, t.email, t.unit, purpose, shown_code(code), expires_at, t.locale))
        rows.append({"token_hash": code_hash(code), "purpose": purpose, "employee_id": t.id, "created_by": actor_id,
                     "created_at": now, "expires_at": expires_at})
        events.append((t.id, purpose))
    if rows:
        session.execute(insert(AccountToken), rows)
    for employee_id, purpose in events:
        detail = f"tujuan: {PURPOSE_LABELS[purpose]}; berlaku {hours} jam"
        audit(session, actor_id, "account.link_issued", f"employee:{employee_id}", detail)
    return links


def targets_of(session: Session, stmt: Any) -> list[Target]:
    return [Target(**r) for r in session.execute(stmt).mappings()]


def issue_for_person(session: Session, actor_id: int, actor_is_admin: bool, employee_id: int) -> IssuedLink | str:
    """A link for one person, issued by HR or an admin from the person's page (committed), or why not:
    "not_found", "cannot_log_in" (left or switched off), "admin_only"."""
    if session.get(Employee, employee_id) is None:
        return "not_found"
    found = targets_of(session, target_select().where(Employee.id == employee_id))
    if not found:
        return "cannot_log_in"
    if not may_issue(actor_is_admin, found[0].is_admin):
        return "admin_only"
    link = issue(session, found, actor_id, LINK_DAYS * 24)[0]
    session.commit()
    return link


# --------------------------------------------------------------------------- state and use


@dataclass(frozen=True)
class LinkState:
    purpose: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    created_by: str | None  # the issuer's name; None: asked for by the person

    def status(self, now: datetime) -> str:
        """"used", "expired" or "open"."""
        return "used" if self.used_at else ("expired" if self.expires_at <= now else "open")


@dataclass(frozen=True)
class AccountState:
    """A person's account as HR sees it on the person's page."""

    has_password: bool
    can_log_in: bool  # active and not switched off
    disabled: bool
    last_link: LinkState | None


def account_state(session: Session, employee_id: int) -> AccountState | None:
    """Two queries: the account, its newest link."""
    row = session.execute(
        select(Employee.password_hash.isnot(None).label("has_password"), Employee.is_active, Employee.account_disabled).where(
            Employee.id == employee_id
        )
    ).mappings().first()
    if row is None:
        return None
    issuer = aliased(Employee)
    link = session.execute(
        select(AccountToken.purpose, AccountToken.created_at, AccountToken.expires_at, AccountToken.used_at, issuer.name.label("created_by"))
        .outerjoin(issuer, issuer.id == AccountToken.created_by)
        .where(AccountToken.employee_id == employee_id)
        .order_by(AccountToken.created_at.desc(), AccountToken.id.desc())
        .limit(1)
    ).mappings().first()
    return AccountState(
        bool(row["has_password"]),
        bool(row["is_active"]) and not row["account_disabled"],
        bool(row["account_disabled"]),
        LinkState(**link) if link else None,
    )


@dataclass(frozen=True)
class LinkInfo:
    token_id: int
    employee_id: int
    nip: str
    name: str
    purpose: str
    expires_at: datetime


def find(session: Session, text: str, now: datetime | None = None) -> LinkInfo | None:
    """The link a code names while it can still be used (unused, not expired, the account may log in);
    None for every other case alike (unknown, used, expired, account off), so a page tells nothing more."""
    code = normalise_code(text)
    if code is None:
        return None
    now = now or utcnow()
    row = session.execute(
        select(AccountToken.id.label("token_id"), AccountToken.employee_id, Employee.nip, Employee.name, AccountToken.purpose,
               AccountToken.expires_at)
        .join(Employee, Employee.id == AccountToken.employee_id)
        .where(
            AccountToken.token_hash == code_hash(code),
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
            Employee.is_active.is_(True),
            Employee.account_disabled.is_(False),
        )
    ).mappings().first()
    return LinkInfo(**row) if row else None


@dataclass
class UseOutcome:
    info: LinkInfo | None  # None: the link cannot be used (any reason)
    errors: dict[str, str]
    token: str | None = None  # the new session's, when the password was set


def use(session: Session, settings: Settings, text: str, data: dict[str, Any], ip: str, user_agent: str) -> UseOutcome:
    """Set the password through a link and log the person in: the link is spent by a conditional UPDATE
    (of two submits racing, one wins; the other finds the link used), the person's other links stop
    working, every session of theirs ends and their login failures are cleared. Audited as `password.set`."""
    info = find(session, text)
    if info is None:
        return UseOutcome(None, {})
    new, errors = passwords.check_new(data, nip=info.nip, name=info.name)
    if errors:
        return UseOutcome(info, errors)
    password_hash = security.hash_password(new)  # slow: before the write transaction
    now = utcnow()
    spent = session.execute(
        update(AccountToken)
        .where(AccountToken.id == info.token_id, AccountToken.used_at.is_(None), AccountToken.expires_at > now)
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        session.rollback()
        return UseOutcome(None, {})
    session.execute(update(Employee).where(Employee.id == info.employee_id).values(password_hash=password_hash))
    session.execute(delete(AccountToken).where(AccountToken.employee_id == info.employee_id, AccountToken.used_at.is_(None)))
    sessions.end_sessions_of(session, info.employee_id)
    login.clear_failures(session, info.nip)
    token = sessions.start_session(session, info.employee_id, ip, user_agent, now)
    audit(session, info.employee_id, "password.set", f"employee:{info.employee_id}", f"lewat tautan {PURPOSE_LABELS[info.purpose]}")
    session.commit()
    return UseOutcome(info, {}, token)
