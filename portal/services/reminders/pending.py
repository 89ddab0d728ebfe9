"""Who owes what now, as reminder recipients: one set-based query per kind (never one per person).

The same tasks that Beranda lists for each person (services/home.py, services/application/work_lists.py),
read for everyone at once and with the same rules:
- L1 survey: an invitation `pending` or `draft` whose window contains today, of the training's reaction
  questionnaire, for someone who took part (rules.took_part) and is active; NEVER a submitted one:
  a reminder names only what is not done (docs/anonymity.md);
- L3 rating: a credited enrolment of an active alumnus whose supervisor rating is not submitted and is
  due or overdue (rules.l3_schedule, in SQL through application.schedule), to the alumnus' CURRENT
  supervisor (the one who may fill it: application.context);
- AKPK self: the open cycle (home.open_cycle) and an active employee whose position has a competency
  standard and whose self-assessment is not submitted;
- AKPK team: the same cycle, a supervisor and each active direct report (with a standard) whose
  supervisor assessment is not submitted;
- JP target: an active employee below rules.JP_TARGET in a year (the JP summary).

`scope` (HR's button) selects the recipients; their items are everything of that kind they have
pending, so that the e-mail is a complete reminder for the next days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import and_, func, literal, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.db import dialect
from portal.models import ApplicationRating, Assessment, Employee, Enrollment, PositionStandard, SurveyInvitation, Training
from portal.rules import JP_TARGET, l3_schedule, took_part
from portal.services.application import schedule as sql_schedule
from portal.services.home import open_cycle
from portal.services.reminders._types import AKPK_SELF, AKPK_TEAM, JP_TARGET as JP_KIND, L1_SURVEY, L3_RATING, Item, Recipient, Target
from portal.services.reports.filters import held
from portal.services.summaries import jp as jp_summary


def _in_scope(target: Target | None, today: date, person_unit: Any) -> Any:
    """SQL: the row belongs to HR's selection (a training, or the period's trainings and a unit's people)."""
    if target is None:
        return true()
    conds: list[Any] = []
    if target.training_id is not None:
        conds.append(Training.id == target.training_id)
    elif target.filters is not None:
        conds.extend(held(target.filters, today))
        if target.filters.unit_ids:
            conds.append(person_unit.in_(target.filters.unit_ids))
    return and_(true(), *conds)


def _group(rows: Iterable[Any], kind: str, item_of: Any) -> list[Recipient]:
    """Rows ordered by recipient -> one Recipient each, with its items; only those with an in-scope row."""
    people: dict[int, tuple[Any, list[Item], bool]] = {}
    for r in rows:
        head, items, chosen = people.get(r.employee_id, (r, [], False))
        items.append(item_of(r))
        people[r.employee_id] = (head, items, chosen or bool(r.in_scope))
    return [
        Recipient(head.employee_id, head.nip, head.name, head.email, kind, tuple(items))
        for head, items, chosen in people.values()
        if chosen
    ]


def _person(table: Any = Employee) -> list[Any]:
    return [table.id.label("employee_id"), table.nip, table.name, table.email]


def l1_surveys(session: Session, today: date, target: Target | None = None) -> list[Recipient]:
    """Participants with an open, unsubmitted L1 survey. 1 query."""
    stmt = (
        select(
            *_person(),
            SurveyInvitation.id.label("invitation_id"),
            SurveyInvitation.closes_on,
            Training.title,
            _in_scope(target, today, Employee.unit_id).label("in_scope"),
        )
        .select_from(SurveyInvitation)
        .join(Training, and_(Training.id == SurveyInvitation.training_id, Training.reaction_questionnaire_id == SurveyInvitation.questionnaire_id))
        .join(Enrollment, and_(Enrollment.training_id == SurveyInvitation.training_id, Enrollment.employee_id == SurveyInvitation.employee_id))
        .join(Employee, Employee.id == SurveyInvitation.employee_id)
        .where(
            SurveyInvitation.status.in_(("pending", "draft")),
            SurveyInvitation.opens_on <= today,
            SurveyInvitation.closes_on >= today,
            took_part(Enrollment.status),
            Employee.is_active.is_(True),
        )
        .order_by(Employee.id, SurveyInvitation.closes_on, SurveyInvitation.id)
    )
    return _group(session.execute(stmt), L1_SURVEY, lambda r: Item(r.title, r.closes_on, target_id=r.invitation_id))


