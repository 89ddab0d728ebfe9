"""The supervisor's team (/tim): current, active direct reports with the status of both assessments
in one cycle. 1 query."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.models import Assessment, AssessmentItem, Employee, Position, PositionStandard
from portal.services.assessments._types import TeamRow


def team(session: Session, supervisor_id: int, cycle_id: int | None) -> list[TeamRow]:
    """Current direct reports with the status of both assessments. 1 query."""
    self_a = aliased(Assessment)
    sup_a = aliased(Assessment)
    answered = (
        select(func.count(AssessmentItem.level)).where(AssessmentItem.assessment_id == sup_a.id).correlate(sup_a).scalar_subquery()
    )
    total = (
        select(func.count(PositionStandard.id))
        .where(PositionStandard.position_id == Employee.position_id)
        .correlate(Employee)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Employee.id,
            Employee.name,
            Employee.nip,
            Position.name,
            self_a.status,
            sup_a.status,
            answered,
            total,
        )
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(self_a, and_(self_a.subject_id == Employee.id, self_a.cycle_id == cycle_id, self_a.rater_role == "self"))
        .outerjoin(sup_a, and_(sup_a.subject_id == Employee.id, sup_a.cycle_id == cycle_id, sup_a.rater_role == "supervisor"))
        .where(Employee.supervisor_id == supervisor_id, Employee.is_active.is_(True))
        .order_by(Employee.name)
    ).all()
    return [
        TeamRow(
            id_, name, nip, position, self_status or "not_started", sup_status or "not_started", int(answered_n or 0), int(required_n or 0)
        )
        for id_, name, nip, position, self_status, sup_status, answered_n, required_n in rows
    ]
