"""Post-training surveys (Kirkpatrick L1): invitations, drafts with autosave, validation per question
kind, exactly-once submission with anonymity, and per-training summaries kept at write time.

Anonymity (see docs/anonymity.md): for an anonymous questionnaire the submit transaction
- marks the invitation 'submitted' without a time (`submitted_at` stays NULL),
- inserts the response with a random key and no respondent, invitation or time,
- bulk-inserts the answers, deletes the draft and its answers, updates the summaries,
- writes no audit event and no log line,
- on PostgreSQL rewrites the training's responses, answers and summary rows in place so that they all
  carry the same transaction id (`xmin`), which would otherwise give away the order of submissions.

Exactly once: the first write of the submit transaction is a conditional
`UPDATE surveyinvitation SET status='submitted' WHERE id=? AND status<>'submitted' AND <window open>`;
a concurrent second submit sees 0 rows updated and reports 'already'. Attributed responses also have the
unique `surveyresponse.invitation_id`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, insert, not_, select, text, true, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.db import RawInsertMany, RawSelect, connection_of, truncate_wal
from portal.i18n import _, format_date
from portal.models import (
    Answer,
    DraftAnswer,
    Enrollment,
    Questionnaire,
    SurveyDraft,
    SurveyInvitation,
    SurveyResponse,
    Training,
    TrainingSummary,
    TrainingSummaryValue,
    random_key,
    utcnow,
)
from portal.services import exports, l1_summary
from portal.services import questionnaires as qsvc
from portal.services.accounts import audit
from portal.services.questionnaires import QuestionDef, Structure

ATTENDED = ("attended", "completed")
MAX_TEXT_INPUT = 20_000  # anything longer is refused before counting characters


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class AnswerValue:
    """One answer as stored: numbers for likert5/scale0_10/single (option index), a comma-separated
    list of option indexes for multi ("0,2"), text for text. `before` for retrospective pairs."""

    num: int | None = None
    before: int | None = None
    text: str | None = None

    @property
    def selected(self) -> tuple[int, ...]:
        if not self.text:
            return ()
        return tuple(int(p) for p in self.text.split(",") if p.isdigit())


def field_name(q: QuestionDef, before: bool = False) -> str:
    return f"q{q.id}_sebelum" if before else f"q{q.id}"


def _values(data: dict[str, Any], name: str) -> list[str]:
    raw = data.get(name)
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(v) for v in raw]
    return [str(raw)]


def _int_in(raw: str, lo: int, hi: int) -> int | None:
    raw = raw.strip()
    if not raw or not (raw.isdigit() or (raw.startswith("-") and raw[1:].isdigit())) or len(raw) > 6:
        return None
    value = int(raw)
    return value if lo <= value <= hi else None


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def parse_answer(q: QuestionDef, data: dict[str, Any]) -> tuple[AnswerValue | None, str | None]:
    """Validate the posted value(s) of one question. Returns (value or None when empty, error)."""
    if q.kind in ("likert5", "scale0_10"):
        lo, hi = (1, 5) if q.kind == "likert5" else (0, 10)
        out: dict[str, int | None] = {}
        for key, before in (("num", False), ("before", True)):
            if before and not q.retrospective:
                continue
            vals = [v for v in _values(data, field_name(q, before)) if v.strip() != ""]
            if not vals:
                out[key] = None
                continue
            if len(vals) > 1:
                return None, _("Pilih satu jawaban saja.")
            value = _int_in(vals[0], lo, hi)
            if value is None:
                return None, _("Jawaban harus salah satu angka {lo} sampai {hi} pada skala.").format(lo=lo, hi=hi)
            out[key] = value
        if out.get("num") is None and out.get("before") is None:
            return None, None
        return AnswerValue(num=out.get("num"), before=out.get("before")), None
    if q.kind == "single":
        vals = [v for v in _values(data, field_name(q)) if v.strip() != ""]
        if not vals:
            return None, None
        if len(vals) > 1:
            return None, _("Pilih satu jawaban saja.")
        value = _int_in(vals[0], 0, len(q.options) - 1)
        if value is None:
            return None, _("Pilihan tidak dikenal. Pilih salah satu pilihan yang tersedia.")
        return AnswerValue(num=value), None
    if q.kind == "multi":
        vals = [v for v in _values(data, field_name(q)) if v.strip() != ""]
        if not vals:
            return None, None
        picked: set[int] = set()
        for v in vals:
            value = _int_in(v, 0, len(q.options) - 1)
            if value is None:
                return None, _("Pilihan tidak dikenal. Pilih dari pilihan yang tersedia.")
            picked.add(value)
        return AnswerValue(text=",".join(str(i) for i in sorted(picked))), None
    # text
    vals = _values(data, field_name(q))
    raw = vals[0] if vals else ""
    if len(raw) > MAX_TEXT_INPUT:
        return None, _("Jawaban terlalu panjang. Maksimal {max} karakter.").format(max=_fmt(q.text_limit))
    value = raw.replace("\r\n", "\n").replace("\x00", "").strip()
    if not value:
        return None, None
    if len(value) > q.text_limit:
        return None, _("Jawaban terlalu panjang: {n} karakter. Maksimal {max} karakter.").format(
            n=_fmt(len(value)), max=_fmt(q.text_limit)
        )
    return AnswerValue(text=value), None


def check_stored(q: QuestionDef, value: AnswerValue | None) -> str | None:
    """Re-validate a stored draft value against the (possibly edited) question; None when fine."""
    if value is None:
        return None
    if q.kind in ("likert5", "scale0_10"):
        lo, hi = (1, 5) if q.kind == "likert5" else (0, 10)
        for v in (value.num, value.before if q.retrospective else None):
            if v is not None and not lo <= v <= hi:
                return _("Jawaban harus salah satu angka {lo} sampai {hi} pada skala.").format(lo=lo, hi=hi)
        return None
    if q.kind == "single":
        if value.num is None or not 0 <= value.num < len(q.options):
            return _("Pilihan tidak dikenal. Pilih salah satu pilihan yang tersedia.")
        return None
    if q.kind == "multi":
        sel = value.selected
        if not sel or any(not 0 <= i < len(q.options) for i in sel):
            return _("Pilihan tidak dikenal. Pilih dari pilihan yang tersedia.")
        return None
    if value.text is not None and len(value.text) > q.text_limit:
        return _("Jawaban terlalu panjang: {n} karakter. Maksimal {max} karakter.").format(
            n=_fmt(len(value.text)), max=_fmt(q.text_limit)
        )
    return None


def is_answered(q: QuestionDef, value: AnswerValue | None) -> bool:
    if value is None:
        return False
    if q.kind in ("likert5", "scale0_10"):
        return value.num is not None and (not q.retrospective or value.before is not None)
    if q.kind == "single":
        return value.num is not None
    return bool(value.text)


def missing_message(q: QuestionDef) -> str:
    if q.kind == "multi":
        return _("Pilih paling sedikit satu jawaban.")
    if q.kind == "text":
        return _("Isi jawaban untuk pertanyaan ini.")
    if q.retrospective:
        return _("Pilih jawaban untuk sebelum dan sesudah pelatihan.")
    return _("Pilih salah satu jawaban.")


def validate_complete(structure: Structure, answers: dict[int, AnswerValue]) -> dict[int, str]:
    """Errors per question id for a submission: invalid stored values and missing required answers."""
    errors: dict[int, str] = {}
    for q in structure.questions:
        value = answers.get(q.id)
        problem = check_stored(q, value)
        if problem:
            errors[q.id] = problem
        elif q.required and not is_answered(q, value):
            errors[q.id] = missing_message(q)
    return errors


def count_answered(structure: Structure, answers: dict[int, AnswerValue]) -> int:
    return sum(1 for q in structure.questions if is_answered(q, answers.get(q.id)))


# --------------------------------------------------------------------------- invitations (employee side)


@dataclass(frozen=True)
class InvitationView:
    id: int
    employee_id: int
    training_id: int
    training_title: str
    training_provider: str
    training_starts_on: date
    training_ends_on: date
    questionnaire_id: int
    revision: int
    anonymous: bool
    status: str
    opens_on: date
    closes_on: date
    draft_id: int | None

    def state(self, today: date) -> str:
        """submitted | upcoming | closed | open"""
        if self.status == "submitted":
            return "submitted"
        if today < self.opens_on:
            return "upcoming"
        if today > self.closes_on:
            return "closed"
        return "open"


def _invitation_select():
    return (
        select(
            SurveyInvitation.id,
            SurveyInvitation.employee_id,
            SurveyInvitation.training_id,
            Training.title,
            Training.provider,
            Training.starts_on,
            Training.ends_on,
            SurveyInvitation.questionnaire_id,
            Questionnaire.revision,
            Questionnaire.anonymous,
            SurveyInvitation.status,
            SurveyInvitation.opens_on,
            SurveyInvitation.closes_on,
            SurveyDraft.id.label("draft_id"),
        )
        .join(Training, Training.id == SurveyInvitation.training_id)
        .join(Questionnaire, Questionnaire.id == SurveyInvitation.questionnaire_id)
        .join(
            Enrollment,
            and_(
                Enrollment.training_id == SurveyInvitation.training_id,
                Enrollment.employee_id == SurveyInvitation.employee_id,
                Enrollment.status.in_(ATTENDED),
            ),
        )
        .outerjoin(SurveyDraft, SurveyDraft.invitation_id == SurveyInvitation.id)
    )


def _view(row: Any) -> InvitationView:
    return InvitationView(
        id=row[0],
        employee_id=row[1],
        training_id=row[2],
        training_title=row[3],
        training_provider=row[4] or "",
        training_starts_on=row[5],
        training_ends_on=row[6],
        questionnaire_id=row[7],
        revision=row[8],
        anonymous=bool(row[9]),
        status=row[10],
        opens_on=row[11],
        closes_on=row[12],
        draft_id=row[13],
    )


_INVITATION_BY_ID: RawSelect | None = None
_DRAFT_ANSWERS: RawSelect | None = None


def _hot_statements() -> tuple[RawSelect, RawSelect]:
    """Statements of the hot paths (every survey page, autosave and submit), built once and run
    without SQLAlchemy's per-execution bookkeeping (portal.db.RawSelect)."""
    global _INVITATION_BY_ID, _DRAFT_ANSWERS
    if _INVITATION_BY_ID is None:
        _INVITATION_BY_ID = RawSelect(
            _invitation_select().where(SurveyInvitation.id == bindparam("inv"), SurveyInvitation.employee_id == bindparam("emp"))
        )
        _DRAFT_ANSWERS = RawSelect(
            select(DraftAnswer.question_id, DraftAnswer.value_num, DraftAnswer.value_before, DraftAnswer.value_text)
            .join(SurveyDraft, SurveyDraft.id == DraftAnswer.draft_id)
            .where(SurveyDraft.invitation_id == bindparam("inv"))
        )
    return _INVITATION_BY_ID, _DRAFT_ANSWERS


