"""Accounts as the administrator manages them (/admin/akun): the list, one account, the HR and admin
roles, switching an account off and on, unlocking a NIP, ending sessions. Every change is audited.

The last-admin rule: there is always at least one active administrator (admin role, employee active,
account on). A change that could break it (revoking the admin role, switching an account off, Data
Master deactivating an employee) takes the "admins" edit lock first (PostgreSQL: an advisory lock; SQLite
lets one writer at a time), writes, then counts: when no active administrator is left it rolls back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from sqlalchemy import delete, func, or_, select, update
from sqlmodel import Session

from portal.db import dialect
from portal.models import AccountToken, Employee, LoginFailure, Position, Unit, utcnow
from portal.services.accounts import login, sessions, tokens
from portal.services.accounts._audit import audit
from portal.settings import Settings

PAGE_SIZE = 25
ROLE_FILTERS = ("semua", "admin", "hr", "nonaktif", "tanpa-sandi")
ROLES = {"hr": Employee.is_hr, "admin": Employee.is_admin}
ROLE_LABELS = {"hr": "BKPSDM", "admin": "admin"}  # for the audit log
ADMINS_LOCK = "admins"


# --------------------------------------------------------------------------- the last-admin rule


def _active_admin():  # noqa: ANN202
    return (Employee.is_admin.is_(True), Employee.is_active.is_(True), Employee.account_disabled.is_(False))


def active_admins(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(Employee).where(*_active_admin())).scalar_one())


def lock_admins(session: Session) -> None:
    """Before a write that could leave no active administrator (see the module's docstring)."""
    dialect.serialise_edits(session.connection(), ADMINS_LOCK)


def is_active_admin(session: Session, employee_id: int) -> bool:
    return session.execute(select(Employee.id).where(Employee.id == employee_id, *_active_admin())).first() is not None


# --------------------------------------------------------------------------- list and one account


@dataclass
class AccountPage:
    rows: list[dict]
    page: int
    pages: int
    total: int


def list_accounts(session: Session, q: str = "", role: str = "semua", page: int = 1) -> AccountPage:
    """Accounts by name, searched by name or NIP, filtered by role or state. Two queries."""
    filters = []
    if q:
        filters.append(or_(func.lower(Employee.name).like(f"%{q.lower()}%"), Employee.nip.like(f"%{q}%")))
    if role in ROLES:
        filters.append(ROLES[role].is_(True))
    elif role == "nonaktif":
        filters.append(or_(Employee.is_active.is_(False), Employee.account_disabled.is_(True)))
    elif role == "tanpa-sandi":
        filters.append(Employee.password_hash.is_(None))
    total = int(session.execute(select(func.count()).select_from(Employee).where(*filters)).scalar_one())
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(
            Employee.id, Employee.nip, Employee.name, Employee.is_hr, Employee.is_admin, Employee.is_active,
            Employee.account_disabled, Employee.password_hash.isnot(None).label("has_password"), Unit.name.label("unit"),
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .where(*filters)
        .order_by(Employee.name, Employee.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).mappings()
    return AccountPage([dict(r) for r in rows], page, pages, total)


@dataclass
class Account:
    id: int
    nip: str
    name: str
    email: str | None
    unit: str | None
    position: str | None
    is_hr: bool
    is_admin: bool
    is_active: bool
    account_disabled: bool
    has_password: bool
    failures: int = 0  # recent login failures of the NIP (within the lock period)
    locked: bool = False
    sessions: list[sessions.ActiveSession] = field(default_factory=list)
    last_link: tokens.LinkState | None = None

    @property
    def can_log_in(self) -> bool:
        return self.is_active and not self.account_disabled


def account(session: Session, settings: Settings, employee_id: int, current_key: str | None = None) -> Account | None:
    """One account with its login failures, active sessions and newest link. Five queries."""
    row = session.execute(
        select(
            Employee.id, Employee.nip, Employee.name, Employee.email, Unit.name.label("unit"), Position.name.label("position"),
            Employee.is_hr, Employee.is_admin, Employee.is_active, Employee.account_disabled,
            Employee.password_hash.isnot(None).label("has_password"),
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.id == employee_id)
    ).mappings().first()
    if row is None:
        return None
    found = Account(**row)
    now = utcnow()
    found.failures = int(
        session.execute(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.nip == found.nip, LoginFailure.at >= login.failures_expire_before(settings, now))
        ).scalar_one()
    )
    found.locked = found.failures >= settings.login_max_failures and login.is_locked(session, settings, found.nip, "", now)
    found.sessions = sessions.active_sessions(session, settings, employee_id, current_key)
    state = tokens.account_state(session, employee_id)
    found.last_link = state.last_link if state else None
    return found


@dataclass(frozen=True)
class LockedNip:
    nip: str
    failures: int
    last_at: datetime
    name: str | None  # the account's, when the NIP has one


def locked_nips(session: Session, settings: Settings, limit: int = 50) -> list[LockedNip]:
    """NIPs locked now (too many recent failures), newest failure first; at most `limit`. Two queries
    and one check per candidate (few: a candidate has at least `login_max_failures` recent failures)."""
    now = utcnow()
    rows = session.execute(
        select(LoginFailure.nip, func.count().label("failures"), func.max(LoginFailure.at).label("last_at"), Employee.name)
        .outerjoin(Employee, Employee.nip == LoginFailure.nip)
        .where(LoginFailure.at >= login.failures_expire_before(settings, now))
        .group_by(LoginFailure.nip, Employee.name)
        .having(func.count() >= settings.login_max_failures)
        .order_by(func.max(LoginFailure.at).desc())
        .limit(limit)
    ).mappings()
    return [LockedNip(**r) for r in rows if login.is_locked(session, settings, r["nip"], "", now)]


# --------------------------------------------------------------------------- changes


def set_role(session: Session, actor_id: int, employee_id: int, role: str, grant: bool) -> str:
    """Grant or revoke the HR or admin role: "ok", "unchanged", "not_found" or "last_admin" (revoking
    the admin role of the last active administrator). Committed."""
    column = ROLES[role]
    current = session.execute(select(column).where(Employee.id == employee_id)).scalar_one_or_none()
    if current is None:
        return "not_found"
    if bool(current) == grant:
        return "unchanged"
    if role == "admin" and not grant:
        lock_admins(session)
    session.execute(update(Employee).where(Employee.id == employee_id).values({column.key: grant}))
    if role == "admin" and not grant and active_admins(session) == 0:
        session.rollback()
        return "last_admin"
    action = "account.role_grant" if grant else "account.role_revoke"
    audit(session, actor_id, action, f"employee:{employee_id}", f"peran: {ROLE_LABELS[role]}")
    session.commit()
    return "ok"


def set_disabled(session: Session, actor_id: int, employee_id: int, disabled: bool) -> str:
    """Switch an account off (no login, its sessions end, its unused links stop working) or on again:
    "ok", "unchanged", "not_found", "self" (switching off one's own account) or "last_admin". Committed."""
    current = session.execute(select(Employee.account_disabled).where(Employee.id == employee_id)).scalar_one_or_none()
    if current is None:
        return "not_found"
    if bool(current) == disabled:
        return "unchanged"
    if disabled and employee_id == actor_id:
        return "self"
    if disabled:
        lock_admins(session)
    session.execute(update(Employee).where(Employee.id == employee_id).values(account_disabled=disabled))
    if disabled:
        if active_admins(session) == 0:
            session.rollback()
            return "last_admin"
        ended = sessions.end_sessions_of(session, employee_id)
        session.execute(delete(AccountToken).where(AccountToken.employee_id == employee_id, AccountToken.used_at.is_(None)))
        audit(session, actor_id, "account.disable", f"employee:{employee_id}", f"sesi diakhiri: {ended}")
    else:
        audit(session, actor_id, "account.enable", f"employee:{employee_id}")
    session.commit()
    return "ok"


def unlock(session: Session, actor_id: int, nip: str) -> int:
    """Clear the NIP's login failures (the lock ends). Audited when there was something to clear;
    returns how many failures were cleared. Committed."""
    nip = nip.strip()[:40]
    cleared = login.clear_failures(session, nip)
    if cleared:
        employee_id = session.execute(select(Employee.id).where(Employee.nip == nip)).scalar_one_or_none()
        target = f"employee:{employee_id}" if employee_id else ""
        audit(session, actor_id, "account.unlock", target, f"nip: {login.shown_nip(nip)}; kegagalan dihapus: {cleared}")
    session.commit()
    return cleared


def end_sessions(session: Session, actor_id: int, employee_id: int, ref: str | None, keep_key: str | None) -> int:
    """End one session of the person (`ref`) or all of them (None), never `keep_key` (the admin's own
    current one: that is what "Keluar" is for). Returns how many ended; audited when any did. Committed."""
    if ref is None:
        ended = sessions.end_sessions_of(session, employee_id, keep_key)
    else:
        key = sessions.session_key_of(session, employee_id, ref)
        if key is None or key == keep_key:
            return 0
        ended = sessions.end_sessions_of_keys(session, [key])
    if ended:
        audit(session, actor_id, "account.sessions_end", f"employee:{employee_id}", f"sesi diakhiri: {ended}")
    session.commit()
    return ended
