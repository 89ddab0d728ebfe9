"""Retention of personal data (`portal retention apply`, for cron; docs/privacy.md says what is kept, why
and how long). Each rule deletes the rows past its period; a dry run (the
default) only counts them. Everything in one transaction. Sessions and login failures run out by the
accounts' own rules (services/accounts: the hourly purge deletes them too); this command states them and
applies the same conditions, so both agree.

| rule | table | past | setting |
|---|---|---|---|
| audit | auditevent | `at` older than N days | PORTAL_AUDIT_RETENTION_DAYS (730) |
| sessions | usersession | idle or absolute limit passed | PORTAL_SESSION_IDLE_MINUTES / _ABSOLUTE_HOURS |
| login_failures | loginfailure | no longer counted by the throttling (its window and lock) | PORTAL_LOGIN_WINDOW_MINUTES / _LOCK_MINUTES |
| corrections | correctionrequest | done more than N days ago | PORTAL_CORRECTION_RETENTION_DAYS (365) |

Never touched: survey responses (anonymous ones are linked to nobody; the reports need them), assessments,
enrolments, L3 ratings and impact scores (the employee's record, kept while they are employed;
docs/privacy.md). A period of 0 days keeps that data forever."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlmodel import Session

from portal.models import (
    AuditEvent,
    CorrectionRequest,
    LoginFailure,
    UserSession,
    utcnow,
)
from portal.services.accounts import login, sessions
from portal.settings import Settings


@dataclass(frozen=True)
class RetentionItem:
    key: str
    description: str  # Indonesian, printed by the CLI
    count: int  # rows past their period (deleted when applied)
    kept_forever: bool = False


def _count(session: Session, table: Any, where: Any) -> int:
    return int(session.execute(select(func.count()).select_from(table).where(where)).scalar_one())


def _rule(session: Session, apply: bool, table: Any, where: Any) -> int:
    """Rows matching `where`; when applying, delete them and return how many went."""
    if not apply:
        return _count(session, table, where)
    return int(session.execute(delete(table).where(where)).rowcount or 0)


def _days(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def retention(session: Session, settings: Settings, apply: bool = False, now: datetime | None = None) -> list[RetentionItem]:
    """Count (dry run) or apply every rule; commits when applying. Returns one item per rule."""
    now = now or utcnow()
    items: list[RetentionItem] = []

    def kept(key: str, what: str) -> None:
        items.append(RetentionItem(key, f"{what}: disimpan tanpa batas (masa simpan 0)", 0, kept_forever=True))

    # audit events
    days = settings.audit_retention_days
    if days:
        where = AuditEvent.at < now - timedelta(days=days)
        items.append(RetentionItem("audit", f"Peristiwa log audit lebih lama dari {_days(days)} hari", _rule(session, apply, AuditEvent, where)))
    else:
        kept("audit", "Peristiwa log audit")

    # sessions past their idle or absolute limit (the accounts' definition)
    where = sessions.expired_condition(settings, now)
    items.append(RetentionItem("sessions", "Sesi masuk yang sudah berakhir", _rule(session, apply, UserSession, where)))

    # failed logins the throttling no longer counts (the accounts' definition; the audit log keeps the event)
    where = LoginFailure.at < login.failures_expire_before(settings, now)
    items.append(RetentionItem("login_failures", "Catatan gagal masuk yang tidak lagi dihitung untuk penguncian",
                               _rule(session, apply, LoginFailure, where)))

    # correction requests done long ago
    days = settings.correction_retention_days
    if days:
        where = and_(CorrectionRequest.status == "done", CorrectionRequest.handled_at < now - timedelta(days=days))
        items.append(RetentionItem("corrections", f"Permintaan koreksi yang selesai lebih dari {_days(days)} hari lalu",
                                   _rule(session, apply, CorrectionRequest, where)))
    else:
        kept("corrections", "Permintaan koreksi yang selesai")

    if apply:
        session.commit()
    else:
        session.rollback()
    return items
