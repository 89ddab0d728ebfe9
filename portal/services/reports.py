"""HR reports. (Foundation: JP compliance per unit; the full dashboard comes with the HR review issue.)"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlmodel import Session

from portal.models import Employee, Enrollment, Training, Unit
from portal.services.home import CREDITED_STATUSES, JP_TARGET


def jp_by_unit(session: Session, year: int) -> list[dict]:
    """Per unit: active employees, JP credited in the year, employees reaching the target. One query."""
    per_emp = (
        select(Enrollment.employee_id, func.sum(Enrollment.jp_credited).label("jp"))
        .join(Training, Training.id == Enrollment.training_id)
        .where(
            Enrollment.status.in_(CREDITED_STATUSES),
            Training.ends_on >= date(year, 1, 1),
            Training.ends_on <= date(year, 12, 31),
        )
        .group_by(Enrollment.employee_id)
        .subquery()
    )
    stmt = (
        select(
            Unit.id,
            Unit.name,
            func.count(Employee.id).label("employees"),
            func.coalesce(func.sum(per_emp.c.jp), 0).label("jp"),
            func.coalesce(func.sum(case((per_emp.c.jp >= JP_TARGET, 1), else_=0)), 0).label("reached"),
        )
        .join(Employee, Employee.unit_id == Unit.id)
        .outerjoin(per_emp, per_emp.c.employee_id == Employee.id)
        .where(Employee.is_active.is_(True))
        .group_by(Unit.id, Unit.name)
        .order_by(Unit.name)
    )
    rows = []
    for r in session.execute(stmt):
        d = dict(r._mapping)
        d["jp"] = int(d["jp"])
        d["reached"] = int(d["reached"])
        d["percent"] = round(100 * d["reached"] / d["employees"]) if d["employees"] else 0
        rows.append(d)
    return rows
