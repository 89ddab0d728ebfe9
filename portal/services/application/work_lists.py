"""Work lists of ratings: the supervisor's ratings of current direct reports (soon due, due, overdue,
submitted, closed), the alumnus' own self-reports and results, and the Beranda tasks made of them.

When a rating is due is `portal.rules.l3_schedule` (in SQL: `application.schedule`): due
`Training.application_due_days` (default 90) after the training ended; the expected window is
`Settings.application_window_days` (30) days from the due day, that day included; after it the rating is
*overdue* but still accepted (late) up to 12 months after the training; after that it is *closed*.
14 days before the due day it is *soon due* (listed, not yet open).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from portal.db import dialect
from portal.models import ApplicationAnswer, ApplicationRating, Employee, Enrollment, ImpactScore, Position, Training
from portal.rules import L3_WINDOW_DAYS, L3Schedule, l3_schedule, took_part
from portal.services.application import schedule as sql_schedule
from portal.services.impact.score import category_label

LIST_LIMIT = 500
HOME_TASK_LIMIT = 5


@dataclass(frozen=True)
class DueItem:
    enrollment_id: int
    role: str
    employee_id: int
    employee_name: str
    employee_nip: str
    position_name: str | None
    training_id: int
    training_title: str
    training_ends_on: date
    schedule: L3Schedule
    state: str
    rating_status: str | None
    answered: int
    submitted_at: datetime | None
    impact_index: float | None
    category: str | None

    @property
    def state_label(self) -> str:
        return sql_schedule.state_label(self.state)

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def deadline(self) -> date:
        """The date to show next to the item: when it opens (soon), its window's end (due), the last day (overdue)."""
        if self.state in ("soon", "not_yet"):
            return self.schedule.due_on
        if self.state == "overdue":
            return self.schedule.closes_on
        return self.schedule.window_ends_on


def _answered_count() -> Any:
    return (
        select(func.count())
        .select_from(ApplicationAnswer)
        .where(ApplicationAnswer.rating_id == ApplicationRating.id)
        .scalar_subquery()
    )


def _list_rows(session: Session, role: str, where: Any, today: date, limit: int) -> list[Any]:
    dialect_name = dialect.name_of(session)
    qid_col = Training.application_questionnaire_id if role == "supervisor" else Training.self_report_questionnaire_id
    rating = and_(ApplicationRating.enrollment_id == Enrollment.id, ApplicationRating.rater_role == role)
    return session.execute(
        select(
            Enrollment.id.label("enrollment_id"),
            Employee.id.label("employee_id"),
            Employee.name.label("employee_name"),
            Employee.nip.label("employee_nip"),
            Position.name.label("position_name"),
            Training.id.label("training_id"),
            Training.title.label("training_title"),
            Training.ends_on.label("training_ends_on"),
            Training.application_due_days.label("due_days"),
            ApplicationRating.status.label("rating_status"),
            case((ApplicationRating.id.is_(None), 0), else_=_answered_count()).label("answered"),
            ApplicationRating.submitted_at,
            ImpactScore.impact_index,
            ImpactScore.category,
        )
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(ApplicationRating, rating)
        .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
        .where(
            where,
            took_part(Enrollment.status),
            or_(qid_col.is_not(None), ApplicationRating.id.is_not(None)),
            sql_schedule.soon_day(dialect_name) <= dialect.day_number_of(today),
        )
        .order_by(Training.ends_on.desc(), Employee.name, Enrollment.id)
        .limit(limit)
    ).all()


def _items(rows: list[Any], role: str, today: date, window_days: int) -> list[DueItem]:
    out = []
    for row in rows:
        sched = l3_schedule(row.training_ends_on, row.due_days, window_days)
        out.append(
            DueItem(
                enrollment_id=row.enrollment_id,
                role=role,
                employee_id=row.employee_id,
                employee_name=row.employee_name,
                employee_nip=row.employee_nip,
                position_name=row.position_name,
                training_id=row.training_id,
                training_title=row.training_title,
                training_ends_on=row.training_ends_on,
                schedule=sched,
                state=sched.state(today, row.rating_status),
                rating_status=row.rating_status,
                answered=int(row.answered or 0),
                submitted_at=row.submitted_at,
                impact_index=row.impact_index,
                category=row.category,
            )
        )
    return out


@dataclass
class Groups:
    due: list[DueItem] = field(default_factory=list)  # due and overdue, earliest deadline first
    soon: list[DueItem] = field(default_factory=list)
    submitted: list[DueItem] = field(default_factory=list)
    closed: list[DueItem] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(1 for i in self.due if i.state == "overdue")

    @property
    def empty(self) -> bool:
        return not (self.due or self.soon or self.submitted or self.closed)


