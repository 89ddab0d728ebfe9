"""Login: the password check with throttling (docs/operations.md, "Login throttling"), the audit of every
success and failure, the upgrade of a stored hash whose argon2 parameters changed, and unlocking a NIP.

Every check of a password against an account (the login form, the current password on /akun/sandi) goes
through `check_password`: the attempt is reserved first (a failure row committed before the limits are
counted), so that concurrent attempts count each other and no more than the limit ever reach the
password check. A success deletes the NIP's failures; an attempt refused by a lock leaves no row (it
checked nothing, and must not make the lock last longer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session

from portal import security
from portal.models import Employee, LoginFailure, utcnow
from portal.services.accounts import sessions
from portal.services.accounts._audit import audit
from portal.settings import Settings


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    employee_id: int | None = None
    token: str | None = None
    locked: bool = False


@dataclass(frozen=True)
class PasswordCheck:
    outcome: str  # "ok" | "wrong" | "locked"
    employee: Employee | None = None


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


def failures_expire_before(settings: Settings, now: datetime) -> datetime:
    """Failures older than this count for no window and no lock any more (the purge deletes them)."""
    return now - timedelta(minutes=max(settings.login_window_minutes, settings.login_lock_minutes))


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


def check_password(session: Session, settings: Settings, nip: str, password: str, ip: str, now: datetime | None = None) -> PasswordCheck:
    """The throttled check of `password` for the account of `nip` (see the module's docstring). On "ok"
    the NIP's failures are deleted and a hash made with older argon2 parameters is replaced by one with
    the current ones (not committed: the caller commits with its own writes)."""
    now = now or utcnow()
    reservation = LoginFailure(nip=nip, ip=ip, at=now)
    session.add(reservation)
    session.commit()
    if _throttle(session, settings, nip, ip, now, exclude_id=reservation.id) == "locked":
        session.execute(delete(LoginFailure).where(LoginFailure.id == reservation.id))
        session.commit()
        return PasswordCheck("locked")
    employee = session.execute(select(Employee).where(Employee.nip == nip)).scalar_one_or_none()
    can_log_in = employee is not None and employee.is_active and not employee.account_disabled
    hash_ = employee.password_hash if employee is not None and can_log_in else None
    if not security.verify_password(hash_, password):
        session.rollback()  # the reservation stays: it is this failure
        return PasswordCheck("wrong", employee)
    assert employee is not None
    if security.needs_rehash(employee.password_hash or ""):
        employee.password_hash = security.hash_password(password)
    # a success clears the NIP's failure history (this attempt's reservation with it)
    session.execute(delete(LoginFailure).where(LoginFailure.nip == nip))
    return PasswordCheck("ok", employee)


def shown_nip(nip: str) -> str:
    """The NIP as the audit log records a failed attempt: the 18 digits when it looks like a NIP, else
    only its length (people type their password into the NIP field by mistake; it must not be kept)."""
    return nip if security.valid_nip_format(nip) else f"(bukan NIP, {len(nip)} karakter)"


def audit_failure(session: Session, employee: Employee | None, nip: str, ip: str, action: str = "login.failed") -> None:
    """A failed password check in the audit log: the NIP tried and the address, never the password."""
    target = f"employee:{employee.id}" if employee is not None else ""
    audit(session, None, action, target, f"nip: {shown_nip(nip)}; ip: {ip or '-'}")


def authenticate(session: Session, settings: Settings, nip: str, password: str, ip: str, user_agent: str = "") -> LoginResult:
    """Check a login (throttled, audited) and start a session on success."""
    now = utcnow()
    nip = nip.strip()[:40]
    ip = ip[:64]
    check = check_password(session, settings, nip, password, ip, now)
    if check.outcome == "locked":
        # not audited: a refused attempt checks nothing, and a flood of them must not fill the log
        return LoginResult(ok=False, locked=True)
    if check.outcome == "wrong":
        audit_failure(session, check.employee, nip, ip)
        session.commit()
        return LoginResult(ok=False, locked=is_locked(session, settings, nip, ip, now))
    employee = check.employee
    assert employee is not None and employee.id is not None
    token = sessions.start_session(session, employee.id, ip, user_agent, now)
    audit(session, employee.id, "login", f"employee:{employee.id}", f"ip: {ip or '-'}")
    session.commit()
    return LoginResult(ok=True, employee_id=employee.id, token=token)


def clear_failures(session: Session, nip: str) -> int:
    """Delete the NIP's login failures (unlock it); not committed. Returns how many there were."""
    return session.execute(delete(LoginFailure).where(LoginFailure.nip == nip)).rowcount or 0
