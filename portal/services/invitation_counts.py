"""Invitation counts (table `invitationcount`): per training, questionnaire and status, how many survey
invitations.

Why: the response rates of the HR dashboard and training list grouped every invitation of the period
(17,000 rows for a year of 180 trainings: 7-10 ms of PostgreSQL on each view); the counts give them from
a few rows per training.

Kept by database triggers (migration b7d2e5f4c3a1) rather than by the services: invitations are written
by attaching a survey, autosave (pending -> draft), submit, enrollment changes and bulk loads, and a
trigger sees every one of them. `recount_select` is the definition (and the tests' recount); `rebuild`
recomputes the table from it (`portal scores rebuild-invitations`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlmodel import Session

from portal.models import InvitationCount, SurveyInvitation


def recount_select() -> Any:
    """The count rows, straight from the invitations."""
    i = SurveyInvitation
    return select(i.training_id, i.questionnaire_id, i.status, func.count().label("n")).group_by(i.training_id, i.questionnaire_id, i.status)


def rebuild(session: Session) -> int:
    """Recompute every count (the caller commits). PostgreSQL: invitations are locked against writes
    meanwhile, so that no trigger adds to rows this replaces."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE surveyinvitation IN SHARE MODE"))
    session.execute(delete(InvitationCount))
    session.execute(insert(InvitationCount).from_select(["training_id", "questionnaire_id", "status", "n"], recount_select()))
    return int(session.execute(select(func.count()).select_from(InvitationCount)).scalar_one())
