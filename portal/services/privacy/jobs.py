"""Retention of personal data (`portal retention apply`, for cron; docs/privacy.md says what is kept, why
and how long). Each rule removes (or, for free texts, blanks) the rows past its period; a dry run (the
default) only counts them. Everything in one transaction.

| rule | table | past | setting |
|---|---|---|---|
| audit | auditevent | `at` older than N days | PORTAL_AUDIT_RETENTION_DAYS (730) |
| sessions | usersession | idle or absolute limit passed | PORTAL_SESSION_IDLE_MINUTES / _ABSOLUTE_HOURS |
| login_failures | loginfailure | older than N days (never within the lock period) | PORTAL_LOGIN_FAILURE_RETENTION_DAYS (30) |
| corrections | correctionrequest | done more than N days ago | PORTAL_CORRECTION_RETENTION_DAYS (365) |
| free_texts | applicationanswer, answer | free texts of L3 ratings and of attributed survey responses submitted more than N days ago: replaced by REDACTED, the numbers stay (impact scores, reports) | PORTAL_FREE_TEXT_RETENTION_DAYS (1095) |
| drafts | surveydraft, draftanswer | drafts never submitted, N days after their survey closed | PORTAL_DRAFT_RETENTION_DAYS (90) |

Never touched: anonymous responses, their answers and the summaries the reports read (they are linked to
nobody, and the reports need them); assessments, enrolments, impact scores (the employee's record, kept
while they are employed; docs/privacy.md). A period of 0 days keeps that data forever."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, or_, select, update
from sqlmodel import Session

from portal.models import (
    Answer,
    ApplicationAnswer,
    ApplicationRating,
    AuditEvent,
    CorrectionRequest,
    DraftAnswer,
    LoginFailure,
    Question,
    SurveyDraft,
    SurveyInvitation,
    SurveyResponse,
    UserSession,
    utcnow,
)
from portal.settings import Settings

REDACTED = "[dihapus: melewati masa simpan]"


@dataclass(frozen=True)
class RetentionItem:
    key: str
    description: str  # Indonesian, printed by the CLI
    count: int  # rows past their period (removed or blanked when applied)
    kept_forever: bool = False


def _count(session: Session, table: Any, where: Any) -> int:
    return int(session.execute(select(func.count()).select_from(table).where(where)).scalar_one())


def _rule(session: Session, apply: bool, table: Any, where: Any, change: Any | None = None) -> int:
    """Rows matching `where`; when applying, delete them (or run `change`, an UPDATE) and return its count."""
    if not apply:
        return _count(session, table, where)
    stmt = change if change is not None else delete(table).where(where)
    return int(session.execute(stmt).rowcount or 0)


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

    # sessions past their idle or absolute limit
    where = or_(
        UserSession.last_seen_at < now - timedelta(minutes=settings.session_idle_minutes),
        UserSession.created_at < now - timedelta(hours=settings.session_absolute_hours),
    )
    items.append(RetentionItem("sessions", "Sesi masuk yang sudah berakhir", _rule(session, apply, UserSession, where)))

    # failed logins: never those the lock still counts
    days = settings.login_failure_retention_days
    if days:
        lock = timedelta(minutes=max(settings.login_window_minutes, settings.login_lock_minutes))
        where = LoginFailure.at < min(now - timedelta(days=days), now - lock)
        items.append(RetentionItem("login_failures", f"Catatan gagal masuk lebih lama dari {_days(days)} hari",
                                   _rule(session, apply, LoginFailure, where)))
    else:
        kept("login_failures", "Catatan gagal masuk")

    # correction requests done long ago
    days = settings.correction_retention_days
    if days:
        where = and_(CorrectionRequest.status == "done", CorrectionRequest.handled_at < now - timedelta(days=days))
        items.append(RetentionItem("corrections", f"Permintaan koreksi yang selesai lebih dari {_days(days)} hari lalu",
                                   _rule(session, apply, CorrectionRequest, where)))
    else:
        kept("corrections", "Permintaan koreksi yang selesai")

    # free texts of attributed answers: blanked, the numbers stay
    days = settings.free_text_retention_days
    if days:
        cutoff = now - timedelta(days=days)
        text_questions = select(Question.id).where(Question.kind == "text")
        old_ratings = select(ApplicationRating.id).where(ApplicationRating.status == "submitted", ApplicationRating.submitted_at < cutoff)
        old_responses = select(SurveyResponse.id).where(SurveyResponse.respondent_id.is_not(None), SurveyResponse.submitted_at < cutoff)
        n = 0
        for table, owner, owners in ((ApplicationAnswer, ApplicationAnswer.rating_id, old_ratings), (Answer, Answer.response_id, old_responses)):
            where = and_(
                owner.in_(owners), table.question_id.in_(text_questions), table.value_text.is_not(None),
                table.value_text != "", table.value_text != REDACTED,
            )
            n += _rule(session, apply, table, where, update(table).where(where).values(value_text=REDACTED))
        items.append(RetentionItem("free_texts", f"Isian bebas penilaian penerapan (L3) dan survei tidak anonim yang dikirim lebih dari "
                                   f"{_days(days)} hari lalu (diganti tanda \"{REDACTED}\"; angka tetap)", n))
    else:
        kept("free_texts", "Isian bebas penilaian penerapan dan survei tidak anonim")

    # drafts of surveys that closed long ago and were never submitted
    days = settings.draft_retention_days
    if days:
        closed_before = now.astimezone(ZoneInfo(settings.timezone)).date() - timedelta(days=days)
        stale = (
            select(SurveyDraft.id)
            .join(SurveyInvitation, SurveyInvitation.id == SurveyDraft.invitation_id)
            .where(SurveyInvitation.closes_on < closed_before, SurveyInvitation.status != "submitted")
        )
        n = int(session.execute(select(func.count()).select_from(stale.subquery())).scalar_one())
        if apply and n:
            session.execute(delete(DraftAnswer).where(DraftAnswer.draft_id.in_(stale)))
            session.execute(delete(SurveyDraft).where(SurveyDraft.id.in_(stale)))
        items.append(RetentionItem("drafts", f"Draf survei yang tidak pernah dikirim, {_days(days)} hari setelah survei ditutup", n))
    else:
        kept("drafts", "Draf survei yang tidak pernah dikirim")

    if apply:
        session.commit()
    else:
        session.rollback()
    return items
