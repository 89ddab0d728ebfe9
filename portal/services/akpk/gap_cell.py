"""The people behind one cell of HR's gap map (/akpk/kesenjangan/sel): everyone in the unit whose
position standard has the competency, largest gap first, one page at a time. 3 queries.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.models import Assessment, AssessmentItem, Competency, Employee, Position, PositionStandard, Unit
from portal.services.akpk._types import CellDetail, Cycle, Person

PEOPLE_PER_PAGE = 50


def cell_people(
    session: Session,
    cycle: Cycle,
    unit_id: int,
    competency_id: int,
    position_class: str | None,
    page: int = 1,
    per_page: int = PEOPLE_PER_PAGE,
) -> CellDetail | None:
    """The people of one heat-map cell (the unit itself, not its sub-units), largest gap first,
    people without submitted levels last. 3 queries, `per_page` people at most."""
    names = session.execute(
        select(
            select(Unit.name).where(Unit.id == unit_id).scalar_subquery().label("unit_name"),
            select(Competency.code).where(Competency.id == competency_id).scalar_subquery().label("competency_code"),
            select(Competency.name).where(Competency.id == competency_id).scalar_subquery().label("competency_name"),
        )
    ).one()
    if names.unit_name is None or names.competency_code is None:
        return None
    stmt, gap, scope = people_select(cycle, unit_id, competency_id, position_class)
    base = select(Employee.id).select_from(Employee).join(Position, Position.id == Employee.position_id).join(
        PositionStandard, PositionStandard.position_id == Employee.position_id
    ).where(*scope)
    total = int(session.execute(select(func.count()).select_from(base.subquery())).scalar_one())
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    rows = session.execute(
        stmt.order_by(gap.is_(None), gap.desc(), Employee.name, Employee.id).limit(per_page).offset((page - 1) * per_page)
    ).mappings()
    people = [Person(**r) for r in rows]
    return CellDetail(unit_id, names.unit_name, competency_id, names.competency_code, names.competency_name, people, total, page, pages)


def people_select(cycle: Cycle, unit_id: int, competency_id: int, position_class: str | None) -> tuple[Any, Any, list[Any]]:
    """The SELECT of a cell's people (the columns of `Person`), its gap expression (required - final
    level, NULL when not assessed) and its scope conditions: active people of the unit whose position
    standard has the competency. Shared by the cell page and the enrolment of its people."""
    self_a, sup_a = aliased(Assessment), aliased(Assessment)
    self_i, sup_i = aliased(AssessmentItem), aliased(AssessmentItem)
    scope = [
        Employee.unit_id == unit_id,
        Employee.is_active.is_(True),
        PositionStandard.competency_id == competency_id,
    ]
    if position_class is not None:
        scope.append(Position.position_class == position_class)
    self_level = case((self_a.status == "submitted", self_i.level), else_=None)
    sup_level = case((sup_a.status == "submitted", sup_i.level), else_=None)
    gap = PositionStandard.required_level - func.coalesce(sup_level, self_level)
    stmt = (
        select(
            Employee.id,
            Employee.name,
            Employee.nip,
            Position.name.label("position"),
            PositionStandard.required_level,
            func.coalesce(self_a.status, "not_started").label("self_status"),
            func.coalesce(sup_a.status, "not_started").label("supervisor_status"),
            self_level.label("self_level"),
            sup_level.label("supervisor_level"),
        )
        .select_from(Employee)
        .join(Position, Position.id == Employee.position_id)
        .join(PositionStandard, PositionStandard.position_id == Employee.position_id)
        .outerjoin(self_a, and_(self_a.subject_id == Employee.id, self_a.cycle_id == cycle.id, self_a.rater_role == "self"))
        .outerjoin(self_i, and_(self_i.assessment_id == self_a.id, self_i.competency_id == competency_id))
        .outerjoin(sup_a, and_(sup_a.subject_id == Employee.id, sup_a.cycle_id == cycle.id, sup_a.rater_role == "supervisor"))
        .outerjoin(sup_i, and_(sup_i.assessment_id == sup_a.id, sup_i.competency_id == competency_id))
        .where(*scope)
    )
    return stmt, gap, scope
