"""A training's participants and their attendance, and what attendance means for its reaction survey.

Whoever took part (portal.rules.PARTICIPANT_STATUSES) is credited with JP and invited to the survey;
whoever did not is neither. When attendance changes after a survey was attached, `sync_invitations`
keeps the survey in step, within the rules of `SurveyWindow`: an unsubmitted invitation of someone
marked absent is withdrawn (with its draft); someone newly marked present is invited while the window
is open or upcoming, never into a closed window (an anonymous survey stays frozen once closed). A
person who already submitted cannot be marked absent: their answer is counted (and may be anonymous,
so it cannot be taken out): `submitted_people` lets callers refuse that change first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, select
from sqlmodel import Session

from portal.db import dialect
from portal.models import Enrollment, SurveyInvitation, Training
from portal.rules import took_part
from portal.services import summaries
from portal.services.trainings.survey import delete_unsubmitted, generate_invitations, survey_window


def submitted_people(session: Session, training_id: int, employee_ids: Iterable[int]) -> set[int]:
    """Those of `employee_ids` who submitted the training's reaction survey. Call it in the transaction
    that then changes their attendance: it locks their invitations until that transaction ends."""
    ids = sorted(set(employee_ids))
    found: set[int] = set()
    conn = session.connection()
    for start in range(0, len(ids), 500):
        # their invitations are locked first: a submit running at this moment commits before we read
        # (PostgreSQL; SQLite's single writer serialises the two anyway)
        dialect.lock_rows(
            conn, select(SurveyInvitation.id).where(SurveyInvitation.training_id == training_id, SurveyInvitation.employee_id.in_(ids[start : start + 500]))
        )
        found.update(
            session.execute(
                select(SurveyInvitation.employee_id)
                .join(Training, and_(Training.id == SurveyInvitation.training_id, Training.reaction_questionnaire_id == SurveyInvitation.questionnaire_id))
                .where(
                    SurveyInvitation.training_id == training_id,
                    SurveyInvitation.status == "submitted",
                    SurveyInvitation.employee_id.in_(ids[start : start + 500]),
                )
            ).scalars()
        )
    return found


def sync_invitations(session: Session, training_ids: Iterable[int], today: date) -> dict[int, tuple[int, int]]:
    """After attendance changed: withdraw the unsubmitted invitations of people who no longer took part,
    and invite those who now did while the window is not closed. Returns {training: (added, removed)}
    for the trainings that changed. Does not commit."""
    changed: dict[int, tuple[int, int]] = {}
    for training_id in sorted(set(training_ids)):
        training = session.get(Training, training_id)
        if training is None or training.reaction_questionnaire_id is None:
            continue
        qid = training.reaction_questionnaire_id
        attended = select(Enrollment.employee_id).where(Enrollment.training_id == training_id, took_part(Enrollment.status))
        removed = delete_unsubmitted(
            session, training_id, and_(SurveyInvitation.questionnaire_id == qid, SurveyInvitation.employee_id.not_in(attended))
        )
        added = 0
        window = survey_window(session, training)
        if window.state(today) in ("open", "upcoming") and not window.frozen(today):
            assert window.opens_on is not None and window.closes_on is not None
            added = generate_invitations(session, training_id, qid, window.opens_on, window.closes_on)
        if added or removed:
            summaries.invitations.apply_training(session.connection(), training_id)
            changed[training_id] = (added, removed)
    return changed