def load_invitation(
    session: Session | Connection, invitation_id: int, employee_id: int, *, with_answers: bool = False
) -> tuple[InvitationView, dict[int, AnswerValue]] | None:
    """The employee's own invitation (None for someone else's, or when not enrolled as attended),
    and its draft answers when asked (a second query; never one per question)."""
    by_id, answers_stmt = _hot_statements()
    conn = connection_of(session)
    row = by_id.first(conn, inv=invitation_id, emp=employee_id)
    if row is None:
        return None
    view = _view(row)
    if not with_answers or view.draft_id is None:
        return view, {}
    return view, {r[0]: AnswerValue(num=r[1], before=r[2], text=r[3]) for r in answers_stmt.all(conn, inv=invitation_id)}


def draft_answers(session: Session, invitation_id: int) -> dict[int, AnswerValue]:
    _by_id, answers_stmt = _hot_statements()
    return {r[0]: AnswerValue(num=r[1], before=r[2], text=r[3]) for r in answers_stmt.all(session.connection(), inv=invitation_id)}


def employee_surveys(session: Session, employee_id: int, today: date) -> dict[str, list[dict[str, Any]]]:
    """The employee's surveys grouped for 'Survei Pelatihan' (one query, bounded)."""
    answered = (
        select(func.count(DraftAnswer.id))
        .join(SurveyDraft, SurveyDraft.id == DraftAnswer.draft_id)
        .where(SurveyDraft.invitation_id == SurveyInvitation.id)
        .scalar_subquery()
    )
    from portal.models import Question

    total = (
        select(func.count(Question.id)).where(Question.questionnaire_id == SurveyInvitation.questionnaire_id).scalar_subquery()
    )
    rows = session.execute(
        select(
            SurveyInvitation.id,
            SurveyInvitation.status,
            SurveyInvitation.opens_on,
            SurveyInvitation.closes_on,
            Training.title,
            Training.provider,
            Training.starts_on,
            Training.ends_on,
            Questionnaire.anonymous,
            answered.label("answered"),
            total.label("total"),
        )
        .join(Training, Training.id == SurveyInvitation.training_id)
        .join(Questionnaire, Questionnaire.id == SurveyInvitation.questionnaire_id)
        .join(
            Enrollment,
            and_(
                Enrollment.training_id == SurveyInvitation.training_id,
                Enrollment.employee_id == SurveyInvitation.employee_id,
                Enrollment.status.in_(ATTENDED),
            ),
        )
        .where(SurveyInvitation.employee_id == employee_id)
        .order_by(SurveyInvitation.closes_on.desc(), SurveyInvitation.id.desc())
        .limit(200)
    ).all()
    groups: dict[str, list[dict[str, Any]]] = {"open": [], "upcoming": [], "submitted": [], "closed": []}
    for r in rows:
        item = dict(r._mapping)
        item["answered"] = int(item["answered"] or 0)
        item["total"] = int(item["total"] or 0)
        if r.status == "submitted":
            key = "submitted"
        elif today < r.opens_on:
            key = "upcoming"
        elif today > r.closes_on:
            key = "closed"
        else:
            key = "open"
            item["days_left"] = (r.closes_on - today).days
        groups[key].append(item)
    groups["open"].sort(key=lambda i: (i["closes_on"], i["id"]))
    groups["upcoming"].sort(key=lambda i: (i["opens_on"], i["id"]))
    return groups


