"""Autosave: each answer is upserted into the invitation's draft as it is given (and the no-JavaScript
path saves every posted answer at once). Invalid values are never saved; an empty value clears."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlmodel import Session

from portal.db import dialect
from portal.models import DraftAnswer, SurveyDraft, SurveyInvitation, utcnow
from portal.services import summaries
from portal.services.questionnaires import QuestionDef, Structure
from portal.services.surveys.answers import field_name, parse_answer
from portal.services.surveys.invitations import InvitationView


@dataclass
class SaveResult:
    ok: bool
    error: str | None = None
    saved_at: datetime | None = None
    answered: int = 0
    total: int = 0
    cleared: bool = False


_AUTOSAVE: dict[str, dict[str, Any]] = {}


def _autosave_statements(name: str) -> dict[str, Any]:
    stmts = _AUTOSAVE.get(name)
    if stmts is None:
        ins = dialect.insert(name)
        d = SurveyDraft.__table__
        a = DraftAnswer.__table__
        i = SurveyInvitation.__table__
        draft = ins(d).values(invitation_id=bindparam("inv"), updated_at=bindparam("now"))
        draft = draft.on_conflict_do_update(index_elements=["invitation_id"], set_={"updated_at": draft.excluded.updated_at})
        answer = ins(a).values(
            draft_id=bindparam("draft"),
            question_id=bindparam("q"),
            value_num=bindparam("num"),
            value_before=bindparam("before"),
            value_text=bindparam("text"),
        )
        answer = answer.on_conflict_do_update(
            index_elements=["draft_id", "question_id"],
            set_={
                "value_num": answer.excluded.value_num,
                "value_before": answer.excluded.value_before,
                "value_text": answer.excluded.value_text,
            },
        )
        stmts = {
            "draft": draft.returning(d.c.id),
            "answer": answer,
            "clear": delete(a).where(a.c.draft_id == bindparam("draft"), a.c.question_id == bindparam("q")),
            "status": update(i).where(i.c.id == bindparam("inv"), i.c.status == "pending").values(status="draft"),
            "count": select(func.count()).select_from(a).where(a.c.draft_id == bindparam("draft")),
        }
        _AUTOSAVE[name] = stmts
    return stmts


def save_answer(
    session: Session,
    inv: InvitationView,
    structure: Structure,
    q: QuestionDef,
    data: dict[str, Any],
    now: datetime | None = None,
) -> SaveResult:
    """Validate and upsert one answer into the invitation's draft (INSERT .. ON CONFLICT DO UPDATE).
    Invalid values are not saved. An empty value removes the saved answer. Commits."""
    value, error = parse_answer(q, data)
    if error:
        return SaveResult(ok=False, error=error)
    now = now or utcnow()
    conn = session.connection()
    stmts = _autosave_statements(conn.dialect.name)
    draft_id = inv.draft_id
    if draft_id is None:
        draft_id = conn.execute(stmts["draft"], {"inv": inv.id, "now": now}).scalar_one()
    if value is None:
        conn.execute(stmts["clear"], {"draft": draft_id, "q": q.id})
    else:
        conn.execute(stmts["answer"], {"draft": draft_id, "q": q.id, "num": value.num, "before": value.before, "text": value.text})
    if inv.status == "pending":
        _started(conn, inv, conn.execute(stmts["status"], {"inv": inv.id}).rowcount)
    answered = conn.execute(stmts["count"], {"draft": draft_id}).scalar_one()
    session.commit()
    # the count includes half-answered retrospective pairs; good enough for the progress bar
    return SaveResult(ok=True, saved_at=now, answered=min(int(answered), structure.count), total=structure.count, cleared=value is None)


def save_many(
    session: Session, inv: InvitationView, structure: Structure, data: dict[str, Any], now: datetime | None = None
) -> dict[int, str]:
    """The no-JavaScript path: save every posted answer that is valid; return errors of the others.
    Only questions whose fields were posted are touched."""
    errors: dict[int, str] = {}
    now = now or utcnow()
    ins = dialect.insert(dialect.name_of(session))
    rows = []
    clear: list[int] = []
    for q in structure.questions:
        names = (field_name(q), field_name(q, True))
        if not any(n in data for n in names):
            continue
        value, error = parse_answer(q, data)
        if error:
            errors[q.id] = error
        elif value is None:
            clear.append(q.id)
        else:
            rows.append({"question_id": q.id, "value_num": value.num, "value_before": value.before, "value_text": value.text})
    if not rows and not clear:
        return errors
    draft_id = inv.draft_id
    if draft_id is None:
        stmt = ins(SurveyDraft).values(invitation_id=inv.id, updated_at=now)
        draft_id = session.execute(
            stmt.on_conflict_do_update(index_elements=["invitation_id"], set_={"updated_at": now}).returning(SurveyDraft.id)
        ).scalar_one()
    if clear:
        session.execute(delete(DraftAnswer).where(DraftAnswer.draft_id == draft_id, DraftAnswer.question_id.in_(clear)))
    if rows:
        stmt = ins(DraftAnswer)
        stmt = stmt.on_conflict_do_update(
            index_elements=["draft_id", "question_id"],
            set_={
                "value_num": stmt.excluded.value_num,
                "value_before": stmt.excluded.value_before,
                "value_text": stmt.excluded.value_text,
            },
        )
        session.execute(stmt, [dict(r, draft_id=draft_id) for r in rows])
    moved = session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == inv.id, SurveyInvitation.status == "pending")
        .values(status="draft")
    ).rowcount
    _started(session.connection(), inv, moved)
    session.commit()
    return errors


def _started(conn: Any, inv: InvitationView, moved: int) -> None:
    """The first saved answer moves the invitation from pending to draft: so do its counts."""
    if moved:
        summaries.invitations.apply(conn, summaries.invitations.Moved(inv.training_id, inv.questionnaire_id, "pending", "draft"))
