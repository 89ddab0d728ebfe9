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

from sqlalchemy import bindparam, delete, func, insert, select
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
    """Move the counts along (in the transaction that moved the invitations): one upsert of two rows,
    the from-status's count down by n and the to-status's up by n."""
    if change.n <= 0 or change.from_status == change.to_status:
        return
    name = conn.dialect.name
    move = _ADD.get(name)
    if move is None:
        stmt = dialect.insert(name)(InvitationCount.__table__).values(
            [
                {"training_id": bindparam("t"), "questionnaire_id": bindparam("q"), "status": bindparam("from_status"), "n": bindparam("less")},
                {"training_id": bindparam("t"), "questionnaire_id": bindparam("q"), "status": bindparam("to_status"), "n": bindparam("more")},
            ]
        )
        move = _ADD[name] = stmt.on_conflict_do_update(
            index_elements=["training_id", "questionnaire_id", "status"], set_={"n": InvitationCount.__table__.c.n + stmt.excluded.n}
        )
    conn.execute(move, {"t": change.training_id, "q": change.questionnaire_id, "from_status": change.from_status,
                        "to_status": change.to_status, "less": -change.n, "more": change.n})


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