def receipt_code(secret: str, invitation_id: int) -> str:
    """The reference number on the receipt: an HMAC of the invitation id (never of the response key),
    so it can be shown again on the list and proves the submission without pointing at any answer."""
    digest = hmac.new(secret.encode(), f"survei-tanda-terima:{invitation_id}".encode(), hashlib.sha256).digest()
    code = base64.b32encode(digest[:10]).decode().rstrip("=")
    return f"L1-{code[:4]}-{code[4:8]}-{code[8:12]}"


# --------------------------------------------------------------------------- autosave


@dataclass
class SaveResult:
    ok: bool
    error: str | None = None
    saved_at: datetime | None = None
    answered: int = 0
    total: int = 0
    cleared: bool = False


def _insert_for(session: Session):
    return pg_dialect.insert if session.get_bind().dialect.name == "postgresql" else sqlite_dialect.insert


_AUTOSAVE: dict[str, dict[str, Any]] = {}


def _autosave_statements(dialect: str) -> dict[str, Any]:
    stmts = _AUTOSAVE.get(dialect)
    if stmts is None:
        ins = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
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
        _AUTOSAVE[dialect] = stmts
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
        conn.execute(stmts["status"], {"inv": inv.id})
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
    ins = _insert_for(session)
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
    session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == inv.id, SurveyInvitation.status == "pending")
        .values(status="draft")
    )
    session.commit()
    return errors


