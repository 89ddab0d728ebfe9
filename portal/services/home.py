"""Data for each role's Beranda (home page). Every function runs a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.models import (
    Assessment,
    AssessmentCycle,
    Employee,
    Enrollment,
    Position,
    SurveyInvitation,
    Training,
    Unit,
)
from portal.rules import JP_TARGET, took_part
from portal.services import application
from portal.services.privacy import corrections
from portal.services.summaries.jp import credited_per_employee


@dataclass(frozen=True)
class Task:
    """A Beranda task as data; templates/home/_task.html words and links it by kind: akpk_self (own
    assessment; `draft`, `title` the cycle), akpk_team (`count` reports to assess), survey (`target_id`
    the invitation, `title` the training, `draft`), corrections (HR: `count` correction requests waiting),
    and the L3 kinds of application.HomeTask."""

    kind: str
    due: date | None = None
    title: str = ""
    target_id: int | None = None
    draft: bool = False
    count: int = 0


@dataclass
class HomeData:
    jp_this_year: int = 0
    jp_target: int = JP_TARGET
    jp_lines: list[JpLine] = field(default_factory=list)
    tasks: list[Task | application.HomeTask] = field(default_factory=list)
    recent_trainings: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    hr_counts: dict[str, int] | None = None

    @property
    def jp_percent(self) -> int:
        return min(100, round(100 * self.jp_this_year / self.jp_target)) if self.jp_target else 100


def hr_tasks(session: Session) -> list[Task]:
    """HR's own tasks on Beranda: the employees' correction requests still open (one query)."""
    waiting = corrections.open_count(session)
    return [Task("corrections", count=waiting)] if waiting else []


def open_cycle(session: Session, today: date) -> AssessmentCycle | None:
    return session.execute(
        select(AssessmentCycle)
        .where(AssessmentCycle.status == "open", AssessmentCycle.opens_on <= today, AssessmentCycle.closes_on >= today)
        .order_by(AssessmentCycle.opens_on.desc())
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class JpLine:
    """One training of the year on the JP card: what it offers, what was credited, and whether the
    person took part (only then does it count; the template says why not)."""

    title: str
    jp: int
    jp_credited: int
    status: str
    counted: bool


def jp_lines(session: Session, employee_id: int, year: int) -> list[JpLine]:
    """The person's trainings that ended in `year` (a training counts in the year it ends), every
    enrolment status, so the card can say which ones did not count and why. 1 query."""
    rows = session.execute(
        select(Training.title, Training.jp, Enrollment.jp_credited, Enrollment.status, took_part(Enrollment.status).label("counted"))
        .join(Training, Training.id == Enrollment.training_id)
        .where(
            Enrollment.employee_id == employee_id,
            Training.ends_on >= date(year, 1, 1),
            Training.ends_on <= date(year, 12, 31),
        )
        .order_by(Training.ends_on, Training.id)
    ).mappings()
    return [
        JpLine(r["title"], int(r["jp"] or 0), int(r["jp_credited"] or 0), r["status"], bool(r["counted"])) for r in rows
    ]


def employee_home(
    session: Session, employee_id: int, is_supervisor: bool, today: date, application_window_days: int = 30
) -> HomeData:
    lines = jp_lines(session, employee_id, today.year)
    data = HomeData(jp_this_year=sum(line.jp_credited for line in lines if line.counted), jp_lines=lines)
    cycle = open_cycle(session, today)
    if cycle is not None:
        status = session.execute(
            select(Assessment.status).where(
                Assessment.cycle_id == cycle.id, Assessment.subject_id == employee_id, Assessment.rater_role == "self"
            )
        ).scalar_one_or_none()
        if status != "submitted":
            data.tasks.append(Task("akpk_self", cycle.closes_on, cycle.name, draft=status == "draft"))
    invitations = session.execute(
        select(SurveyInvitation.id, SurveyInvitation.status, SurveyInvitation.closes_on, Training.title)
        .join(Training, Training.id == SurveyInvitation.training_id)
        .where(
            SurveyInvitation.employee_id == employee_id,
            SurveyInvitation.status.in_(("pending", "draft")),
            SurveyInvitation.opens_on <= today,
            SurveyInvitation.closes_on >= today,
        )
        .order_by(SurveyInvitation.closes_on)
        .limit(20)
    ).all()
    for inv in invitations:
        data.tasks.append(Task("survey", inv.closes_on, inv.title, inv.id, draft=inv.status == "draft"))
    if is_supervisor and cycle is not None:
        sup = aliased(Assessment)
        missing = session.execute(
            select(func.count(Employee.id))
            .outerjoin(
                sup,
                and_(sup.subject_id == Employee.id, sup.cycle_id == cycle.id, sup.rater_role == "supervisor"),
            )
            .where(Employee.supervisor_id == employee_id, Employee.is_active.is_(True))
            .where((sup.id.is_(None)) | (sup.status != "submitted"))
        ).scalar_one()
        if missing:
            data.tasks.append(Task("akpk_team", cycle.closes_on, cycle.name, count=int(missing)))
    # L3: the supervisor's due / overdue / soon-due application ratings and the alumnus' open self-reports
    data.tasks.extend(application.home_tasks(session, employee_id, is_supervisor, today, application_window_days))
    data.recent_trainings = [
        dict(row._mapping)
        for row in session.execute(
            select(
                Training.id,
                Training.title,
                Training.provider,
                Training.starts_on,
                Training.ends_on,
                Training.jp,
                Enrollment.status,
                Enrollment.jp_credited,
            )
            .join(Enrollment, Enrollment.training_id == Training.id)
            .where(Enrollment.employee_id == employee_id)
            .order_by(Training.starts_on.desc())
            .limit(5)
        )
    ]
    if is_supervisor:
        data.reports = direct_reports(session, employee_id, cycle.id if cycle else None)
    return data


def direct_reports(session: Session, supervisor_id: int, cycle_id: int | None) -> list[dict]:
    """Direct reports with the status of their self-assessment and of the supervisor's assessment."""
    self_a = aliased(Assessment)
    sup_a = aliased(Assessment)
    stmt = (
        select(
            Employee.id,
            Employee.name,
            Employee.nip,
            Position.name.label("position"),
            self_a.status.label("self_status"),
            sup_a.status.label("supervisor_status"),
        )
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(
            self_a,
            and_(self_a.subject_id == Employee.id, self_a.cycle_id == cycle_id, self_a.rater_role == "self"),
        )
        .outerjoin(
            sup_a,
            and_(sup_a.subject_id == Employee.id, sup_a.cycle_id == cycle_id, sup_a.rater_role == "supervisor"),
        )
        .where(Employee.supervisor_id == supervisor_id, Employee.is_active.is_(True))
        .order_by(Employee.name)
    )
    return [dict(row._mapping) for row in session.execute(stmt)]


