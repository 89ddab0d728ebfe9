"""Who may assess whom. An assessment is reached only through a `Scope` made here:

- `own_scope`: the logged-in employee assesses themselves (/penilaian); the path has no person id,
  the subject is always the user;
- `report_scope`: a supervisor assesses a current, active direct report (/tim); anyone else is a
  NotFound (404), so that the ids of other people reveal nothing.

1 query for the subject, 1 for the cycle.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.db import connection_of
from portal.i18n import _
from portal.models import Employee, Position, Unit
from portal.services.akpk import Cycle, get_cycle
from portal.services.assessments._types import NotFound, Scope, Subject

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


def get_subject(session: Session | Connection, employee_id: int) -> Subject | None:
    """The active employee with their position and unit. 1 query."""
    row = connection_of(session).execute(_SUBJECT, {"subject_id": employee_id}).mappings().first()
    return Subject(**row) if row else None


def get_direct_report(session: Session, supervisor_id: int, subject_id: int) -> Subject | None:
    """The subject only when they are an active, current direct report of the supervisor. 1 query."""
    params = {"subject_id": subject_id, "supervisor_id": supervisor_id}
    row = connection_of(session).execute(_DIRECT_REPORT, params).mappings().first()
    return Subject(**row) if row else None


def _cycle(session: Session | Connection, cycle_id: int) -> Cycle:
    cycle = get_cycle(session, cycle_id)
    if cycle is None:
        raise NotFound(_("Siklus penilaian tidak ditemukan."))
    return cycle


def self_scope(session: Session | Connection, user_id: int, cycle: Cycle) -> Scope:
    """The user's own assessment in a cycle already found. NotFound for an inactive account."""
    subject = get_subject(session, user_id)
    if subject is None:
        raise NotFound("")
    return Scope(cycle, subject, "self", user_id)


def own_scope(session: Session | Connection, user_id: int, cycle_id: int) -> Scope:
    """The user's own assessment in cycle `cycle_id`. NotFound when the cycle does not exist. 2 queries."""
    return self_scope(session, user_id, _cycle(session, cycle_id))


def report_scope(session: Session, supervisor_id: int, cycle_id: int, subject_id: int) -> Scope:
    """The supervisor's assessment of `subject_id`: NotFound unless that person is a current, active
    direct report (checked first) and the cycle exists. 2 queries."""
    subject = get_direct_report(session, supervisor_id, subject_id)
    if subject is None:
        raise NotFound(_("Pegawai ini tidak ada dalam daftar bawahan langsung Anda."))
    return Scope(_cycle(session, cycle_id), subject, "supervisor", supervisor_id)