# --------------------------------------------------------------------------- submit


@dataclass
class SubmitResult:
    status: str  # submitted | already | closed | upcoming | invalid | changed
    errors: dict[int, str] = field(default_factory=dict)
    structure: Structure | None = None


def _summary_rows(training_id: int, structure: Structure, answers: dict[int, AnswerValue]) -> tuple[list[tuple], list[tuple]]:
    """The submit's summary increments: (training_id, question_id, n, total, n_before, total_before)
    per answered question, and (training_id, question_id, value, count) per answered value."""
    totals: list[tuple] = []
    values: list[tuple] = []
    for q in structure.questions:
        v = answers.get(q.id)
        if v is None or not (v.num is not None or v.before is not None or v.text):
            continue
        n = total = n_before = total_before = 0
        if q.numeric:
            if v.num is not None:
                n, total = 1, v.num
                values.append((training_id, q.id, str(v.num), 1))
            if v.before is not None:
                n_before, total_before = 1, v.before
        elif q.kind == "single":
            n = 1
            values.append((training_id, q.id, str(v.num), 1))
        elif q.kind == "multi":
            sel = v.selected
            n, total = 1, len(sel)
            values.extend((training_id, q.id, str(i), 1) for i in sel)
        else:
            n = 1
        totals.append((training_id, q.id, n, total, n_before, total_before))
    return totals, values


_SUBMIT: dict[str, dict[str, Any]] = {}


_MANY: dict[str, dict[str, RawInsertMany]] = {}


def _submit_many(conn: Any) -> dict[str, RawInsertMany]:
    many = _MANY.get(conn.dialect.name)
    if many is None:
        stmts = _submit_statements(conn.dialect.name)
        many = _MANY[conn.dialect.name] = {
            "answers": RawInsertMany(stmts["answers"], conn.dialect, ["response_id", "question_id", "value_num", "value_before", "value_text"]),
            "totals": RawInsertMany(stmts["totals"], conn.dialect, ["training_id", "question_id", "n", "total", "n_before", "total_before"]),
            "values": RawInsertMany(stmts["values"], conn.dialect, ["training_id", "question_id", "value", "count"]),
        }
    return many


def _submit_statements(dialect: str) -> dict[str, Any]:
    stmts = _SUBMIT.get(dialect)
    if stmts is None:
        ins = pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert
        ts = TrainingSummary.__table__
        tv = TrainingSummaryValue.__table__
        totals = ins(ts)
        totals = totals.on_conflict_do_update(
            index_elements=["training_id", "question_id"],
            set_={
                "n": ts.c.n + totals.excluded.n,
                "total": ts.c.total + totals.excluded.total,
                "n_before": ts.c.n_before + totals.excluded.n_before,
                "total_before": ts.c.total_before + totals.excluded.total_before,
            },
        )
        values = ins(tv)
        values = values.on_conflict_do_update(
            index_elements=["training_id", "question_id", "value"],
            set_={"count": tv.c["count"] + values.excluded["count"]},
        )
        inv = SurveyInvitation.__table__
        qn = Questionnaire.__table__
        d = SurveyDraft.__table__
        a = DraftAnswer.__table__
        claim_cond = and_(
            inv.c.id == bindparam("inv"),
            inv.c.status != "submitted",
            inv.c.opens_on <= bindparam("today"),
            inv.c.closes_on >= bindparam("today"),
        )
        stmts = {
            "claim": update(inv).where(claim_cond).values(status="submitted"),
            "claim_at": update(inv).where(claim_cond).values(status="submitted", submitted_at=bindparam("now")),
            "lock": update(qn).where(qn.c.id == bindparam("qid"), qn.c.locked.is_(False)).values(locked=True),
            "revision": select(qn.c.revision, qn.c.locked, qn.c.anonymous).where(qn.c.id == bindparam("qid")),
            "response": insert(SurveyResponse.__table__),
            "answers": insert(Answer.__table__),
            "del_answers": delete(a).where(a.c.draft_id.in_(select(d.c.id).where(d.c.invitation_id == bindparam("inv")))),
            "del_draft": delete(d).where(d.c.invitation_id == bindparam("inv")),
            "totals": totals,
            "values": values,
        }
        _SUBMIT[dialect] = stmts
    return stmts


def _scrub_transaction_ids(session: Session, training_id: int) -> None:
    """PostgreSQL only: rewrite the training's response-side rows in place (HOT updates of a non-indexed
    column) so that every one of them carries this transaction's xmin. Without it `SELECT xmin` orders
    the responses (and the summary rows bumped last) by submission, which, set next to the invitations'
    own xmin, could match people to answers."""
    params = {"t": training_id}
    session.execute(text("UPDATE surveyresponse SET submitted_at = submitted_at WHERE training_id = :t"), params)
    session.execute(
        text(
            "UPDATE answer SET value_num = value_num WHERE response_id IN "
            "(SELECT id FROM surveyresponse WHERE training_id = :t)"
        ),
        params,
    )
    session.execute(text("UPDATE trainingsummary SET n = n WHERE training_id = :t"), params)
    session.execute(text('UPDATE trainingsummaryvalue SET "count" = "count" WHERE training_id = :t'), params)


