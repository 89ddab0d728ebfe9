"""Accounts: login with throttling, database-backed sessions, the current user's roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import security
from portal.models import (
    AuditEvent,
    Employee,
    LoginFailure,
    Position,
    Unit,
    UserSession,
    utcnow,
)
from portal.settings import Settings

SESSION_TOUCH_SECONDS = 60


@dataclass(frozen=True)
class CurrentUser:
    id: int
    nip: str
    name: str
    unit_name: str | None
    position_name: str | None
    is_hr: bool
    is_admin: bool
    is_supervisor: bool
    session_key: str
    has_flash: bool = False

    @property
    def roles(self) -> tuple[str, ...]:
        roles = ["employee"]
        if self.is_supervisor:
            roles.append("supervisor")
        if self.is_hr:
            roles.append("hr")
        if self.is_admin:
            roles.append("admin")
        return tuple(roles)

    @property
    def is_hr_or_admin(self) -> bool:
        return self.is_hr or self.is_admin


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    employee_id: int | None = None
    token: str | None = None
    locked: bool = False


def audit(session: Session, actor_id: int | None, action: str, target: str = "", detail: str = "") -> None:
    session.add(AuditEvent(actor_id=actor_id, action=action, target=target, detail=detail[:4000]))


def _nip_locked(times: list[datetime], settings: Settings, lock_start: datetime) -> bool:
    """Locked when `max` failures (newest first in `times`) fell within one window and the newest is
    within the lock period."""
    n = settings.login_max_failures
    if len(times) < n:
        return False
    newest, kth = times[0], times[n - 1]
    return newest - kth <= timedelta(minutes=settings.login_window_minutes) and newest >= lock_start


def is_locked(session: Session, settings: Settings, nip: str, ip: str, now: datetime) -> bool:
    """True while the NIP (or the client address) has too many recent failures (read only)."""
    return _throttle(session, settings, nip, ip, now, exclude_id=None) != "open"


def _throttle(session: Session, settings: Settings, nip: str, ip: str, now: datetime, exclude_id: int | None) -> str:
    """"open", "nip" (the NIP is locked, but this address has not failed for it) or "locked", from
    the committed failures other than `exclude_id` (the attempt being decided). 2-3 queries."""
    window_start = now - timedelta(minutes=settings.login_window_minutes)
    lock_start = now - timedelta(minutes=settings.login_lock_minutes)
    others = [LoginFailure.id != exclude_id] if exclude_id is not None else []
    if ip:
        ip_count = session.execute(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.ip == ip, LoginFailure.at >= window_start, *others)
        ).scalar_one()
        if ip_count >= settings.ip_max_failures:
            return "locked"
    since = min(window_start, lock_start)
    times = list(
        session.execute(
            select(LoginFailure.at)
            .where(LoginFailure.nip == nip, LoginFailure.at >= since, *others)
            .order_by(LoginFailure.at.desc())
            .limit(settings.login_max_failures)
        ).scalars()
    )
    if not _nip_locked(times, settings, lock_start):
        return "open"
    # the lock never shuts out the owner: the right password still opens it from an address that has
    # not failed for this NIP (see docs/operations.md, "Login throttling")
    failed_here = session.execute(
        select(LoginFailure.id).where(LoginFailure.nip == nip, LoginFailure.ip == ip, LoginFailure.at >= since, *others).limit(1)
    ).first()
    return "locked" if failed_here is not None else "nip"


def authenticate(session: Session, settings: Settings, nip: str, password: str, ip: str) -> LoginResult:
    """Check a login. The attempt is reserved first: its failure row is committed before the limits
    are counted, so that concurrent attempts count each other and no more than the limit ever reach
    the password check. A success deletes the NIP's failures; an attempt refused by a lock leaves
    no row (it checked nothing, and must not make the lock last longer)."""
    now = utcnow()
    nip = nip.strip()[:40]
    ip = ip[:64]
    reservation = LoginFailure(nip=nip, ip=ip, at=now)
    session.add(reservation)
    session.commit()
    if _throttle(session, settings, nip, ip, now, exclude_id=reservation.id) == "locked":
        session.execute(delete(LoginFailure).where(LoginFailure.id == reservation.id))
        session.commit()
        return LoginResult(ok=False, locked=True)
    employee = session.execute(select(Employee).where(Employee.nip == nip)).scalar_one_or_none()
    hash_ = employee.password_hash if employee is not None and employee.is_active else None
    if not security.verify_password(hash_, password):
        session.rollback()  # the reservation stays: it is this failure
        # the audit log names the account tried (if it exists) as the subject; nobody as the actor
        audit(session, None, "login.failed", f"employee:{employee.id}" if employee is not None else "", f"nip={nip} ip={ip}")
        session.commit()
        return LoginResult(ok=False, locked=is_locked(session, settings, nip, ip, now))
    assert employee is not None and employee.id is not None
    if security.needs_rehash(employee.password_hash or ""):
        employee.password_hash = security.hash_password(password)
    # a success clears the NIP's failure history (this attempt's reservation with it)
    session.execute(delete(LoginFailure).where(LoginFailure.nip == nip))
    token = security.new_session_token()
    session.add(UserSession(id=security.session_key(token), employee_id=employee.id, created_at=now, last_seen_at=now))
    audit(session, employee.id, "login", f"employee:{employee.id}")
    session.commit()
    return LoginResult(ok=True, employee_id=employee.id, token=token)


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(UserSession).where(UserSession.id == security.session_key(token)))
        session.commit()


@lru_cache(maxsize=1)
def _user_select():
    """Built once (it runs on every logged-in request); SQLAlchemy caches its compiled form."""
    report = aliased(Employee)
    reports = select(report.id).where(report.supervisor_id == UserSession.employee_id, report.is_active.is_(True)).exists()
    return (
        select(
            UserSession.created_at,
            UserSession.last_seen_at,
            UserSession.flash.isnot(None).label("has_flash"),
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.is_hr,
            Employee.is_admin,
            Employee.is_active,
            Unit.name,
            Position.name,
            reports.label("is_supervisor"),
        )
        .join(Employee, Employee.id == UserSession.employee_id)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(UserSession.id == bindparam("key"))
    )


def read_session(conn: Connection, settings: Settings, token: str, now: datetime | None = None) -> tuple[CurrentUser | None, str | None]:
    """The logged-in user for a session cookie (None when missing or expired) and the upkeep the
    session row needs: "expire" (delete it), "touch" (last seen more than a minute ago) or None.

    Reads only: one prebuilt Core query on a plain connection, as it runs on every logged-in request."""
    now = now or utcnow()
    key = security.session_key(token)
    row = conn.execute(_user_select(), {"key": key}).first()
    if row is None:
        return None, None
    created_at, last_seen_at, has_flash, emp_id, nip, name, is_hr, is_admin, is_active, unit_name, position_name, is_sup = row
    idle = timedelta(minutes=settings.session_idle_minutes)
    absolute = timedelta(hours=settings.session_absolute_hours)
    if not is_active or now - last_seen_at > idle or now - created_at > absolute:
        return None, "expire"
    user = CurrentUser(
        id=emp_id,
        nip=nip,
        name=name,
        unit_name=unit_name,
        position_name=position_name,
        is_hr=bool(is_hr),
        is_admin=bool(is_admin),
        is_supervisor=bool(is_sup),
        session_key=key,
        has_flash=bool(has_flash),
    )
    return user, ("touch" if (now - last_seen_at).total_seconds() > SESSION_TOUCH_SECONDS else None)


def keep_session(conn: Connection, token: str, upkeep: str, now: datetime | None = None) -> None:
    """Apply the upkeep `read_session` asked for, and commit."""
    key = security.session_key(token)
    if upkeep == "expire":
        conn.execute(delete(UserSession).where(UserSession.id == key))
    else:
        conn.execute(update(UserSession).where(UserSession.id == key).values(last_seen_at=now or utcnow()))
    conn.commit()


def set_flash(session: Session, session_key: str, message: str, kind: str = "success") -> None:
    session.execute(update(UserSession).where(UserSession.id == session_key).values(flash=f"{kind}|{message}"))


def pop_flash(session: Session, session_key: str) -> tuple[str, str] | None:
    raw = session.execute(select(UserSession.flash).where(UserSession.id == session_key)).scalar_one_or_none()
    if not raw:
        return None
    session.execute(update(UserSession).where(UserSession.id == session_key).values(flash=None))
    session.commit()
    kind, _, message = raw.partition("|")
    return kind, message
