"""One rating (a supervisor's rating or the alumnus' self-report of one enrollment): its context, who may
fill or see it, its questionnaire and its stored answers.

Who rates: the employee's CURRENT direct supervisor (`Employee.supervisor_id` now). A draft started by a
previous supervisor passes to the current one (`rater_id` follows the last writer). The self-report
(optional, `Training.self_report_questionnaire_id`) follows the same schedule and is filled by the alumnus.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlmodel import Session

from portal.models import ApplicationAnswer, ApplicationRating, Employee, Enrollment, Position, Training, Unit
from portal.rules import L3_DUE_DAYS, L3_WINDOW_DAYS, PARTICIPANT_STATUSES, L3Schedule, l3_schedule
from portal.services import questionnaires as qsvc
from portal.services.questionnaires import Structure
from portal.services.surveys import AnswerValue
from portal.i18n import N_

ROLES = ("supervisor", "self")
# 1-5 scale of the L3 forms: a rating of the work, not agreement with a statement
SCALE_LABELS = (N_("Sangat kurang"), N_("Kurang"), N_("Cukup"), N_("Baik"), N_("Sangat baik"))


@dataclass(frozen=True)
class RatingContext:
    role: str
    enrollment_id: int
    enrollment_status: str
    training_id: int
    training_title: str
    training_provider: str
    training_starts_on: date
    training_ends_on: date
    due_days: int
    application_qid: int | None
    self_report_qid: int | None
    employee_id: int
    employee_name: str
    employee_nip: str
    employee_supervisor_id: int | None
    employee_active: bool
    unit_name: str | None
    position_name: str | None
    rating_id: int | None
    rating_status: str | None
    rating_qid: int | None
    rater_id: int | None
    submitted_at: datetime | None
    reopen_count: int
    schedule: L3Schedule

    @property
    def questionnaire_id(self) -> int | None:
        if self.rating_qid is not None:
            return self.rating_qid
        return self.application_qid if self.role == "supervisor" else self.self_report_qid

    @property
    def submitted(self) -> bool:
        return self.rating_status == "submitted"

    @property
    def reopened(self) -> bool:
        return self.reopen_count > 0 and self.rating_status == "draft"

    def state(self, today: date) -> str:
        return self.schedule.state(today, self.rating_status)

    def writable(self, today: date) -> bool:
        """Open for answers: due or overdue (late), or reopened by HR whatever the date."""
        if self.submitted:
            return False
        return self.reopened or self.state(today) in ("due", "overdue")


@lru_cache(maxsize=1)
def _context_stmt() -> Any:
    r = ApplicationRating.__table__
    return (
        select(
            Enrollment.id.label("enrollment_id"),
            Enrollment.status.label("enrollment_status"),
            Training.id.label("training_id"),
            Training.title.label("training_title"),
            Training.provider.label("training_provider"),
            Training.starts_on.label("training_starts_on"),
            Training.ends_on.label("training_ends_on"),
            Training.application_due_days.label("due_days"),
            Training.application_questionnaire_id.label("application_qid"),
            Training.self_report_questionnaire_id.label("self_report_qid"),
            Employee.id.label("employee_id"),
            Employee.name.label("employee_name"),
            Employee.nip.label("employee_nip"),
            Employee.supervisor_id.label("employee_supervisor_id"),
            Employee.is_active.label("employee_active"),
            Unit.name.label("unit_name"),
            Position.name.label("position_name"),
            r.c.id.label("rating_id"),
            r.c.status.label("rating_status"),
            r.c.questionnaire_id.label("rating_qid"),
            r.c.rater_id,
            r.c.submitted_at,
            r.c.reopen_count,
        )
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(r, and_(r.c.enrollment_id == Enrollment.id, r.c.rater_role == bindparam("role")))
        .where(Enrollment.id == bindparam("eid"))
    )


def load_context(session: Session, enrollment_id: int, role: str, window_days: int = L3_WINDOW_DAYS) -> RatingContext | None:
    """The enrollment, its training, the employee and the rating of `role` (1 query). No access check."""
    row = session.connection().execute(_context_stmt(), {"eid": enrollment_id, "role": role}).first()
    if row is None:
        return None
    return RatingContext(
        role=role,
        enrollment_id=row.enrollment_id,
        enrollment_status=row.enrollment_status,
        training_id=row.training_id,
        training_title=row.training_title,
        training_provider=row.training_provider or "",
        training_starts_on=row.training_starts_on,
        training_ends_on=row.training_ends_on,
        due_days=int(row.due_days if row.due_days is not None else L3_DUE_DAYS),
        application_qid=row.application_qid,
        self_report_qid=row.self_report_qid,
        employee_id=row.employee_id,
        employee_name=row.employee_name,
        employee_nip=row.employee_nip,
        employee_supervisor_id=row.employee_supervisor_id,
        employee_active=bool(row.employee_active),
        unit_name=row.unit_name,
        position_name=row.position_name,
        rating_id=row.rating_id,
        rating_status=row.rating_status,
        rating_qid=row.rating_qid,
        rater_id=row.rater_id,
        submitted_at=row.submitted_at,
        reopen_count=int(row.reopen_count or 0),
        schedule=l3_schedule(row.training_ends_on, row.due_days, window_days),
    )


def for_supervisor(session: Session, enrollment_id: int, user_id: int, window_days: int = L3_WINDOW_DAYS) -> RatingContext | None:
    """The supervisor rating of an enrollment, when `user_id` is the employee's CURRENT direct supervisor,
    the employee is active and took part, and the training asks for an L3 rating. None otherwise (-> 404)."""
    ctx = load_context(session, enrollment_id, "supervisor", window_days)
    if (
        ctx is None
        or ctx.employee_supervisor_id != user_id
        or ctx.employee_id == user_id
        or not ctx.employee_active
        or ctx.enrollment_status not in PARTICIPANT_STATUSES
        or ctx.questionnaire_id is None
    ):
        return None
    return ctx


def for_self(session: Session, enrollment_id: int, user_id: int, window_days: int = L3_WINDOW_DAYS) -> RatingContext | None:
    """The alumnus' own self-report of an enrollment (None for anyone else's, or when not asked for)."""
    ctx = load_context(session, enrollment_id, "self", window_days)
    if (
        ctx is None
        or ctx.employee_id != user_id
        or ctx.enrollment_status not in PARTICIPANT_STATUSES
        or ctx.questionnaire_id is None
    ):
        return None
    return ctx


def may_view(ctx: RatingContext, viewer_id: int, viewer_is_hr: bool) -> bool:
    """Individual results: HR, the rated employee, their current direct supervisor, and whoever rated them."""
    return (
        viewer_is_hr
        or ctx.employee_id == viewer_id
        or (ctx.employee_supervisor_id == viewer_id and ctx.employee_active)
        or (ctx.rater_id == viewer_id and ctx.submitted)
    )


def load_answers(session: Session, rating_id: int | None) -> dict[int, AnswerValue]:
    """The stored answers of a rating by question id (1 query; none without a rating)."""
    if rating_id is None:
        return {}
    rows = session.connection().execute(
        select(
            ApplicationAnswer.question_id, ApplicationAnswer.value_num, ApplicationAnswer.value_before, ApplicationAnswer.value_text
        ).where(ApplicationAnswer.rating_id == rating_id)
    )
    return {question_id: AnswerValue(num=num, before=before, text=text) for question_id, num, before, text in rows}


def structure_for(session: Session, ctx: RatingContext) -> Structure:
    """The rating's questionnaire (its sections and questions)."""
    assert ctx.questionnaire_id is not None
    return qsvc.load_structure(session, ctx.questionnaire_id)
