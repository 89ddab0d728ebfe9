"""Who may assess whom: the employee themselves (`get_subject`: the web layer passes the logged-in
user), or a supervisor a current, active direct report (`get_direct_report`: None, hence 404, for
anyone else). 1 query each.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlmodel import Session

from portal.models import Employee, Position, Unit
from portal.services.assessments._types import Subject

_E = Employee.__table__
_P = Position.__table__
_U = Unit.__table__

_SUBJECT = (
    select(
        _E.c.id,
        _E.c.name,
        _E.c.nip,
        _E.c.position_id,
        _P.c.name.label("position_name"),
        _P.c.position_class,
        _U.c.name.label("unit_name"),
        _E.c.supervisor_id,
    )
    .select_from(_E.outerjoin(_P, _P.c.id == _E.c.position_id).outerjoin(_U, _U.c.id == _E.c.unit_id))
    .where(_E.c.is_active.is_(True), _E.c.id == bindparam("subject_id"))
)
_DIRECT_REPORT = _SUBJECT.where(_E.c.supervisor_id == bindparam("supervisor_id"))


def get_subject(session: Session, employee_id: int) -> Subject | None:
    """The active employee with their position and unit. 1 query."""
    row = session.connection().execute(_SUBJECT, {"subject_id": employee_id}).mappings().first()
    return Subject(**row) if row else None


def get_direct_report(session: Session, supervisor_id: int, subject_id: int) -> Subject | None:
    """The subject only when they are an active, current direct report of the supervisor. 1 query."""
    params = {"subject_id": subject_id, "supervisor_id": supervisor_id}
    row = session.connection().execute(_DIRECT_REPORT, params).mappings().first()
    return Subject(**row) if row else None