def l3_ratings(session: Session, today: date, window_days: int, target: Target | None = None) -> list[Recipient]:
    """Current supervisors with due or overdue L3 ratings of their active direct reports. 1 query."""
    name = dialect.name_of(session)
    alumnus = aliased(Employee)
    supervisor = aliased(Employee)
    rating = aliased(ApplicationRating)
    today_n = dialect.day_number_of(today)
    stmt = (
        select(
            *_person(supervisor),
            alumnus.name.label("alumnus"),
            Enrollment.id.label("enrollment_id"),
            Training.title,
            Training.ends_on,
            Training.application_due_days.label("due_days"),
            _in_scope(target, today, alumnus.unit_id).label("in_scope"),
        )
        .select_from(Enrollment)
        .join(Training, Training.id == Enrollment.training_id)
        .join(alumnus, alumnus.id == Enrollment.employee_id)
        .join(supervisor, supervisor.id == alumnus.supervisor_id)
        .outerjoin(rating, and_(rating.enrollment_id == Enrollment.id, rating.rater_role == "supervisor"))
        .where(
            took_part(Enrollment.status),
            or_(Training.application_questionnaire_id.is_not(None), rating.id.is_not(None)),
            or_(rating.status.is_(None), rating.status != "submitted"),
            alumnus.is_active.is_(True),
            supervisor.is_active.is_(True),
            supervisor.id != alumnus.id,
            sql_schedule.due_day(name) <= today_n,
            sql_schedule.closes_day(name, window_days) >= today_n,
        )
        .order_by(supervisor.id, Training.ends_on, alumnus.name, Enrollment.id)
    )

    def item(r: Any) -> Item:
        sched = l3_schedule(r.ends_on, r.due_days, window_days)
        late = today > sched.window_ends_on
        return Item(r.title, sched.closes_on if late else sched.window_ends_on, r.alumnus, r.enrollment_id, late)

    return _group(session.execute(stmt), L3_RATING, item)


def _has_standard(person: Any) -> Any:
    return select(PositionStandard.id).where(PositionStandard.position_id == person.position_id).exists()


def akpk_self(session: Session, today: date) -> list[Recipient]:
    """Active employees (with a competency standard) who have not submitted their self-assessment in the
    open cycle. 2 queries (the cycle, the people)."""
    cycle = open_cycle(session, today)
    if cycle is None:
        return []
    own = aliased(Assessment)
    stmt = (
        select(*_person(), literal(True).label("in_scope"))
        .outerjoin(own, and_(own.subject_id == Employee.id, own.cycle_id == cycle.id, own.rater_role == "self"))
        .where(Employee.is_active.is_(True), _has_standard(Employee), or_(own.id.is_(None), own.status != "submitted"))
        .order_by(Employee.id)
    )
    return _group(session.execute(stmt), AKPK_SELF, lambda r: Item(cycle.name, cycle.closes_on))


def akpk_team(session: Session, today: date) -> list[Recipient]:
    """Supervisors with active direct reports (with a standard) whose supervisor assessment in the open
    cycle is not submitted, with those reports. 2 queries."""
    cycle = open_cycle(session, today)
    if cycle is None:
        return []
    report = aliased(Employee)
    supervisor = aliased(Employee)
    theirs = aliased(Assessment)
    stmt = (
        select(*_person(supervisor), report.name.label("report"), literal(True).label("in_scope"))
        .select_from(report)
        .join(supervisor, supervisor.id == report.supervisor_id)
        .outerjoin(theirs, and_(theirs.subject_id == report.id, theirs.cycle_id == cycle.id, theirs.rater_role == "supervisor"))
        .where(
            report.is_active.is_(True),
            supervisor.is_active.is_(True),
            report.id != supervisor.id,
            _has_standard(report),
            or_(theirs.id.is_(None), theirs.status != "submitted"),
        )
        .order_by(supervisor.id, report.name, report.id)
    )
    return _group(session.execute(stmt), AKPK_TEAM, lambda r: Item(cycle.name, cycle.closes_on, r.report))


def jp_below_target(session: Session, year: int, target: Target | None = None) -> list[Recipient]:
    """Active employees below the yearly JP target (of a unit, when the target's filters name one). 1 query."""
    per_emp = jp_summary.credited_per_employee(year)
    jp = func.coalesce(per_emp.c.jp, 0)
    stmt = (
        select(*_person(), jp.label("jp"))
        .outerjoin(per_emp, per_emp.c.employee_id == Employee.id)
        .where(Employee.is_active.is_(True), jp < JP_TARGET)
        .order_by(Employee.id)
    )
    if target is not None and target.filters is not None and target.filters.unit_ids:
        stmt = stmt.where(Employee.unit_id.in_(target.filters.unit_ids))
    return [Recipient(r.employee_id, r.nip, r.name, r.email, JP_KIND, (), int(r.jp or 0), year) for r in session.execute(stmt)]


def for_target(session: Session, today: date, window_days: int, target: Target) -> list[Recipient]:
    """HR's button: the recipients of one kind within its scope."""
    if target.kind == L1_SURVEY:
        return l1_surveys(session, today, target)
    if target.kind == L3_RATING:
        return l3_ratings(session, today, window_days, target)
    if target.kind == JP_KIND:
        year = target.filters.year if target.filters is not None else today.year
        return jp_below_target(session, year, target)
    raise ValueError(f"HR's button does not send {target.kind!r}")


def for_job(session: Session, today: date, window_days: int) -> list[Recipient]:
    """The daily job: every pending task of every kind in JOB_KINDS, for everyone."""
    return [
        *l1_surveys(session, today),
        *l3_ratings(session, today, window_days),
        *akpk_self(session, today),
        *akpk_team(session, today),
    ]

