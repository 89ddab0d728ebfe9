"""From a gap to development: for one cell of the gap map (a unit and a competency), the trainings still
to come that target the competency, and the enrolment of the cell's people who have a gap in it
(registered; attendance is marked later on the training's roster). Enrolments go through
portal.services.trainings.enrollments, so the JP summary stays exact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from portal.models import Enrollment, Training, TrainingCompetency
from portal.services.accounts import audit
from portal.services.akpk._types import Cycle
from portal.services.akpk.gap_cell import people_select
from portal.services.trainings import enrollments

UPCOMING_LIMIT = 10


@dataclass(frozen=True)
class UpcomingTraining:
    id: int
    code: str
    title: str
    provider: str
    starts_on: date
    ends_on: date
    jp: int
    enrolled: int


def upcoming_trainings(session: Session, competency_id: int, today: date, limit: int = UPCOMING_LIMIT) -> list[UpcomingTraining]:
    """Trainings that start today or later and target the competency, soonest first, with how many are
    enrolled. 1 query."""
    enrolled = select(func.count()).where(Enrollment.training_id == Training.id).correlate(Training).scalar_subquery()
    rows = session.execute(
        select(Training.id, Training.code, Training.title, Training.provider, Training.starts_on, Training.ends_on, Training.jp, enrolled.label("enrolled"))
        .join(TrainingCompetency, TrainingCompetency.training_id == Training.id)
        .where(TrainingCompetency.competency_id == competency_id, Training.starts_on >= today)
        .order_by(Training.starts_on, Training.id)
        .limit(limit)
    ).mappings()
    return [UpcomingTraining(**r) for r in rows]


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    nip: str
    gap: int


def people_to_enrol(
    session: Session, cycle: Cycle, unit_id: int, competency_id: int, position_class: str | None, training_id: int
) -> list[Candidate]:
    """The cell's people with a gap (> 0) in the competency who are not enrolled in the training yet,
    largest gap first. 1 query."""
    stmt, gap, _scope = people_select(cycle, unit_id, competency_id, position_class)
    already = select(Enrollment.employee_id).where(Enrollment.training_id == training_id)
    person = stmt.selected_columns
    gapped = stmt.add_columns(gap.label("gap")).where(gap > 0, person.id.not_in(already)).order_by(gap.desc(), person.name, person.id)
    return [Candidate(r.id, r.name, r.nip, int(r.gap)) for r in session.execute(gapped)]


def enrol_candidates(session: Session, training_id: int, employee_ids: list[int], actor_id: int, competency_id: int) -> int:
    """Enrol these people (registered) in the training, skipping anyone enrolled meanwhile; returns how
    many were added. Audited. Does not commit."""
    taken = set(session.execute(select(Enrollment.employee_id).where(Enrollment.training_id == training_id)).scalars())
    new = [e for e in dict.fromkeys(employee_ids) if e not in taken]
    enrollments.enrol_many(session, [{"training_id": training_id, "employee_id": e, "status": "registered", "jp_credited": 0} for e in new])
    audit(session, actor_id, "akpk.enrol_gap", f"training:{training_id}", f"competency:{competency_id} +{len(new)}")
    return len(new)