def hr_counts(session: Session, today: date) -> dict[str, int]:
    row = session.execute(
        select(
            select(func.count()).select_from(Employee).where(Employee.is_active.is_(True)).scalar_subquery(),
            select(func.count()).select_from(Unit).scalar_subquery(),
            select(func.count()).select_from(Training).scalar_subquery(),
            select(func.count())
            .select_from(Training)
            .where(Training.ends_on >= date(today.year, 1, 1), Training.starts_on <= date(today.year, 12, 31))
            .scalar_subquery(),
            select(func.count())
            .select_from(AssessmentCycle)
            .where(AssessmentCycle.status == "open")
            .scalar_subquery(),
            select(func.count())
            .select_from(SurveyInvitation)
            .where(SurveyInvitation.status != "submitted", SurveyInvitation.closes_on >= today)
            .scalar_subquery(),
        )
    ).one()
    keys = ("employees", "units", "trainings", "trainings_this_year", "open_cycles", "pending_surveys")
    return dict(zip(keys, (int(v or 0) for v in row), strict=True))


def jp_compliance_summary(session: Session, year: int) -> dict[str, int]:
    """How many active employees reached the JP target in a year (used on HR's Beranda)."""
    per_emp = credited_per_employee(year)
    row = session.execute(
        select(
            func.count(Employee.id).label("employees"),
            func.coalesce(func.sum(case((per_emp.c.jp >= JP_TARGET, 1), else_=0)), 0).label("reached"),
        )
        .outerjoin(per_emp, per_emp.c.employee_id == Employee.id)
        .where(Employee.is_active.is_(True))
    ).one()
    return {"employees": int(row.employees), "reached": int(row.reached)}
