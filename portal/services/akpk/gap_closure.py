"""Gap closure of a training: the change of the participants' final AKPK level per trained competency
between the last AKPK cycle that closed before the training began and the first that opened after it
ended (shown on the per-training impact page and on one person's result).

Final level = the supervisor's submitted level, else the submitted self level (scoring.final_level).
Self-contained (models, db dialect helpers and rules only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlmodel import Session

from portal.db import dialect as db_dialect
from portal.models import Assessment, AssessmentCycle, AssessmentItem, Competency, Enrollment, Training, TrainingCompetency
from portal.rules import took_part


@dataclass
class GapRow:
    competency_id: int
    code: str
    name: str
    n: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    improved: int = 0
    declined: int = 0
    before_level: int | None = None  # individual view
    after_level: int | None = None


@dataclass
class GapClosure:
    before_cycle: str | None
    after_cycle: str | None
    rows: list[GapRow]
    competencies: list[str]

    @property
    def available(self) -> bool:
        return self.before_cycle is not None and self.after_cycle is not None


def _cycles_around(session: Session, starts_on: date, ends_on: date) -> tuple[Any, Any]:
    """The last AKPK cycle that closed before the training began and the first that opened after it ended (1 query)."""
    cycles = session.execute(
        select(AssessmentCycle.id, AssessmentCycle.name, AssessmentCycle.opens_on, AssessmentCycle.closes_on)
        .order_by(AssessmentCycle.opens_on)
        .limit(200)
    ).all()
    before = None
    after = None
    for c in cycles:
        if c.closes_on < starts_on:
            before = c
        if after is None and c.opens_on > ends_on:
            after = c
    return before, after


def _levels(training_id: int, before_id: int, after_id: int, employee_id: int | None = None, dialect: str = db_dialect.SQLITE) -> Any:
    """Per participant and trained competency: the final level in the cycle before (lb) and after (la) the
    training, coded (see below; final = the supervisor's submitted level, else the submitted self level). One
    pass over the participants' submitted assessments, grouped."""
    a = Assessment.__table__
    i = AssessmentItem.__table__
    e = Enrollment.__table__
    tc = TrainingCompetency.__table__

    # one aggregate per cycle: max(10 x is_supervisor + level) over the cycle's rows; the supervisor's level wins
    # over the self level, the code mod 10 is the level, NULL means "no level in that cycle" (half the work of
    # four CASE aggregates)
    code = case((a.c.rater_role == "supervisor", 10), else_=0) + i.c.level
    before = func.max(case((a.c.cycle_id == before_id, code)))
    after = func.max(case((a.c.cycle_id == after_id, code)))
    # SQLite: "+ 0" keeps the planner on the participants' assessments instead of every item of the competency in
    # the whole organisation (it picks ix_assessmentitem_competency_id otherwise); PostgreSQL plans it well as is
    competency = db_dialect.without_index(dialect, i.c.competency_id)
    if employee_id is None:
        subject_cond = a.c.subject_id.in_(select(e.c.employee_id).where(e.c.training_id == training_id, took_part(e.c.status)))
    else:
        subject_cond = a.c.subject_id == employee_id
    return (
        select(i.c.competency_id, before.label("lb"), after.label("la"))
        .select_from(a.join(i, i.c.assessment_id == a.c.id))
        .where(
            a.c.status == "submitted",
            a.c.cycle_id.in_((before_id, after_id)),
            subject_cond,
            competency.in_(select(tc.c.competency_id).where(tc.c.training_id == training_id)),
        )
        .group_by(a.c.subject_id, i.c.competency_id)
    )


def _level(code: int | None) -> int | None:
    return code % 10 if code is not None else None


def gap_closure(session: Session, training_id: int, starts_on: date, ends_on: date, employee_id: int | None = None) -> GapClosure:
    """Change of the final AKPK level per trained competency between the cycle before and the cycle after the
    training: per competency the mean over participants with both levels, or one person's levels. Queries: 3."""
    before, after = _cycles_around(session, starts_on, ends_on)
    comps = session.execute(
        select(Competency.id, Competency.code, Competency.name)
        .join(TrainingCompetency, TrainingCompetency.competency_id == Competency.id)
        .where(TrainingCompetency.training_id == training_id)
        .order_by(Competency.code)
    ).all()
    names = [c.name for c in comps]
    if before is None or after is None:
        return GapClosure(before.name if before else None, after.name if after else None, [], names)
    levels = _levels(training_id, before.id, after.id, employee_id, db_dialect.name_of(session)).subquery()
    lb = levels.c.lb % 10
    la = levels.c.la % 10
    rows: list[GapRow] = []
    if employee_id is None:
        change = la - lb
        got = {
            g.competency_id: g
            for g in session.execute(
                select(
                    levels.c.competency_id,
                    func.count().label("n"),
                    func.avg(lb).label("mean_before"),
                    func.avg(la).label("mean_after"),
                    func.avg(change).label("mean_change"),
                    func.sum(case((change > 0, 1), else_=0)).label("improved"),
                    func.sum(case((change < 0, 1), else_=0)).label("declined"),
                )
                .where(levels.c.lb.is_not(None), levels.c.la.is_not(None))
                .group_by(levels.c.competency_id)
            )
        }
        for c in comps:
            g = got.get(c.id)
            if g is None:
                rows.append(GapRow(c.id, c.code, c.name, 0, None, None, None))
            else:
                rows.append(
                    GapRow(
                        c.id, c.code, c.name, int(g.n), float(g.mean_before), float(g.mean_after), float(g.mean_change),
                        int(g.improved or 0), int(g.declined or 0),
                    )
                )
    else:
        mine = {
            competency_id: (_level(code_before), _level(code_after))
            for competency_id, code_before, code_after in session.execute(select(levels.c.competency_id, levels.c.lb, levels.c.la))
        }
        for c in comps:
            level_before, level_after = mine.get(c.id, (None, None))
            diff = level_after - level_before if level_before is not None and level_after is not None else None
            rows.append(
                GapRow(c.id, c.code, c.name, 1 if diff is not None else 0, level_before, level_after, diff,
                       before_level=level_before, after_level=level_after)
            )
    return GapClosure(before.name, after.name, rows, names)


def training_gap(session: Session, training_id: int) -> tuple[Any, GapClosure] | None:
    """The gap-closure section of the impact page, as its own fragment (it joins the AKPK data: 3 queries)."""
    t = session.execute(
        select(Training.id, Training.title, Training.starts_on, Training.ends_on).where(Training.id == training_id)
    ).first()
    if t is None:
        return None
    return t, gap_closure(session, training_id, t.starts_on, t.ends_on)