def submit(
    session: Session,
    invitation_id: int,
    employee_id: int,
    today: date,
    *,
    anonymous: bool,
    now: datetime | None = None,
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
    dialect = conn.dialect.name
    stmts = _submit_statements(dialect)
    # (SQLite connections run with secure_delete on, see portal/db.py: the deleted draft rows are
    # overwritten on disk instead of lingering in free pages)
    if dialect == "postgresql":
        # one submit per training at a time: keeps the xmin rewrite below free of deadlocks
        conn.execute(select(Training.id).where(Training.id == inv.training_id).with_for_update(key_share=True))
    submitted_at = None if inv.anonymous else (now or utcnow())
    if inv.anonymous:
        claimed = conn.execute(stmts["claim"], {"inv": inv.id, "today": today}).rowcount
    else:
        claimed = conn.execute(stmts["claim_at"], {"inv": inv.id, "today": today, "now": submitted_at}).rowcount
    if not claimed:
        session.rollback()
        status = session.execute(select(SurveyInvitation.status).where(SurveyInvitation.id == inv.id)).scalar_one()
        return SubmitResult("already" if status == "submitted" else "closed")
    # the first response locks the questionnaire (edits then go into a new version); the revision is
    # read inside this transaction, which already holds the write lock (SQLite) / the claimed row
    revision, locked, stored_anonymous = conn.execute(stmts["revision"], {"qid": inv.questionnaire_id}).one()
    if bool(stored_anonymous) != anonymous or inv.anonymous != anonymous:
        # the person confirmed another anonymity than the one that would be stored: store nothing
        session.rollback()
        return SubmitResult("changed")
    if not locked:
        conn.execute(stmts["lock"], {"qid": inv.questionnaire_id})
        revision = conn.execute(stmts["revision"], {"qid": inv.questionnaire_id}).one()[0]
    structure = qsvc.load_structure(session, inv.questionnaire_id, revision)
    answers = draft_answers(session, inv.id)
    errors = validate_complete(structure, answers)
    if errors:
        session.rollback()
        return SubmitResult("invalid", errors=errors, structure=structure)
    response_id = random_key()
    response: dict[str, Any] = {
        "id": response_id,
        "training_id": inv.training_id,
        "questionnaire_id": inv.questionnaire_id,
        "respondent_id": None if inv.anonymous else employee_id,
        "invitation_id": None if inv.anonymous else inv.id,
        "submitted_at": submitted_at,
    }
    kept = {
        qid: v
        for qid, v in answers.items()
        if qid in structure.by_id and (v.num is not None or v.before is not None or v.text)
    }
    if not inv.anonymous:  # the raw-rows export's cells, written once (the questionnaire is locked)
        response["csv_answers"] = exports.AnswerLayout(structure.questions).csv_cells((qid, v.num, v.before, v.text) for qid, v in kept.items())
    conn.execute(stmts["response"], response)
    many = _submit_many(conn)
    if kept:
        many["answers"].run(conn, [(response_id, qid, v.num, v.before, v.text) for qid, v in kept.items()])
    conn.execute(stmts["del_answers"], {"inv": inv.id})
    conn.execute(stmts["del_draft"], {"inv": inv.id})
    totals, value_rows = _summary_rows(inv.training_id, structure, kept)
    if totals:
        many["totals"].run(conn, totals)
    if value_rows:
        many["values"].run(conn, value_rows)
    if any(q.kind in ("likert5", "scale0_10") for q in structure.questions):
        l1_summary.refresh(conn, inv.training_id, structure)
    if inv.anonymous:
        if dialect == "postgresql":
            _scrub_transaction_ids(session, inv.training_id)
    else:
        audit(session, employee_id, "survey.submit", f"invitation:{inv.id}")
    session.commit()
    if inv.anonymous and dialect == "sqlite":
        # the draft's earlier values live on in the -wal file until a checkpoint: copy the log into the
        # database (where secure_delete has zeroed the deleted draft) and truncate it (docs/anonymity.md)
        truncate_wal(session.connection())
        session.commit()
    return SubmitResult("submitted", structure=structure)


# --------------------------------------------------------------------------- summaries (read side, repair)


def recount_summaries(session: Session, training_id: int) -> tuple[dict[int, tuple[int, int, int, int]], dict[tuple[int, str], int]]:
    """Recompute the summaries of a training from the raw answers (for checks and repairs).
    Returns ({question_id: (n, total, n_before, total_before)}, {(question_id, value): count})."""
    from portal.models import Question

    rows = session.execute(
        select(Answer.question_id, Question.kind, Answer.value_num, Answer.value_before, Answer.value_text)
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(SurveyResponse.training_id == training_id)
    )
    totals: dict[int, list[int]] = {}
    counts: dict[tuple[int, str], int] = {}
    for qid, kind, num, before, txt in rows:
        t = totals.setdefault(qid, [0, 0, 0, 0])
        if kind in ("likert5", "scale0_10"):
            if num is not None:
                t[0] += 1
                t[1] += num
                counts[(qid, str(num))] = counts.get((qid, str(num)), 0) + 1
            if before is not None:
                t[2] += 1
                t[3] += before
        elif kind == "single":
            t[0] += 1
            counts[(qid, str(num))] = counts.get((qid, str(num)), 0) + 1
        elif kind == "multi":
            sel = AnswerValue(text=txt).selected
            t[0] += 1
            t[1] += len(sel)
            for i in sel:
                counts[(qid, str(i))] = counts.get((qid, str(i)), 0) + 1
        else:
            t[0] += 1
    return {k: tuple(v) for k, v in totals.items()}, counts  # type: ignore[misc]


def stored_summaries(session: Session, training_id: int) -> tuple[dict[int, tuple[int, int, int, int]], dict[tuple[int, str], int]]:
    totals = {
        r[0]: (r[1], r[2], r[3], r[4])
        for r in session.execute(
            select(
                TrainingSummary.question_id,
                TrainingSummary.n,
                TrainingSummary.total,
                TrainingSummary.n_before,
                TrainingSummary.total_before,
            ).where(TrainingSummary.training_id == training_id)
        )
    }
    counts = {
        (r[0], r[1]): r[2]
        for r in session.execute(
            select(TrainingSummaryValue.question_id, TrainingSummaryValue.value, TrainingSummaryValue.count).where(
                TrainingSummaryValue.training_id == training_id, TrainingSummaryValue.count > 0
            )
        )
    }
    return totals, counts


# --------------------------------------------------------------------------- HR: attach to trainings


def trainings_overview(session: Session, page: int = 1, per_page: int = 25) -> dict[str, Any]:
    """Trainings (newest first) with their reaction questionnaire, window and invitation counts (3 queries)."""
    total = int(session.execute(select(func.count()).select_from(Training)).scalar_one())
    pages = max(1, (total + per_page - 1) // per_page)
    page = min(max(1, page), pages)
    rows = session.execute(
        select(
            Training.id,
            Training.code,
            Training.title,
            Training.provider,
            Training.starts_on,
            Training.ends_on,
            Training.survey_opens_on,
            Training.survey_closes_on,
            Training.reaction_questionnaire_id,
            Questionnaire.title.label("questionnaire_title"),
            Questionnaire.version.label("questionnaire_version"),
        )
        .outerjoin(Questionnaire, Questionnaire.id == Training.reaction_questionnaire_id)
        .order_by(Training.ends_on.desc(), Training.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    ids = [r.id for r in rows]
    stats: dict[int, dict[str, int]] = {}
    if ids:
        for tid, invited, submitted in session.execute(
            select(
                SurveyInvitation.training_id,
                func.count(),
                func.sum(case((SurveyInvitation.status == "submitted", 1), else_=0)),
            )
            .join(Training, Training.id == SurveyInvitation.training_id)
            .where(SurveyInvitation.training_id.in_(ids), SurveyInvitation.questionnaire_id == Training.reaction_questionnaire_id)
            .group_by(SurveyInvitation.training_id)
        ):
            stats[tid] = {"invited": int(invited), "submitted": int(submitted or 0)}
    items = []
    for r in rows:
        d = dict(r._mapping)
        d.update(stats.get(r.id, {"invited": 0, "submitted": 0}))
        items.append(d)
    return {"rows": items, "page": page, "pages": pages, "total": total}


@dataclass(frozen=True)
class SurveyWindow:
    """The survey window of a training and the anonymity of its reaction questionnaire: the one place
    that says when an anonymous survey's window is frozen (docs/anonymity.md, "A closed window stays
    closed"). Once the window of an anonymous survey has closed (by its date, or because HR closed it
    early), its figures are published, and a second published state would differ from the first by the
    responses of the people who came late: so the window can never be reopened, extended, moved or
    given another questionnaire, and nobody can be invited any more."""

    opens_on: date | None
    closes_on: date | None
    anonymous: bool

    def state(self, today: date) -> str:
        """none (no window yet) | upcoming | open | closed"""
        if self.opens_on is None or self.closes_on is None:
            return "none"
        if today > self.closes_on:
            return "closed"
        if today < self.opens_on:
            return "upcoming"
        return "open"

    def frozen(self, today: date) -> bool:
        return self.anonymous and self.state(today) == "closed"


def survey_window(session: Session, training: Training) -> SurveyWindow:
    anonymous = False
    if training.reaction_questionnaire_id:
        anonymous = bool(
            session.execute(
                select(Questionnaire.anonymous).where(Questionnaire.id == training.reaction_questionnaire_id)
            ).scalar_one()
        )
    return SurveyWindow(training.survey_opens_on, training.survey_closes_on, anonymous)


def training_survey(session: Session, training_id: int) -> dict[str, Any] | None:
    training = session.get(Training, training_id)
    if training is None:
        return None
    enrollment = dict(
        session.execute(
            select(Enrollment.status, func.count()).where(Enrollment.training_id == training_id).group_by(Enrollment.status)
        ).all()
    )
    invitations = dict(
        session.execute(
            select(SurveyInvitation.status, func.count())
            .where(
                SurveyInvitation.training_id == training_id,
                SurveyInvitation.questionnaire_id == training.reaction_questionnaire_id,
            )
            .group_by(SurveyInvitation.status)
        ).all()
    ) if training.reaction_questionnaire_id else {}
    responses = int(
        session.execute(
            select(func.count()).select_from(SurveyResponse).where(SurveyResponse.training_id == training_id)
        ).scalar_one()
    )
    return {
        "training": training,
        "window": survey_window(session, training),
        "enrollment": {k: int(v) for k, v in enrollment.items()},
        "attended": sum(int(enrollment.get(s, 0)) for s in ATTENDED),
        "invitations": {k: int(v) for k, v in invitations.items()},
        "invited": sum(int(v) for v in invitations.values()),
        "responses": responses,
    }


def reaction_questionnaires(session: Session) -> list[dict[str, Any]]:
    return [
        dict(r._mapping)
        for r in session.execute(
            select(Questionnaire.id, Questionnaire.title, Questionnaire.version, Questionnaire.anonymous, Questionnaire.locked)
            .where(Questionnaire.purpose == "reaction")
            .order_by(Questionnaire.title, Questionnaire.version.desc())
            .limit(200)
        )
    ]


def default_window(ends_on: date, days: int) -> tuple[date, date]:
    return ends_on, ends_on + timedelta(days=days)


@dataclass
class AttachResult:
    ok: bool
    errors: dict[str, str] = field(default_factory=dict)
    created: int = 0
    removed: int = 0


def frozen_message(closes_on: date) -> str:
    return _(
        "Survei anonim ini sudah ditutup pada {d}. Jendela survei dan kuesionernya tidak dapat diubah lagi "
        "dan tidak ada undangan baru: hasilnya sudah terbit, dan hasil kedua yang berbeda beberapa jawaban saja "
        "dapat membuka jawaban orang per orang."
    ).format(d=format_date(closes_on))


def attach(
    session: Session,
    actor_id: int | None,
    training_id: int,
    questionnaire_id: int | None,
    opens_on: date | None,
    closes_on: date | None,
    *,
    today: date,
) -> AttachResult:
    """Set the training's reaction questionnaire and survey window, then invite every participant whose
    enrollment is attended/completed (idempotent). `today` is the day HR acts on (the rules of
    `SurveyWindow` depend on it). Commits."""
    errors: dict[str, str] = {}
    training = session.get(Training, training_id)
    if training is None:
        raise LookupError(training_id)
    current = survey_window(session, training)
    if current.frozen(today):
        session.rollback()
        return _frozen_result(current)
    qn = session.get(Questionnaire, questionnaire_id) if questionnaire_id else None
    if qn is None or qn.purpose != "reaction":
        errors["questionnaire_id"] = _("Pilih kuesioner reaksi (L1).")
    if opens_on is None:
        errors["opens_on"] = _("Isi tanggal survei dibuka (format tahun-bulan-tanggal).")
    if closes_on is None:
        errors["closes_on"] = _("Isi tanggal survei ditutup (format tahun-bulan-tanggal).")
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("Tanggal tutup harus sama dengan atau sesudah tanggal buka.")
    elif closes_on and closes_on < today and qn is not None and qn.anonymous:
        # a date in the past would close the survey, and a closed anonymous survey stays closed
        errors["closes_on"] = _past_close_message()
    if errors:
        session.rollback()
        return AttachResult(ok=False, errors=errors)
    assert opens_on is not None and closes_on is not None and qn is not None
    old_qid = training.reaction_questionnaire_id
    # the first write: takes the lock (SQLite) / the training row (PostgreSQL) and re-checks the freeze,
    # so that HR closing the survey at the same moment cannot be undone by this write
    if not _set_window(session, training_id, qn.id, opens_on, closes_on, today=today):
        session.rollback()
        return _frozen_result(survey_window(session, training))
    # the questionnaire's row, shared: its anonymity cannot change while we invite (it is fixed once
    # anyone is invited, see questionnaires.update_questionnaire), and is read again under the lock
    anonymous = bool(
        session.execute(
            select(Questionnaire.anonymous).where(Questionnaire.id == qn.id).with_for_update(read=True)
        ).scalar_one()
    )
    if anonymous and closes_on < today:
        session.rollback()
        return AttachResult(ok=False, errors={"closes_on": _past_close_message()})
    if old_qid and old_qid != qn.id:
        started = {
            status
            for status in session.execute(
                select(SurveyInvitation.status)
                .where(
                    SurveyInvitation.training_id == training_id,
                    SurveyInvitation.questionnaire_id == old_qid,
                    SurveyInvitation.status != "pending",
                )
                .distinct()
            ).scalars()
        }
        if started:
            session.rollback()
            if "submitted" in started:
                message = _("Kuesioner tidak dapat diganti: sudah ada peserta yang mengirim jawaban untuk kuesioner sebelumnya.")
            else:
                # their drafts would be deleted, and they started under the old questionnaire's anonymity
                message = _(
                    "Kuesioner tidak dapat diganti: sudah ada peserta yang mulai mengisi kuesioner sebelumnya, "
                    "dan jawaban mereka akan hilang."
                )
            return AttachResult(ok=False, errors={"questionnaire_id": message})
    removed = 0
    if old_qid and old_qid != qn.id:
        removed += _delete_unsubmitted(session, training_id, SurveyInvitation.questionnaire_id == old_qid)
    # participants no longer marked as attended lose their unsubmitted invitation
    attended = select(Enrollment.employee_id).where(Enrollment.training_id == training_id, Enrollment.status.in_(ATTENDED))
    removed += _delete_unsubmitted(
        session,
        training_id,
        and_(SurveyInvitation.questionnaire_id == qn.id, SurveyInvitation.employee_id.not_in(attended)),
    )
    created = _generate_invitations(session, training_id, qn.id, opens_on, closes_on)
    audit(
        session,
        actor_id,
        "training.survey",
        f"training:{training_id}",
        f"questionnaire:{qn.id} {opens_on.isoformat()}..{closes_on.isoformat()} +{created} -{removed}",
    )
    session.commit()
    return AttachResult(ok=True, created=created, removed=removed)


def _past_close_message() -> str:
    return _(
        "Tanggal tutup survei anonim tidak boleh sebelum hari ini. Untuk menutup survei sekarang, gunakan "
        "tombol \u201cTutup survei sekarang\u201d: survei anonim yang sudah ditutup tidak dapat dibuka lagi."
    )


def _frozen_result(window: SurveyWindow) -> AttachResult:
    assert window.closes_on is not None
    return AttachResult(ok=False, errors={"form": frozen_message(window.closes_on)})


def _frozen_condition(today: date) -> Any:
    """SQL for `SurveyWindow.frozen` on the training row."""
    anonymous = (
        select(Questionnaire.id)
        .where(Questionnaire.id == Training.reaction_questionnaire_id, Questionnaire.anonymous.is_(True))
        .exists()
    )
    return and_(Training.survey_closes_on.is_not(None), Training.survey_closes_on < today, anonymous)


def _set_window(
    session: Session,
    training_id: int,
    questionnaire_id: int,
    opens_on: date,
    closes_on: date,
    *,
    today: date,
    condition: Any = None,
) -> bool:
    """The training's window, and the same window on every unsubmitted invitation (they never differ).
    The training row is updated only while it is not frozen (and `condition` holds); False when it was
    not updated."""
    updated = session.execute(
        update(Training)
        .where(Training.id == training_id, not_(_frozen_condition(today)), condition if condition is not None else true())
        .values(reaction_questionnaire_id=questionnaire_id, survey_opens_on=opens_on, survey_closes_on=closes_on)
    ).rowcount
    if not updated:
        return False
    session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.training_id == training_id,
            SurveyInvitation.questionnaire_id == questionnaire_id,
            SurveyInvitation.status != "submitted",
        )
        .values(opens_on=opens_on, closes_on=closes_on)
    )
    return True


def close_now(session: Session, actor_id: int | None, training_id: int, *, today: date) -> str | None:
    """Close an open survey window now: nobody can submit any more and, for an anonymous survey, the
    figures are published and frozen (`SurveyWindow`). The window is set to end yesterday, so that
    `today > closes_on` holds at once everywhere the window is read. Returns None on success, else the
    reason in Indonesian. Commits."""
    training = session.get(Training, training_id)
    if training is None:
        raise LookupError(training_id)
    window = survey_window(session, training)
    state = window.state(today)
    if state != "open" or training.reaction_questionnaire_id is None:
        session.rollback()
        if state == "closed":
            return _("Survei ini sudah ditutup.")
        return _("Hanya survei yang sedang dibuka yang dapat ditutup lebih awal.")
    assert window.opens_on is not None
    closes_on = today - timedelta(days=1)
    still_open = and_(Training.survey_opens_on <= today, Training.survey_closes_on >= today)
    if not _set_window(
        session, training_id, training.reaction_questionnaire_id, min(window.opens_on, closes_on), closes_on, today=today, condition=still_open
    ):
        session.rollback()
        return _("Survei ini sudah ditutup.")
    audit(session, actor_id, "training.survey.close", f"training:{training_id}", f"closed early on {today.isoformat()}")
    session.commit()
    return None


def _delete_unsubmitted(session: Session, training_id: int, condition: Any) -> int:
    ids = select(SurveyInvitation.id).where(
        SurveyInvitation.training_id == training_id, SurveyInvitation.status != "submitted", condition
    )
    drafts = select(SurveyDraft.id).where(SurveyDraft.invitation_id.in_(ids))
    session.execute(delete(DraftAnswer).where(DraftAnswer.draft_id.in_(drafts)))
    session.execute(delete(SurveyDraft).where(SurveyDraft.invitation_id.in_(ids)))
    result = session.execute(
        delete(SurveyInvitation).where(
            SurveyInvitation.training_id == training_id, SurveyInvitation.status != "submitted", condition
        )
    )
    return int(result.rowcount or 0)


def _generate_invitations(session: Session, training_id: int, questionnaire_id: int, opens_on: date, closes_on: date) -> int:
    """One INSERT .. SELECT .. ON CONFLICT DO NOTHING over the attended enrollments. Only `attach` calls it,
    after the `SurveyWindow` rules: no invitation is ever added to a frozen survey."""
    ins = _insert_for(session)
    src = select(
        Enrollment.training_id,
        Enrollment.employee_id,
        bindparam("qid", questionnaire_id),
        bindparam("status", "pending"),
        bindparam("opens", opens_on),
        bindparam("closes", closes_on),
    ).where(Enrollment.training_id == training_id, Enrollment.status.in_(ATTENDED))
    stmt = ins(SurveyInvitation).from_select(
        ["training_id", "employee_id", "questionnaire_id", "status", "opens_on", "closes_on"], src
    )
    stmt = stmt.on_conflict_do_nothing(index_elements=["training_id", "employee_id", "questionnaire_id"])
    return int(session.execute(stmt).rowcount or 0)

