"""Reading an assessment form: the competencies of the subject's position standard with their level
descriptions, the stored answers of one rater role, and the progress. 1-4 queries per call (noted).
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import scoring
from portal.db import connection_of
from portal.models import Assessment, AssessmentItem, Competency, CompetencyLevel, PositionStandard
from portal.services.akpk import Cycle, competency_order
from portal.services.assessments._types import Form, Group, Item, Level, Progress, State, Subject

_I = AssessmentItem.__table__
_S = PositionStandard.__table__
_C = Competency.__table__
_L = CompetencyLevel.__table__
_A = Assessment.__table__

# every page view of a form runs these: built once, run as Core statements on the session's connection
# (the ORM's execution path cost about twice as much for the same rows)
_STANDARD = (
    select(
        _C.c.id.label("competency_id"),
        _C.c.code,
        _C.c.name,
        _C.c.group_name.label("group"),
        _C.c.description,
        _S.c.required_level,
    )
    .select_from(_C.join(_S, _S.c.competency_id == _C.c.id))
    .where(_S.c.position_id == bindparam("position_id"))
)
_LEVELS = (
    select(_L.c.competency_id, _L.c.level, _L.c.description)
    .select_from(_L.join(_S, _S.c.competency_id == _L.c.competency_id))
    .where(_S.c.position_id == bindparam("position_id"))
    .order_by(_L.c.competency_id, _L.c.level)
)
_STATE = select(_A.c.id, _A.c.status, _A.c.submitted_at, _A.c.updated_at, _A.c.rater_id).where(
    _A.c.cycle_id == bindparam("cycle_id"), _A.c.subject_id == bindparam("subject_id"), _A.c.rater_role == bindparam("role")
)
_ANSWERS = select(_I.c.competency_id, _I.c.level, _I.c.note, _I.c.updated_at).where(_I.c.assessment_id == bindparam("assessment_id"))

# the autosave path asks for the progress on every click: built once
_PROGRESS = (
    select(func.count(_S.c.id).label("total"), func.count(_I.c.level).label("answered"))  # a note kept before a level is not an answer
    .select_from(
        _S.outerjoin(_I, and_(_I.c.competency_id == _S.c.competency_id, _I.c.assessment_id == bindparam("assessment_id")))
    )
    .where(_S.c.position_id == bindparam("position_id"))
)


def standard(session: Session | Connection, position_id: int | None) -> list[Item]:
    """Competencies required by the position with their level descriptions, in form order. 2 queries."""
    if position_id is None:
        return []
    conn = connection_of(session)
    items = [Item(**row) for row in conn.execute(_STANDARD, {"position_id": position_id}).mappings()]
    items.sort(key=lambda i: competency_order(i.group, i.code))
    by_id = {i.competency_id: i for i in items}
    if by_id:
        for row in conn.execute(_LEVELS, {"position_id": position_id}).mappings():
            by_id[row["competency_id"]].levels.append(Level(row["level"], row["description"]))
    for item in items:  # a dictionary without descriptions still offers levels 1-5
        if not item.levels:
            item.levels = [Level(n, "") for n in range(scoring.LEVEL_MIN, scoring.LEVEL_MAX + 1)]
    return items


def _group(items: list[Item]) -> list[Group]:
    groups: list[Group] = []
    for item in items:
        if not groups or groups[-1].key != item.group:
            groups.append(Group(item.group, []))
        groups[-1].items.append(item)
    return groups


def assessment_state(session: Session | Connection, cycle_id: int, subject_id: int, role: str) -> State:
    """1 query."""
    row = connection_of(session).execute(_STATE, {"cycle_id": cycle_id, "subject_id": subject_id, "role": role}).mappings().first()
    return State(**row) if row else State()


def load_form(session: Session | Connection, cycle: Cycle, subject: Subject, role: str) -> Form:
    """The form of one rater role for one subject in one cycle. 4 queries."""
    items = standard(session, subject.position_id)
    state = assessment_state(session, cycle.id, subject.id, role)
    answered = 0
    if state.id is not None:
        by_id = {i.competency_id: i for i in items}
        for row in connection_of(session).execute(_ANSWERS, {"assessment_id": state.id}).mappings():
            item = by_id.get(row["competency_id"])
            if item is not None:
                item.level, item.note, item.updated_at = row["level"], row["note"], row["updated_at"]
                answered += row["level"] is not None  # a note kept before a level is not an answer
    return Form(cycle, subject, role, state, _group(items), Progress(answered, len(items)))


def progress(session: Session, assessment_id: int | None, position_id: int | None) -> Progress:
    """Answered / required for an assessment. 1 query."""
    if position_id is None:
        return Progress(0, 0)
    row = session.connection().execute(_PROGRESS, {"assessment_id": assessment_id, "position_id": position_id}).one()
    return Progress(int(row.answered), int(row.total))
