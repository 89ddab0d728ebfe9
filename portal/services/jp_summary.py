"""The JP summary (table `employeejp`): per employee and calendar year, the credited enrollments
(attended or completed) in trainings ending in that year and their JP.

Why: "% of employees with at least 20 JP this year" grouped every credited enrollment of the year per
employee on each view of the HR dashboard, the JP report and HR's Beranda (about 17,000 rows sorted
for 5,000 employees: 20-30 ms of SQL on SQLite); the summary gives it from one index range.

It is kept by database triggers (migration 3c1f0a9d2b7e) rather than by the services: enrollments are
written by imports and bulk loads as well, and a trigger sees every one of them. `recount_select` is the
definition (and the tests' recount); `rebuild` recomputes the table from it (`portal scores rebuild-jp`).
"""

from __future__ import annotations

from sqlalchemy import Integer, cast, delete, extract, func, insert, select, text
from sqlmodel import Session

from portal.models import EmployeeJp, Enrollment, Training

CREDITED_STATUSES = ("attended", "completed")


def recount_select():
    """The summary rows, straight from the enrollments."""
    year = cast(extract("year", Training.ends_on), Integer)
    return (
        select(Enrollment.employee_id, year.label("year"), func.count().label("trainings"), func.sum(Enrollment.jp_credited).label("jp"))
        .join(Training, Training.id == Enrollment.training_id)
        .where(Enrollment.status.in_(CREDITED_STATUSES))
        .group_by(Enrollment.employee_id, year)
    )


def rebuild(session: Session) -> int:
    """Recompute the whole summary (the caller commits). PostgreSQL: enrollments are locked against
    writes meanwhile, so that no trigger adds to rows this replaces."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE enrollment, training IN SHARE MODE"))
    session.execute(delete(EmployeeJp))
    session.execute(insert(EmployeeJp).from_select(["employee_id", "year", "trainings", "jp"], recount_select()))
    return int(session.execute(select(func.count()).select_from(EmployeeJp)).scalar_one())


def credited_per_employee(year: int):
    """Subquery (employee_id, jp) of the employees with a credited enrollment in the year."""
    return (
        select(EmployeeJp.employee_id, EmployeeJp.jp.label("jp"))
        .where(EmployeeJp.year == year, EmployeeJp.trainings > 0)
        .subquery()
    )
