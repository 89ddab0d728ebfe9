"""Master data lists for HR (the overview, employees, competencies; the trainings are in
services/trainings). Bounded queries, paginated."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.models import Competency, CompetencyLevel, Employee, Position, Training, Unit

PAGE_SIZE = 25


@dataclass
class Page:
    rows: list[dict]
    page: int
    pages: int
    total: int


def paginate(session: Session, stmt, count_stmt, page: int, size: int = PAGE_SIZE) -> Page:  # noqa: ANN001
    total = int(session.execute(count_stmt).scalar_one())
    pages = max(1, ceil(total / size))
    page = min(max(1, page), pages)
    rows = [dict(r._mapping) for r in session.execute(stmt.limit(size).offset((page - 1) * size))]
    return Page(rows=rows, page=page, pages=pages, total=total)


def overview_counts(session: Session) -> dict[str, int]:
    row = session.execute(
        select(
            select(func.count()).select_from(Unit).scalar_subquery(),
            select(func.count()).select_from(Employee).scalar_subquery(),
            select(func.count()).select_from(Competency).scalar_subquery(),
            select(func.count()).select_from(Training).scalar_subquery(),
            select(func.count()).select_from(Position).scalar_subquery(),
        )
    ).one()
    return dict(zip(("units", "employees", "competencies", "trainings", "positions"), map(int, row), strict=True))


def list_employees(session: Session, q: str = "", unit_id: int | None = None, page: int = 1) -> Page:
    sup = aliased(Employee)
    filters = []
    if q:
        like = f"%{q.strip().lower()}%"
        filters.append(or_(func.lower(Employee.name).like(like), Employee.nip.like(f"%{q.strip()}%")))
    if unit_id:
        filters.append(Employee.unit_id == unit_id)
    stmt = (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.is_active,
            Employee.is_hr,
            Employee.is_admin,
            Unit.name.label("unit"),
            Position.name.label("position"),
            sup.name.label("supervisor"),
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(sup, sup.id == Employee.supervisor_id)
        .where(*filters)
        .order_by(Employee.name, Employee.id)
    )
    count = select(func.count()).select_from(Employee).where(*filters)
    return paginate(session, stmt, count, page)


def list_competencies(session: Session) -> list[dict]:
    comps = [dict(r._mapping) for r in session.execute(
        select(Competency.id, Competency.code, Competency.name, Competency.group_name, Competency.description).order_by(
            Competency.group_name, Competency.code
        )
    )]
    levels: dict[int, list[tuple[int, str]]] = {}
    for cid, level, desc in session.execute(
        select(CompetencyLevel.competency_id, CompetencyLevel.level, CompetencyLevel.description).order_by(
            CompetencyLevel.competency_id, CompetencyLevel.level
        )
    ):
        levels.setdefault(cid, []).append((level, desc))
    for c in comps:
        c["levels"] = levels.get(c["id"], [])
    return comps
