"""Login sessions kept in the database: the current user read on every request, the one-shot flash
message, starting and ending sessions, and the list of a person's active sessions.

A session row's key is the SHA-256 of the cookie's token (the token itself is never stored). A session
ends when its cookie is logged out, after `session_idle_minutes` without a request, after
`session_absolute_hours` in all, when its account is switched off, or when its owner's password changes
(every session of that person ends; the request that changed it gets a new one)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import security
from portal.models import Employee, Position, Unit, UserSession, utcnow
from portal.settings import Settings

SESSION_TOUCH_SECONDS = 60
USER_AGENT_MAX = 200


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
    locale: str | None = None  # the language chosen on the account (None: the portal's default)

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
class ActiveSession:
    """One of a person's sessions as the admin sees it: `ref` names it in a form without giving away its
    key; `current` is the session of the request that asks."""

    ref: str
    created_at: datetime
    last_seen_at: datetime
    ip: str
    user_agent: str
    current: bool


def session_ref(key: str) -> str:
    """A short public name of a session (a hash of its key: neither the key nor the token)."""
    return hashlib.sha256(("ref:" + key).encode()).hexdigest()[:16]


def start_session(session: Session, employee_id: int, ip: str, user_agent: str, now: datetime | None = None) -> str:
    """A new session for the employee (added, not committed); returns the cookie's token."""
    now = now or utcnow()
    token = security.new_session_token()
    session.add(
        UserSession(
            id=security.session_key(token),
            employee_id=employee_id,
            created_at=now,
            last_seen_at=now,
            ip=ip[:64],
            user_agent=user_agent[:USER_AGENT_MAX],
        )
    )
    return token


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(UserSession).where(UserSession.id == security.session_key(token)))
        session.commit()


def end_sessions_of(session: Session, employee_id: int, keep_key: str | None = None) -> int:
    """End every session of the employee (but `keep_key`'s); not committed. Returns how many ended."""
    stmt = delete(UserSession).where(UserSession.employee_id == employee_id)
    if keep_key is not None:
        stmt = stmt.where(UserSession.id != keep_key)
    return session.execute(stmt).rowcount or 0


def end_sessions_of_keys(session: Session, keys: list[str]) -> int:
    """End the sessions with these keys; not committed."""
    if not keys:
        return 0
    return session.execute(delete(UserSession).where(UserSession.id.in_(keys))).rowcount or 0


def expired_condition(settings: Settings, now: datetime):  # noqa: ANN201
    """The condition of a session that has run out (idle or absolute limit): the one definition that
    the purge and `portal retention apply` use."""
    return or_(
        UserSession.last_seen_at < now - timedelta(minutes=settings.session_idle_minutes),
        UserSession.created_at < now - timedelta(hours=settings.session_absolute_hours),
    )


def expired_sessions(settings: Settings, now: datetime):  # noqa: ANN201
    """DELETE of every session past its idle or absolute limit (the purge job runs it)."""
    return delete(UserSession).where(expired_condition(settings, now))


def active_sessions(session: Session, settings: Settings, employee_id: int, current_key: str | None = None) -> list[ActiveSession]:
    """The person's sessions that have not run out, newest first."""
    now = utcnow()
    rows = session.execute(
        select(UserSession.id, UserSession.created_at, UserSession.last_seen_at, UserSession.ip, UserSession.user_agent)
        .where(UserSession.employee_id == employee_id, ~expired_condition(settings, now))
        .order_by(UserSession.last_seen_at.desc())
        .limit(100)
    ).mappings()
    return [
        ActiveSession(session_ref(r["id"]), r["created_at"], r["last_seen_at"], r["ip"], r["user_agent"], r["id"] == current_key)
        for r in rows
    ]


def session_key_of(session: Session, employee_id: int, ref: str) -> str | None:
    """The key of the person's session named `ref` (a person has a handful of sessions)."""
    keys = session.execute(select(UserSession.id).where(UserSession.employee_id == employee_id)).scalars()
    return next((k for k in keys if session_ref(k) == ref), None)


@lru_cache(maxsize=1)
def _user_select():  # noqa: ANN202
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
            Employee.account_disabled,
            Employee.locale,
            Unit.name.label("unit_name"),
            Position.name.label("position_name"),
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
    row = conn.execute(_user_select(), {"key": key}).mappings().first()
    if row is None:
        return None, None
    idle = timedelta(minutes=settings.session_idle_minutes)
    absolute = timedelta(hours=settings.session_absolute_hours)
    last_seen_at = row["last_seen_at"]
    if not row["is_active"] or row["account_disabled"] or now - last_seen_at > idle or now - row["created_at"] > absolute:
        return None, "expire"
    user = CurrentUser(
        id=row["id"],
        nip=row["nip"],
        name=row["name"],
        unit_name=row["unit_name"],
        position_name=row["position_name"],
        is_hr=bool(row["is_hr"]),
        is_admin=bool(row["is_admin"]),
        is_supervisor=bool(row["is_supervisor"]),
        session_key=key,
        has_flash=bool(row["has_flash"]),
        locale=row["locale"],
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
