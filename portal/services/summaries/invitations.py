"""Invitation counts (table `invitationcount`): per training, questionnaire and status, how many survey
invitations.

Why: the response rates of the HR dashboard and training list grouped every invitation of the period
(17,000 rows for a year of 180 trainings: 7-10 ms of PostgreSQL on each view); the counts give them from
a few rows per training.

Kept in the service transactions that write invitations: `apply(conn, Moved(...))` when invitations
move between statuses (autosave: pending -> draft, submit: -> submitted), `apply_training` after
attaching a survey (invitations created or deleted: the training's counts are recounted). `rebuild`
recounts every training with the same statement. Rows may stay behind with n = 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.db import dialect
from portal.models import InvitationCount, SurveyInvitation


@dataclass(frozen=True)
class Moved:
    """`n` invitations of a training and questionnaire went from one status to another."""

    training_id: int
    questionnaire_id: int
    from_status: str
    to_status: str
    n: int = 1


def recount_select(training_id: int | None = None) -> Any:
    """The count rows, straight from the invitations (of one training, or all)."""
    i = SurveyInvitation
    stmt = select(i.training_id, i.questionnaire_id, i.status, func.count().label("n"))
    if training_id is not None:
        stmt = stmt.where(i.training_id == training_id)
    return stmt.group_by(i.training_id, i.questionnaire_id, i.status)


_ADD: dict[str, Any] = {}


def apply(conn: Connection, change: Moved) -> None:
    """Move the counts along (in the transaction that moved the invitations)."""
    if change.n <= 0 or change.from_status == change.to_status:
        return
    c = InvitationCount.__table__.c
    key = {"training_id": change.training_id, "questionnaire_id": change.questionnaire_id}
    conn.execute(
        update(InvitationCount.__table__)
        .where(c.training_id == change.training_id, c.questionnaire_id == change.questionnaire_id, c.status == change.from_status)
        .values(n=c.n - change.n)
    )
    name = conn.dialect.name
    add = _ADD.get(name)
    if add is None:
        stmt = dialect.insert(name)(InvitationCount.__table__)
        add = _ADD[name] = stmt.on_conflict_do_update(
            index_elements=["training_id", "questionnaire_id", "status"], set_={"n": c.n + stmt.excluded.n}
        )
    conn.execute(add, {**key, "status": change.to_status, "n": change.n})


def apply_training(conn: Connection, training_id: int) -> None:
    """Recount the training's rows (after invitations of it were created or deleted)."""
    conn.execute(delete(InvitationCount.__table__).where(InvitationCount.__table__.c.training_id == training_id))
    conn.execute(insert(InvitationCount.__table__).from_select(["training_id", "questionnaire_id", "status", "n"], recount_select(training_id)))


def rebuild(session: Session) -> int:
    """Recount every training (does not commit). PostgreSQL: invitations are locked against writes
    meanwhile."""
    dialect.lock_tables_against_writes(session, "surveyinvitation")
    session.execute(delete(InvitationCount))
    session.execute(insert(InvitationCount).from_select(["training_id", "questionnaire_id", "status", "n"], recount_select()))
    return int(session.execute(select(func.count()).select_from(InvitationCount)).scalar_one())
