"""The AKPK gap summary (table `assessmentgap`): one row per cycle, person and competency with the
gap of the person's final assessment, kept in the same transaction as every submit.

Why: the HR heat map of 5,000 people x 12 competencies joined ~60,000 assessment items to their
standards and grouped them on every view (~55 ms of SQL on SQLite); grouping the summary through its
covering index takes ~10 ms. The rows record the unit and position the person held when the final
assessment was submitted (the gap was measured against that position's standard).

Kept by `apply(conn, Assessed(cycle, person))` in the transaction of each assessment submit (the person's
rows of the cycle are recomputed with `final_gap_rows`), by `apply_people` when people move to another
position or unit, and by `apply_positions` when a position's standard changes (imports, Data Master
forms); `rebuild` runs the same statement for every cycle (demo data, bulk imports of assessments made
outside the portal: `portal summaries rebuild gaps`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.db import dialect

from portal.models import (
    Assessment,
    AssessmentGap,
    AssessmentItem,
    Employee,
    PositionStandard,
)

COLUMNS = ["cycle_id", "subject_id", "competency_id", "unit_id", "position_id", "gap"]


@dataclass(frozen=True)
class Assessed:
    """An assessment of `subject_id` in `cycle_id` was submitted (or reopened)."""

    cycle_id: int
    subject_id: int


def final_gap_rows(cycle_id: int | None = None, subject_id: int | None = None, subject_ids: list[int] | None = None):
    """SELECT of the summary rows, straight from the assessments (also the tests' recount)."""
    a = Assessment
    conds = [a.status == "submitted"]
    if cycle_id is not None:
        conds.append(a.cycle_id == cycle_id)
    if subject_id is not None:
        conds.append(a.subject_id == subject_id)
    if subject_ids is not None:
        conds.append(a.subject_id.in_(subject_ids))
    sup_id = func.max(case((a.rater_role == "supervisor", a.id), else_=None))
    self_id = func.max(case((a.rater_role == "self", a.id), else_=None))
    final = (
        select(a.cycle_id.label("cycle_id"), a.subject_id.label("subject_id"), func.coalesce(sup_id, self_id).label("aid"))
        .where(*conds)
        .group_by(a.cycle_id, a.subject_id)
        .subquery("final")
    )
    return (
        select(
            final.c.cycle_id,
            final.c.subject_id,
            AssessmentItem.competency_id,
            Employee.unit_id,
            Employee.position_id,
            (PositionStandard.required_level - AssessmentItem.level).label("gap"),
        )
        .select_from(final)
        .join(Employee, Employee.id == final.c.subject_id)
        .join(AssessmentItem, AssessmentItem.assessment_id == final.c.aid)
        .join(
            PositionStandard,
            and_(PositionStandard.position_id == Employee.position_id, PositionStandard.competency_id == AssessmentItem.competency_id),
        )
    )


def apply(conn: Connection, change: Assessed) -> None:
    """Replace one person's rows for a cycle (call inside the submit's transaction).

    On PostgreSQL the person's employee row is locked first, so that a self and a supervisor submit
    of the same person running at once are applied one after the other and the later one sees the
    earlier one's status (on SQLite the write lock already serialises them)."""
    cycle_id, subject_id = change.cycle_id, change.subject_id
    dialect.lock_rows(conn, select(Employee.id).where(Employee.id == subject_id))
    t = AssessmentGap.__table__
    conn.execute(delete(t).where(t.c.cycle_id == cycle_id, t.c.subject_id == subject_id))
    conn.execute(insert(t).from_select(COLUMNS, final_gap_rows(cycle_id, subject_id)))


def apply_people(conn: Connection, subject_ids: list[int]) -> None:
    """Recompute every cycle's rows of these people (their position, unit or position standard changed,
    e.g. by an import), with the same statement as `rebuild`."""
    t = AssessmentGap.__table__
    people = sorted(set(subject_ids))
    for start in range(0, len(people), 500):
        chunk = people[start : start + 500]
        conn.execute(delete(t).where(t.c.subject_id.in_(chunk)))
        conn.execute(insert(t).from_select(COLUMNS, final_gap_rows(subject_ids=chunk)))


def apply_positions(conn: Connection, position_ids: list[int]) -> None:
    """Recompute every cycle's rows of the people holding these positions (their standard changed)."""
    if not position_ids:
        return
    holders: list[int] = []
    ids = sorted(set(position_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        holders.extend(conn.execute(select(Employee.id).where(Employee.position_id.in_(chunk))).scalars())
    if holders:
        apply_people(conn, holders)


def rebuild(session: Session, cycle_id: int | None = None) -> int:
    """Recompute the summary of one cycle (or of all) from the assessments. Does not commit.
    Returns the number of rows written."""
    stmt = delete(AssessmentGap)
    if cycle_id is not None:
        stmt = stmt.where(AssessmentGap.cycle_id == cycle_id)
    session.execute(stmt)
    session.execute(insert(AssessmentGap).from_select(COLUMNS, final_gap_rows(cycle_id)))
    count = select(func.count()).select_from(AssessmentGap)
    if cycle_id is not None:
        count = count.where(AssessmentGap.cycle_id == cycle_id)
    return int(session.execute(count).scalar_one())
