"""The impact overview (/dampak): for HR the trainings that ask for an L3 rating with their mean impact
index, and the supervisor ratings not in yet per unit; for anyone else the trainings with an individual
result they may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import scoring
from portal.db import dialect
from portal.i18n import _
from portal.models import ApplicationRating, Employee, Enrollment, ImpactScore, Training, Unit
from portal.rules import L3_WINDOW_DAYS, l3_schedule, took_part
from portal.services.application import schedule as sql_schedule

TRAININGS_PER_PAGE = 25
UNITS_LIMIT = 200


@dataclass(frozen=True)
class TrainingRow:
    id: int
    title: str
    provider: str | None
    starts_on: date
    ends_on: date
    due_on: date
    is_due: bool
    self_report: bool  # asks for the alumnus' self-report
    participants: int
    rated: int
    mean: float | None
    category: str | None


@dataclass(frozen=True)
class TrainingsPage:
    rows: list[TrainingRow]
    page: int
    pages: int
    total: int


def trainings_overview(session: Session, today: date, page: int = 1, per_page: int = TRAININGS_PER_PAGE) -> TrainingsPage:
    """Trainings that ask for an L3 rating, newest first, with participants, rated and mean index (3 queries)."""
    base = Training.application_questionnaire_id.is_not(None)
    total = int(session.execute(select(func.count()).select_from(Training).where(base)).scalar_one())
    pages = max(1, (total + per_page - 1) // per_page)
    page = min(max(1, page), pages)
    trainings = session.execute(
        select(Training.id, Training.title, Training.provider, Training.starts_on, Training.ends_on, Training.application_due_days,
               Training.self_report_questionnaire_id)
        .where(base)
        .order_by(Training.ends_on.desc(), Training.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    ids = [t.id for t in trainings]
    stats: dict[int, tuple[int, int, float | None]] = {}
    if ids:
        rated = and_(
            ApplicationRating.enrollment_id == Enrollment.id,
            ApplicationRating.rater_role == "supervisor",
            ApplicationRating.status == "submitted",
        )
        for tid, n, n_rated, mean in session.execute(
            select(Enrollment.training_id, func.count(Enrollment.id), func.count(ApplicationRating.id), func.avg(ImpactScore.impact_index))
            .outerjoin(ApplicationRating, rated)
            .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
            .where(Enrollment.training_id.in_(ids), took_part(Enrollment.status))
            .group_by(Enrollment.training_id)
        ):
            stats[tid] = (int(n), int(n_rated), float(mean) if mean is not None else None)
    rows = []
    for t in trainings:
        sched = l3_schedule(t.ends_on, t.application_due_days)
        n, n_rated, mean = stats.get(t.id, (0, 0, None))
        rows.append(
            TrainingRow(
                id=t.id,
                title=t.title,
                provider=t.provider,
                starts_on=t.starts_on,
                ends_on=t.ends_on,
                due_on=sched.due_on,
                is_due=today >= sched.due_on,
                self_report=t.self_report_questionnaire_id is not None,
                participants=n,
                rated=n_rated,
                mean=scoring.round_half_up(mean, 1),
                category=scoring.impact_category(scoring.round_half_up(mean, 1)),
            )
        )
    return TrainingsPage(rows=rows, page=page, pages=pages, total=total)


@dataclass(frozen=True)
class UnitOverdue:
    unit_id: int | None
    unit: str
    due: int  # window open
    overdue: int  # window passed, still accepted


def overdue_by_unit(session: Session, today: date, window_days: int = L3_WINDOW_DAYS) -> list[UnitOverdue]:
    """Per unit: supervisor ratings due now (window open) and overdue (window passed, still accepted),
    not submitted (1 query)."""
    dialect_name = dialect.name_of(session)
    t = dialect.day_number_of(today)
    window_end = sql_schedule.window_end_day(dialect_name, window_days)
    rating = and_(
        ApplicationRating.enrollment_id == Enrollment.id,
        ApplicationRating.rater_role == "supervisor",
        ApplicationRating.status == "submitted",
    )
    overdue = func.sum(case((window_end < t, 1), else_=0))
    rows = session.execute(
        select(
            Unit.id,
            Unit.name,
            func.sum(case((window_end >= t, 1), else_=0)).label("due"),
            overdue.label("overdue"),
        )
        .select_from(Enrollment)
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(ApplicationRating, rating)
        .where(
            took_part(Enrollment.status),
            Employee.is_active.is_(True),
            Training.application_questionnaire_id.is_not(None),
            ApplicationRating.id.is_(None),
            sql_schedule.due_day(dialect_name) <= t,
            sql_schedule.closes_day(dialect_name, window_days) >= t,
        )
        .group_by(Unit.id, Unit.name)
        .order_by(overdue.desc(), Unit.name)
        .limit(UNITS_LIMIT)
    ).all()
    return [
        UnitOverdue(unit_id=row.id, unit=row.name or _("(tanpa unit)"), due=int(row.due or 0), overdue=int(row.overdue or 0))
        for row in rows
    ]


@dataclass(frozen=True)
class VisibleTraining:
    id: int
    title: str
    ends_on: date
    results: int  # individual results the viewer may see


def visible_trainings(session: Session, viewer_id: int, limit: int = 100) -> list[VisibleTraining]:
    """Non-HR /dampak: trainings with an individual result the viewer may see (1 query)."""
    sup = aliased(ApplicationRating)
    rows = session.execute(
        select(Training.id, Training.title, Training.ends_on, func.count(func.distinct(Enrollment.id)).label("results"))
        .join(Enrollment, Enrollment.training_id == Training.id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .join(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor", sup.status == "submitted"))
        .where(
            took_part(Enrollment.status),
            or_(Employee.id == viewer_id, Employee.supervisor_id == viewer_id, sup.rater_id == viewer_id),
        )
        .group_by(Training.id, Training.title, Training.ends_on)
        .order_by(Training.ends_on.desc())
        .limit(limit)
    ).all()
    return [VisibleTraining(id=row.id, title=row.title, ends_on=row.ends_on, results=int(row.results)) for row in rows]