def _group(items: list[DueItem]) -> Groups:
    g = Groups()
    for i in items:
        if i.state in ("due", "overdue"):
            g.due.append(i)
        elif i.state == "soon":
            g.soon.append(i)
        elif i.state == "submitted":
            g.submitted.append(i)
        elif i.state == "closed":
            g.closed.append(i)
    g.due.sort(key=lambda i: (i.state != "overdue", i.deadline, i.employee_name))
    g.soon.sort(key=lambda i: (i.schedule.due_on, i.employee_name))
    g.submitted.sort(key=lambda i: (i.submitted_at is None, -(i.submitted_at.timestamp() if i.submitted_at else 0)))
    return g


def supervisor_groups(
    session: Session, supervisor_id: int, today: date, window_days: int = L3_WINDOW_DAYS, limit: int = LIST_LIMIT
) -> Groups:
    """The supervisor's L3 ratings of CURRENT direct reports that are soon due, due, overdue, submitted or
    closed (1 query, at most `limit` rows)."""
    where = and_(Employee.supervisor_id == supervisor_id, Employee.is_active.is_(True), Employee.id != supervisor_id)
    return _group(_items(_list_rows(session, "supervisor", where, today, limit), "supervisor", today, window_days))


def due_ratings(session: Session, supervisor_id: int, today: date, window_days: int = L3_WINDOW_DAYS) -> list[DueItem]:
    """Soon due, due and overdue ratings of a supervisor (for `templates/application/_due_list.html`)."""
    g = supervisor_groups(session, supervisor_id, today, window_days)
    return g.due + g.soon


def employee_groups(session: Session, employee_id: int, today: date, window_days: int = L3_WINDOW_DAYS) -> Groups:
    """The alumnus' own self-reports (1 query)."""
    return _group(_items(_list_rows(session, "self", Enrollment.employee_id == employee_id, today, LIST_LIMIT), "self", today, window_days))


@dataclass(frozen=True)
class OwnResult:
    """A training of the employee with a submitted supervisor rating."""

    enrollment_id: int
    title: str
    ends_on: date
    submitted_at: datetime | None
    index: float | None
    category: str | None

    @property
    def category_label(self) -> str:
        return category_label(self.category)


def own_results(session: Session, employee_id: int, limit: int = 100) -> list[OwnResult]:
    """The employee's trainings with a submitted supervisor rating and its impact score (1 query)."""
    rows = session.execute(
        select(
            Enrollment.id.label("enrollment_id"),
            Training.title,
            Training.ends_on,
            ApplicationRating.submitted_at,
            ImpactScore.impact_index.label("index"),
            ImpactScore.category,
        )
        .join(Training, Training.id == Enrollment.training_id)
        .join(
            ApplicationRating,
            and_(
                ApplicationRating.enrollment_id == Enrollment.id,
                ApplicationRating.rater_role == "supervisor",
                ApplicationRating.status == "submitted",
            ),
        )
        .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
        .where(Enrollment.employee_id == employee_id)
        .order_by(Training.ends_on.desc(), Enrollment.id.desc())
        .limit(limit)
    ).all()
    return [OwnResult(**row._mapping) for row in rows]


@dataclass(frozen=True)
class HomeTask:
    """A Beranda task of L3, as data (templates/home/_task.html words it and links it). Kinds: l3_due,
    l3_overdue, l3_soon (opens on `opens_on`), l3_more (`count` more), l3_self (the alumnus' report)."""

    kind: str
    due: date | None = None
    enrollment_id: int | None = None
    person: str = ""
    training: str = ""
    draft: bool = False
    opens_on: date | None = None
    count: int = 0


def home_tasks(
    session: Session, employee_id: int, is_supervisor: bool, today: date, window_days: int = L3_WINDOW_DAYS
) -> list[HomeTask]:
    """Beranda tasks: the supervisor's due/overdue/soon-due ratings (one task each, up to 5, then one
    summary task) and the alumnus' open self-reports. Queries: 1-2."""
    tasks: list[HomeTask] = []
    if is_supervisor:
        g = supervisor_groups(session, employee_id, today, window_days)
        pending = g.due + g.soon
        for item in pending[:HOME_TASK_LIMIT]:
            if item.state == "soon":
                tasks.append(HomeTask("l3_soon", person=item.employee_name, training=item.training_title, opens_on=item.schedule.due_on))
                continue
            kind = "l3_overdue" if item.state == "overdue" else "l3_due"
            tasks.append(HomeTask(kind, item.deadline, item.enrollment_id, item.employee_name, item.training_title, item.rating_status == "draft"))
        if len(pending) > HOME_TASK_LIMIT:
            tasks.append(HomeTask("l3_more", count=len(pending) - HOME_TASK_LIMIT))
    own = employee_groups(session, employee_id, today, window_days)
    for item in own.due:
        tasks.append(HomeTask("l3_self", item.deadline, item.enrollment_id, training=item.training_title, draft=item.rating_status == "draft"))
    return tasks
