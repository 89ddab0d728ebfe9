"""The JP summary (table `employeejp`): per employee and calendar year, the enrolments in which the
person took part (portal.rules.PARTICIPANT_STATUSES) in trainings ending in that year, and their JP.

Why: "% of employees with at least 20 JP this year" grouped every credited enrolment of the year per
employee on each view of the HR dashboard, the JP report and HR's Beranda (about 17,000 rows sorted for
5,000 employees: 20-30 ms of SQL on SQLite); the summary gives it from one index range.

Kept in the transaction of every enrolment write: `apply(conn, Enrolled(...))` recounts the rows of the
people and years touched (a person's enrolments of a year: a handful of rows), with the same statement
that `rebuild` runs for everyone. A training moved to another year or given other JP: `apply` with its
participants and both years. Rows may stay behind with trainings = 0 (read with `trainings > 0`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.db import dialect
from portal.models import EmployeeJp, Enrollment, Training
from portal.rules import took_part


@dataclass(frozen=True)
class Enrolled:
    """Enrolments of these people in trainings ending in these years were written."""

    employee_ids: frozenset[int]
    years: frozenset[int] = field(default_factory=frozenset)  # empty: every year of theirs

    @classmethod
    def of(cls, employee_ids: Iterable[int], years: Iterable[int] = ()) -> Enrolled:
        return cls(frozenset(employee_ids), frozenset(years))


def recount_select(employee_ids: Iterable[int] | None = None, years: Iterable[int] | None = None) -> Any:
    """The summary rows, straight from the enrolments (of some people and years, or all)."""
    year = dialect.year_of(Training.ends_on)
    stmt = (
        select(Enrollment.employee_id, year.label("year"), func.count().label("trainings"), func.sum(Enrollment.jp_credited).label("jp"))
        .join(Training, Training.id == Enrollment.training_id)
        .where(took_part(Enrollment.status))
    )
    if employee_ids is not None:
        stmt = stmt.where(Enrollment.employee_id.in_(list(employee_ids)))
    if years:
        stmt = stmt.where(year.in_(list(years)))
    return stmt.group_by(Enrollment.employee_id, year)


_COLUMNS = ["employee_id", "year", "trainings", "jp"]


def apply(conn: Connection, change: Enrolled) -> None:
    """Recount the rows of the people (and years) of the change, in the caller's transaction."""
    if not change.employee_ids:
        return
    t = EmployeeJp.__table__
    people = sorted(change.employee_ids)
    for start in range(0, len(people), 500):
        chunk = people[start : start + 500]
        cond = [t.c.employee_id.in_(chunk)]
        if change.years:
            cond.append(t.c.year.in_(sorted(change.years)))
        conn.execute(delete(t).where(and_(*cond)))
        conn.execute(insert(t).from_select(_COLUMNS, recount_select(chunk, change.years or None)))


def participants(conn: Connection | Session, training_id: int) -> list[int]:
    """The people enrolled in a training (whose summary a change of the training moves)."""
    return list(conn.execute(select(Enrollment.employee_id).where(Enrollment.training_id == training_id)).scalars())


def rebuild(session: Session) -> int:
    """Recompute the whole summary (does not commit). PostgreSQL: enrolments and trainings are locked
    against writes meanwhile."""
    dialect.lock_tables_against_writes(session, "enrollment", "training")
    session.execute(delete(EmployeeJp))
    session.execute(insert(EmployeeJp).from_select(_COLUMNS, recount_select()))
    return int(session.execute(select(func.count()).select_from(EmployeeJp)).scalar_one())


def credited_per_employee(year: int) -> Any:
    """Subquery (employee_id, jp) of the employees with a credited enrolment in the year."""
    return (
        select(EmployeeJp.employee_id, EmployeeJp.jp.label("jp"))
        .where(EmployeeJp.year == year, EmployeeJp.trainings > 0)
        .subquery()
    )
