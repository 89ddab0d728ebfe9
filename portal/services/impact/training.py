"""The impact of one training (/dampak/<id>): for HR the participants rated, the distribution of the impact
categories, the change per item, examples of application in the supervisors' words and the participants
(the gap closure is its own fragment, `gap_closure.training_gap`); for anyone else only the individual
results they may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import scoring
from portal.models import ApplicationAnswer, ApplicationRating, Employee, Enrollment, ImpactScore, Question, Training, Unit
from portal.rules import L3_WINDOW_DAYS, L3Schedule, l3_schedule, took_part
from portal.services.application.schedule import state_label
from portal.services.akpk.gap_closure import GapClosure, gap_closure
from portal.services.impact.score import CATEGORY_ORDER, category_label

EXAMPLES_LIMIT = 10
PARTICIPANTS_PER_PAGE = 50
VISIBLE_LIMIT = 200


@dataclass(frozen=True)
class CategoryShare:
    key: str
    count: int
    percent: float

    @property
    def label(self) -> str:
        return category_label(self.key)


@dataclass
class ItemChange:
    question_id: int
    number: int
    text: str
    role: str
    retrospective: bool
    n: int
    mean_after: float | None
    mean_before: float | None
    mean_change: float | None


@dataclass(frozen=True)
class Example:
    text: str
    employee: str
    enrollment_id: int
    submitted_at: datetime | None


@dataclass(frozen=True)
class ExampleGroup:
    """The newest answers to one free-text question of the supervisor's questionnaire."""

    question_id: int
    question: str
    total: int
    items: list[Example]


@dataclass(frozen=True)
class Participant:
    enrollment_id: int
    name: str
    nip: str
    unit: str | None
    status: str | None  # of the supervisor rating
    self_status: str | None
    index: float | None
    category: str | None
    state: str  # of the supervisor rating (rules.L3Schedule.state)

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def category_label(self) -> str:
        return category_label(self.category)


@dataclass
class TrainingImpact:
    training: Any  # the training's row: id, code, title, provider, dates, jp, due days, questionnaires
    schedule: L3Schedule
    state: str  # not_yet | soon | due | overdue | closed (of the training's ratings as a whole)
    participants: int
    due: int
    rated: int
    drafts: int
    self_asked: bool
    self_submitted: int
    scored: int
    with_self: int
    mean_index: float | None
    mean_category: str | None
    distribution: list[CategoryShare]
    items: list[ItemChange]
    examples: list[ExampleGroup]  # per free-text question, the newest EXAMPLES_LIMIT
    people: list[Participant]
    page: int
    pages: int
    gap: GapClosure | None  # loaded separately (training_gap) unless asked for
    weights: dict[str, float]
    weights_no_self: dict[str, float]

    @property
    def mean_category_label(self) -> str:
        return category_label(self.mean_category)


def _item_changes(agg: list[Any], qinfo: dict[int, Any]) -> tuple[list[ItemChange], list[tuple[int, int]]]:
    """The likert items in questionnaire order, numbered per role, and the (question id, number of texts)
    of the supervisor's free-text questions."""
    items: list[ItemChange] = []
    numbers: dict[tuple[str, int], int] = {}
    text_questions: list[tuple[int, int]] = []
    for row in sorted(agg, key=lambda x: (x.rater_role != "supervisor", qinfo[x.question_id].questionnaire_id,
                                          qinfo[x.question_id].position, x.question_id)):
        info = qinfo[row.question_id]
        if info.kind == "text":
            if row.rater_role == "supervisor" and row.texts:
                text_questions.append((row.question_id, int(row.texts)))
            continue
        if info.kind != "likert5":
            continue
        key = (row.rater_role, info.questionnaire_id)
        numbers[key] = numbers.get(key, 0) + 1
        retro = bool(info.retrospective)
        items.append(
            ItemChange(
                question_id=row.question_id,
                number=numbers[key],
                text=info.text,
                role=row.rater_role,
                retrospective=retro,
                n=int(row.n),
                mean_after=float(row.mean_after) if row.mean_after is not None else None,
                mean_before=float(row.mean_before) if row.mean_before is not None and retro else None,
                mean_change=float(row.mean_change) if row.mean_change is not None and retro else None,
            )
        )
    return items, text_questions


