"""Submitting a survey exactly once, with anonymity held in the database (see the package docstring
and docs/anonymity.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlmodel import Session

from portal import rules
from portal.db import dialect
from portal.db.bulk import BulkWrite
from portal.db.wal import scrub_after_anonymous_submit
from portal.models import (
    Answer,
    DraftAnswer,
    Questionnaire,
    SurveyDraft,
    SurveyInvitation,
    SurveyResponse,
    Training,
    random_key,
    utcnow,
)
from portal.services import questionnaires, summaries
from portal.services.accounts import audit
from portal.services.questionnaires import Structure
from portal.services.surveys import crowds
from portal.services.surveys.answers import validate_complete
from portal.services.surveys.invitations import InvitationView, draft_answers, load_invitation


@dataclass
class SubmitResult:
    status: str  # submitted | already | closed | upcoming | invalid | changed
    errors: dict[int, str] = field(default_factory=dict)
    structure: Structure | None = None


_SUBMIT: dict[str, dict[str, Any]] = {}


# a response's ~30 answers, through the driver's executemany (portal.db.bulk)
ADD_ANSWERS = BulkWrite(lambda _name: insert(Answer.__table__), ("response_id", "question_id", "value_num", "value_before", "value_text"))


def _statements(name: str) -> dict[str, Any]:
    stmts = _SUBMIT.get(name)
    if stmts is None:
        inv = SurveyInvitation.__table__
        qn = Questionnaire.__table__
        d = SurveyDraft.__table__
        a = DraftAnswer.__table__
        claim_cond = and_(
            inv.c.id == bindparam("inv"),
            inv.c.status == bindparam("old"),
            inv.c.opens_on <= bindparam("today"),
            inv.c.closes_on >= bindparam("today"),
        )
        stmts = _SUBMIT[name] = {
            "claim": update(inv).where(claim_cond).values(status="submitted"),
            "claim_at": update(inv).where(claim_cond).values(status="submitted", submitted_at=bindparam("now")),
            "status": select(inv.c.status).where(inv.c.id == bindparam("inv")),
            "lock": update(qn).where(qn.c.id == bindparam("qid"), qn.c.locked.is_(False)).values(locked=True),
            "questionnaire": select(qn.c.revision, qn.c.locked, qn.c.anonymous).where(qn.c.id == bindparam("qid")),
            "response": insert(SurveyResponse.__table__),
            "del_answers": delete(a).where(a.c.draft_id.in_(select(d.c.id).where(d.c.invitation_id == bindparam("inv")))),
            "del_draft": delete(d).where(d.c.invitation_id == bindparam("inv")),
        }
    return stmts


def _claim(conn: Any, stmts: dict[str, Any], inv: InvitationView, today: date, submitted_at: datetime | None) -> str | None:
    """The exactly-once guard: a conditional UPDATE from the status last read to 'submitted' (a
    concurrent autosave may have moved pending -> draft meanwhile: read again and retry). Returns the
    status it left, or None when it was already submitted or is closed."""
    old = inv.status
    for _attempt in range(3):
        if old == "submitted":
            return None
        params = {"inv": inv.id, "old": old, "today": today}
        if inv.anonymous:
            claimed = conn.execute(stmts["claim"], params).rowcount
        else:
            claimed = conn.execute(stmts["claim_at"], {**params, "now": submitted_at}).rowcount
        if claimed:
            return old
        now_status = conn.execute(stmts["status"], {"inv": inv.id}).scalar_one()
        if now_status == old:  # the window: closed (or not open yet)
            return None
        old = now_status
    return None


def submit(
    session: Session,
    invitation_id: int,
    employee_id: int,
    today: date,
    *,
    anonymous: bool,
    now: datetime | None = None,
    crowd_size: int = rules.ANONYMITY_CROWD,
) -> SubmitResult:
    """Submit the employee's draft exactly once. Raises LookupError for someone else's invitation.

    `anonymous` is the anonymity the person saw and confirmed on the confirmation page; when the
    questionnaire says otherwise nothing is stored and the result is 'changed'."""
    found = load_invitation(session, invitation_id, employee_id)
    if found is None:
        raise LookupError(invitation_id)
    inv, _none = found
    state = inv.state(today)
    if state == "submitted":
        return SubmitResult("already")
    if state in ("closed", "upcoming"):
        return SubmitResult(state)
    conn = session.connection()
    name = conn.dialect.name
    stmts = _statements(name)
    # (SQLite connections run with secure_delete on, see portal/db: the deleted draft rows are
    # overwritten on disk instead of lingering in free pages)
    # one submit per training at a time: keeps the xmin rewrite below free of deadlocks
    dialect.lock_rows(conn, select(Training.id).where(Training.id == inv.training_id), key_share=True)
    submitted_at = None if inv.anonymous else (now or utcnow())
    left = _claim(conn, stmts, inv, today, submitted_at)
    if left is None:
        session.rollback()
        status = session.execute(select(SurveyInvitation.status).where(SurveyInvitation.id == inv.id)).scalar_one()
        return SubmitResult("already" if status == "submitted" else "closed")
    # the first response locks the questionnaire (edits then go into a new version); the revision is
    # read inside this transaction, which already holds the write lock (SQLite) / the claimed row
    qn = conn.execute(stmts["questionnaire"], {"qid": inv.questionnaire_id}).one()
    if bool(qn.anonymous) != anonymous or inv.anonymous != anonymous:
        # the person confirmed another anonymity than the one that would be stored: store nothing
        session.rollback()
        return SubmitResult("changed")
    revision = qn.revision
    if not qn.locked:
        conn.execute(stmts["lock"], {"qid": inv.questionnaire_id})
        revision = conn.execute(stmts["questionnaire"], {"qid": inv.questionnaire_id}).one().revision
    structure = questionnaires.load_structure(session, inv.questionnaire_id, revision)
    answers = draft_answers(session, inv.id)
    errors = validate_complete(structure, answers)
    if errors:
        session.rollback()
        return SubmitResult("invalid", errors=errors, structure=structure)
    response_id = random_key()
    kept = {
        qid: v
        for qid, v in answers.items()
        if qid in structure.by_id and (v.num is not None or v.before is not None or v.text)
    }
    if inv.anonymous and dialect.stamps_rows_with_transaction_ids(name):
        # PostgreSQL: the response joins its crowd and every response-side row the submit touches ends up
        # carrying this transaction's id (docs/anonymity.md), in one statement
        rows = crowds.store(conn, response_id=response_id, questionnaire_id=inv.questionnaire_id, invitation_id=inv.id,
                            crowd_size=crowd_size, summary=summaries.answers.Submitted(inv.training_id, structure, kept))
        summaries.l1.apply_rows(conn, summaries.l1.Submitted(inv.training_id, structure), rows.cells, rows.values)
    else:
        response: dict[str, Any] = {
            "id": response_id,
            "training_id": inv.training_id,
            "questionnaire_id": inv.questionnaire_id,
            "respondent_id": None if inv.anonymous else employee_id,
            "invitation_id": None if inv.anonymous else inv.id,
            "submitted_at": submitted_at,
        }
        conn.execute(stmts["response"], response)
        ADD_ANSWERS.run(conn, [(response_id, qid, v.num, v.before, v.text) for qid, v in kept.items()])
        conn.execute(stmts["del_answers"], {"inv": inv.id})
        conn.execute(stmts["del_draft"], {"inv": inv.id})
        summaries.answers.apply(conn, summaries.answers.Submitted(inv.training_id, structure, kept))
        summaries.l1.apply(conn, summaries.l1.Submitted(inv.training_id, structure))
    summaries.invitations.apply(conn, summaries.invitations.Moved(inv.training_id, inv.questionnaire_id, left, "submitted"))
    if not inv.anonymous:
        audit(session, employee_id, "survey.submit", f"invitation:{inv.id}")
    session.commit()
    if inv.anonymous:
        # the draft's earlier values live on in SQLite's -wal file until a checkpoint copies the log into
        # the database (where secure_delete has zeroed the deleted draft) and truncates it (portal.db.wal)
        scrub_after_anonymous_submit(session)
    return SubmitResult("submitted", structure=structure)
