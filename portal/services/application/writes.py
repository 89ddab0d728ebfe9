"""Writes to a rating: autosave of one answer, the no-JavaScript save of many, submit exactly once, and
HR's reopen.

Every write to a rating starts with an upsert of the rating row that only touches a DRAFT
(`ON CONFLICT .. DO UPDATE .. WHERE status = 'draft' RETURNING id`): no row back means submitted, i.e.
locked. Submit claims the draft with a conditional UPDATE, then validates inside the same transaction,
stores the impact score and commits once: the score is never out of step with the answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlmodel import Session

from portal import scoring
from portal.db import dialect
from portal.i18n import _
from portal.models import ApplicationAnswer, ApplicationRating, ImpactScore, utcnow
from portal.services import questionnaires as qsvc
from portal.services.accounts import audit
from portal.services.application.context import RatingContext, load_answers
from portal.services.impact.score import recompute_enrollment
from portal.services.questionnaires import QuestionDef, Structure
from portal.services.surveys import count_answered, field_name, parse_answer, validate_complete

REASON_MIN = 10
REASON_MAX = 1000


@dataclass(frozen=True)
class _Statements:
    rating: Any  # create the draft or touch it; RETURNING id, nothing when submitted
    answer: Any  # upsert one answer (executemany with a list)
    clear: Any  # delete one answer
    claim: Any  # draft -> submitted
    reopen: Any  # submitted -> draft


@lru_cache(maxsize=4)
def _statements(dialect_name: str) -> _Statements:
    ins = dialect.insert(dialect_name)
    r = ApplicationRating.__table__
    a = ApplicationAnswer.__table__
    rating = ins(r).values(
        enrollment_id=bindparam("eid"),
        questionnaire_id=bindparam("qid"),
        rater_id=bindparam("rater"),
        rater_role=bindparam("role"),
        status="draft",
        updated_at=bindparam("now"),
        reopen_count=0,
    )
    rating = rating.on_conflict_do_update(
        index_elements=["enrollment_id", "rater_role"],
        set_={"updated_at": rating.excluded.updated_at, "rater_id": rating.excluded.rater_id},
        where=r.c.status == "draft",
    ).returning(r.c.id)
    answer = ins(a)
    answer = answer.on_conflict_do_update(
        index_elements=["rating_id", "question_id"],
        set_={
            "value_num": answer.excluded.value_num,
            "value_before": answer.excluded.value_before,
            "value_text": answer.excluded.value_text,
        },
    )
    return _Statements(
        rating=rating,
        answer=answer,
        clear=delete(a).where(a.c.rating_id == bindparam("rid"), a.c.question_id == bindparam("q")),
        claim=update(r)
        .where(r.c.id == bindparam("rid"), r.c.status == "draft")
        .values(status="submitted", submitted_at=bindparam("now"), updated_at=bindparam("now"), rater_id=bindparam("rater")),
        reopen=update(r)
        .where(r.c.id == bindparam("rid"), r.c.status == "submitted")
        .values(status="draft", submitted_at=None, updated_at=bindparam("now"), reopen_count=r.c.reopen_count + 1),
    )


@dataclass
class SaveResult:
    ok: bool
    error: str | None = None
    locked: bool = False
    saved_at: datetime | None = None
    answered: int = 0
    total: int = 0


def _claim_draft(session: Session, ctx: RatingContext, actor_id: int, now: datetime) -> int | None:
    """Create the draft rating or touch it; None when it is submitted (locked). First write of a transaction."""
    stmts = _statements(dialect.name_of(session))
    return session.connection().execute(
        stmts.rating,
        {"eid": ctx.enrollment_id, "qid": ctx.questionnaire_id, "rater": actor_id, "role": ctx.role, "now": now},
    ).scalar_one_or_none()


def save_answer(
    session: Session,
    ctx: RatingContext,
    structure: Structure,
    q: QuestionDef,
    data: dict[str, Any],
    actor_id: int,
    now: datetime | None = None,
) -> SaveResult:
    """Validate and upsert one answer (INSERT .. ON CONFLICT DO UPDATE); an empty value removes it.
    Invalid values are not saved. Commits. Queries: 3-4."""
    value, error = parse_answer(q, data)
    if error:
        return SaveResult(ok=False, error=error)
    now = now or utcnow()
    rid = _claim_draft(session, ctx, actor_id, now)
    if rid is None:
        session.rollback()
        return SaveResult(ok=False, locked=True, error=_("Penilaian ini sudah dikirim dan terkunci; jawaban tidak dapat diubah."))
    stmts = _statements(dialect.name_of(session))
    conn = session.connection()
    if value is None:
        conn.execute(stmts.clear, {"rid": rid, "q": q.id})
    else:
        conn.execute(
            stmts.answer,
            {"rating_id": rid, "question_id": q.id, "value_num": value.num, "value_before": value.before, "value_text": value.text},
        )
    answers = load_answers(session, rid)
    session.commit()
    return SaveResult(ok=True, saved_at=now, answered=count_answered(structure, answers), total=structure.count)


def save_many(
    session: Session, ctx: RatingContext, structure: Structure, data: dict[str, Any], actor_id: int, now: datetime | None = None
) -> tuple[dict[int, str], bool]:
    """The no-JavaScript path: save every posted answer that is valid. Returns (errors, locked). Commits."""
    errors: dict[int, str] = {}
    rows: list[dict[str, Any]] = []
    clear: list[int] = []
    for q in structure.questions:
        if not any(n in data for n in (field_name(q), field_name(q, True))):
            continue
        value, error = parse_answer(q, data)
        if error:
            errors[q.id] = error
        elif value is None:
            clear.append(q.id)
        else:
            rows.append({"question_id": q.id, "value_num": value.num, "value_before": value.before, "value_text": value.text})
    if not rows and not clear:
        return errors, False
    now = now or utcnow()
    rid = _claim_draft(session, ctx, actor_id, now)
    if rid is None:
        session.rollback()
        return errors, True
    stmts = _statements(dialect.name_of(session))
    if clear:
        session.execute(delete(ApplicationAnswer).where(ApplicationAnswer.rating_id == rid, ApplicationAnswer.question_id.in_(clear)))
    if rows:
        session.connection().execute(stmts.answer, [dict(answer, rating_id=rid) for answer in rows])
    session.commit()
    return errors, False


@dataclass
class SubmitResult:
    status: str  # submitted | already | invalid | closed
    errors: dict[int, str] = field(default_factory=dict)
    score: scoring.ImpactResult | None = None
    rating_id: int | None = None


def submit(
    session: Session,
    ctx: RatingContext,
    structure: Structure,
    actor_id: int,
    now: datetime | None = None,
    today: date | None = None,
) -> SubmitResult:
    """Submit exactly once: claim the draft (conditional UPDATE), validate the stored answers inside the same
    transaction, lock the questionnaire, store the impact score, audit, commit. With `today`, a rating that
    is not open (not yet due, closed) is refused with status 'closed'. Queries: 5-7."""
    now = now or utcnow()
    if today is not None and not ctx.submitted and not ctx.writable(today):
        return SubmitResult("closed", rating_id=ctx.rating_id)
    if ctx.rating_id is None:
        return SubmitResult("invalid", errors=validate_complete(structure, {}))
    stmts = _statements(dialect.name_of(session))
    conn = session.connection()
    claimed = conn.execute(stmts.claim, {"rid": ctx.rating_id, "now": now, "rater": actor_id}).rowcount
    if not claimed:
        session.rollback()
        return SubmitResult("already", rating_id=ctx.rating_id)
    answers = load_answers(session, ctx.rating_id)
    errors = validate_complete(structure, answers)
    if errors:
        session.rollback()
        return SubmitResult("invalid", errors=errors, rating_id=ctx.rating_id)
    qsvc.lock(session, structure.questionnaire_id)
    result = recompute_enrollment(session, ctx.enrollment_id, now=now)
    audit(
        session,
        actor_id,
        "l3.submit",
        f"applicationrating:{ctx.rating_id}",
        f"enrollment={ctx.enrollment_id} role={ctx.role} index={result.index if result else '-'}",
    )
    session.commit()
    return SubmitResult("submitted", score=result, rating_id=ctx.rating_id)


@dataclass
class ReopenResult:
    ok: bool
    error: str | None = None
    status: int = 200
    enrollment_id: int | None = None


def validate_reason(reason: str) -> str | None:
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        return _("Tulis alasan membuka kembali penilaian (paling sedikit {n} karakter).").format(n=REASON_MIN)
    if len(reason) > REASON_MAX:
        return _("Alasan paling banyak {n} karakter.").format(n=f"{REASON_MAX:,}".replace(",", "."))
    return None


def reopen(session: Session, rating_id: int, actor_id: int, reason: str, now: datetime | None = None) -> ReopenResult:
    """HR: put a submitted rating back to draft with a reason. Audited (who: actor, when: event time,
    why: the reason, plus the index it had). The enrollment's score is recomputed in the same transaction
    (deleted when the supervisor rating is reopened, renormalised when the self-report is). Commits."""
    rating = session.execute(
        select(ApplicationRating.enrollment_id, ApplicationRating.status, ApplicationRating.rater_role).where(
            ApplicationRating.id == rating_id
        )
    ).first()
    if rating is None:
        return ReopenResult(False, status=404)
    enrollment_id = rating.enrollment_id
    error = validate_reason(reason)
    if error:
        return ReopenResult(False, error=error, status=422, enrollment_id=enrollment_id)
    now = now or utcnow()
    stmts = _statements(dialect.name_of(session))
    previous = session.execute(select(ImpactScore.impact_index).where(ImpactScore.enrollment_id == enrollment_id)).scalar_one_or_none()
    changed = session.connection().execute(stmts.reopen, {"rid": rating_id, "now": now}).rowcount
    if not changed:
        session.rollback()
        return ReopenResult(False, error=_("Penilaian ini belum dikirim, jadi tidak perlu dibuka kembali."), status=409, enrollment_id=enrollment_id)
    recompute_enrollment(session, enrollment_id, now=now)
    audit(
        session,
        actor_id,
        "l3.reopen",
        f"applicationrating:{rating_id}",
        f"role={rating.rater_role} enrollment={enrollment_id} indeks_sebelumnya={previous if previous is not None else '-'} "
        f"alasan: {reason.strip()}",
    )
    session.commit()
    return ReopenResult(True, enrollment_id=enrollment_id)