def training_impact(
    session: Session,
    training_id: int,
    today: date,
    window_days: int = L3_WINDOW_DAYS,
    page: int = 1,
    with_gap: bool = False,
) -> TrainingImpact | None:
    """HR's per-training impact page. Bounded: 9 queries plus one per free-text question of the questionnaire,
    whatever the number of participants."""
    t = session.execute(
        select(
            Training.id, Training.code, Training.title, Training.provider, Training.starts_on, Training.ends_on,
            Training.jp, Training.application_due_days, Training.application_questionnaire_id, Training.self_report_questionnaire_id,
        ).where(Training.id == training_id)
    ).first()
    if t is None:
        return None
    sched = l3_schedule(t.ends_on, t.application_due_days, window_days)
    state = sched.state(today)
    sup = aliased(ApplicationRating)  # the supervisor's rating
    own = aliased(ApplicationRating)  # the self-report
    counts = session.execute(
        select(
            func.count(Enrollment.id),
            func.sum(case((sup.status == "submitted", 1), else_=0)),
            func.sum(case((sup.status == "draft", 1), else_=0)),
            func.sum(case((own.status == "submitted", 1), else_=0)),
        )
        .select_from(Enrollment)
        .outerjoin(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor"))
        .outerjoin(own, and_(own.enrollment_id == Enrollment.id, own.rater_role == "self"))
        .where(Enrollment.training_id == training_id, took_part(Enrollment.status))
    ).one()
    participants, rated, drafts, self_submitted = (int(v or 0) for v in counts)
    due = participants if today >= sched.due_on else 0

    dist_rows = session.execute(
        select(
            ImpactScore.category,
            func.count().label("n"),
            func.sum(ImpactScore.impact_index).label("index_sum"),
            func.sum(case((ImpactScore.self_score.is_not(None), 1), else_=0)).label("with_self"),
        )
        .join(Enrollment, Enrollment.id == ImpactScore.enrollment_id)
        .where(Enrollment.training_id == training_id, took_part(Enrollment.status))
        .group_by(ImpactScore.category)
    ).all()
    by_cat = {row.category: int(row.n) for row in dist_rows}
    scored = sum(by_cat.values())
    total_index = sum(float(row.index_sum or 0) for row in dist_rows)
    with_self = sum(int(row.with_self or 0) for row in dist_rows)
    mean_index = scoring.round_half_up(total_index / scored, 1) if scored else None
    distribution = [
        CategoryShare(key=key, count=by_cat.get(key, 0), percent=(by_cat.get(key, 0) * 100 / scored) if scored else 0.0)
        for key in CATEGORY_ORDER
    ]

    r = ApplicationRating.__table__
    a = ApplicationAnswer.__table__
    q = Question.__table__
    e = Enrollment.__table__
    emp = Employee.__table__
    # joined from the training's enrollments (index on enrollment.training_id, then the ratings and their
    # answers by key): faster than an IN (subquery) on both SQLite and PostgreSQL
    rated_answers = e.join(r, r.c.enrollment_id == e.c.id).join(a, a.c.rating_id == r.c.id)
    rated_where = (e.c.training_id == training_id, took_part(e.c.status), r.c.status == "submitted")
    # per question and role: means of after/before/change and the number of texts (aggregated in SQL)
    agg = session.execute(
        select(
            a.c.question_id,
            r.c.rater_role,
            func.count(a.c.value_num).label("n"),
            func.avg(a.c.value_num).label("mean_after"),
            func.avg(a.c.value_before).label("mean_before"),
            func.avg(a.c.value_num - a.c.value_before).label("mean_change"),
            func.count(a.c.value_text).label("texts"),
        )
        .select_from(rated_answers)
        .where(*rated_where)
        .group_by(a.c.question_id, r.c.rater_role)
    ).all()
    qinfo = {
        row.id: row
        for row in session.execute(
            select(q.c.id, q.c.text, q.c.position, q.c.questionnaire_id, q.c.kind, q.c.retrospective).where(
                q.c.id.in_([x.question_id for x in agg] or [-1])
            )
        )
    }
    items, text_questions = _item_changes(agg, qinfo)
    # free-text examples: the newest few per text question of the supervisor's questionnaire (one query per
    # text question of the questionnaire: bounded by the questionnaire, not by the participants)
    examples: list[ExampleGroup] = []
    for qid, total in text_questions:
        found = session.execute(
            select(a.c.value_text, emp.c.name, e.c.id, r.c.submitted_at)
            .select_from(rated_answers.join(emp, emp.c.id == e.c.employee_id))
            .where(*rated_where, a.c.question_id == qid, a.c.value_text.is_not(None), r.c.rater_role == "supervisor")
            .order_by(r.c.submitted_at.desc(), r.c.id.desc())
            .limit(EXAMPLES_LIMIT)
        ).all()
        examples.append(
            ExampleGroup(
                question_id=qid,
                question=qinfo[qid].text,
                total=total,
                items=[
                    Example(text=text, employee=name, enrollment_id=enrollment_id, submitted_at=submitted_at)
                    for text, name, enrollment_id, submitted_at in found
                ],
            )
        )

    pages = max(1, (participants + PARTICIPANTS_PER_PAGE - 1) // PARTICIPANTS_PER_PAGE)
    page = min(max(1, page), pages)
    unit = Unit.__table__
    people = [
        Participant(
            enrollment_id=p.enrollment_id,
            name=p.name,
            nip=p.nip,
            unit=p.unit,
            status=p.status,
            self_status=p.self_status,
            index=p.index,
            category=p.category,
            state=sched.state(today, p.status),
        )
        for p in session.execute(
            select(
                Enrollment.id.label("enrollment_id"),
                Employee.name,
                Employee.nip,
                unit.c.name.label("unit"),
                sup.status.label("status"),
                own.status.label("self_status"),
                ImpactScore.impact_index.label("index"),
                ImpactScore.category,
            )
            .select_from(Enrollment)
            .join(Employee, Employee.id == Enrollment.employee_id)
            .outerjoin(unit, unit.c.id == Employee.unit_id)
            .outerjoin(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor"))
            .outerjoin(own, and_(own.enrollment_id == Enrollment.id, own.rater_role == "self"))
            .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
            .where(Enrollment.training_id == training_id, took_part(Enrollment.status))
            .order_by(Employee.name, Enrollment.id)
            .offset((page - 1) * PARTICIPANTS_PER_PAGE)
            .limit(PARTICIPANTS_PER_PAGE)
        )
    ]
    gap = gap_closure(session, training_id, t.starts_on, t.ends_on) if with_gap else None
    return TrainingImpact(
        training=t,
        schedule=sched,
        state=state,
        participants=participants,
        due=due,
        rated=rated,
        drafts=drafts,
        self_asked=t.self_report_questionnaire_id is not None,
        self_submitted=self_submitted,
        scored=scored,
        with_self=with_self,
        mean_index=mean_index,
        mean_category=scoring.impact_category(mean_index),
        distribution=distribution,
        items=items,
        examples=examples,
        people=people,
        page=page,
        pages=pages,
        gap=gap,
        weights=scoring.effective_weights(True, True),
        weights_no_self=scoring.effective_weights(True, False),
    )


@dataclass(frozen=True)
class VisibleResult:
    """An individual result a non-HR viewer may see."""

    enrollment_id: int
    name: str
    own: bool
    status: str | None  # of the supervisor rating
    index: float | None
    category: str | None

    @property
    def category_label(self) -> str:
        return category_label(self.category)


def visible_enrollments(session: Session, training_id: int, viewer_id: int, limit: int = VISIBLE_LIMIT) -> list[VisibleResult]:
    """Non-HR view of a training: only the enrollments whose individual result the viewer may see (their own,
    their current direct reports', and the ones they rated). 1 query."""
    sup = aliased(ApplicationRating)
    rows = session.execute(
        select(Enrollment.id, Employee.name, Employee.id, sup.status, ImpactScore.impact_index, ImpactScore.category)
        .select_from(Enrollment)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor"))
        .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
        .where(
            Enrollment.training_id == training_id,
            took_part(Enrollment.status),
            or_(Employee.id == viewer_id, Employee.supervisor_id == viewer_id, and_(sup.rater_id == viewer_id, sup.status == "submitted")),
        )
        .order_by(Employee.id != viewer_id, Employee.name)
        .limit(limit)
    ).all()
    return [
        VisibleResult(
            enrollment_id=enrollment_id, name=name, own=employee_id == viewer_id, status=status, index=index, category=category
        )
        for enrollment_id, name, employee_id, status, index, category in rows
    ]


def training_title(session: Session, training_id: int) -> str | None:
    return session.execute(select(Training.title).where(Training.id == training_id)).scalar_one_or_none()
