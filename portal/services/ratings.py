"""On-the-job application (Kirkpatrick L3): when the supervisor's rating is due, the rating and self-report
forms (autosave, submit, HR reopen), impact scores stored next to the answers, per-training impact and
gap closure between two AKPK cycles.

Rules (docs/scoring.md has the formula):
- Due: `Training.ends_on + Training.application_due_days` (per training, default 90). The expected window
  is `Settings.application_window_days` (30) days from the due date; after it the rating is *overdue*
  but still accepted (late) up to 12 months after the training (PTIA is done 3-12 months after it);
  after that it is *closed*. 14 days before the due date it is *soon due* (listed, not yet open).
- Who rates: the employee's CURRENT direct supervisor (`Employee.supervisor_id` now). A draft started by
  a previous supervisor passes to the current one (`rater_id` follows the last writer).
- The self-report (optional, `Training.self_report_questionnaire_id`) follows the same schedule and is
  filled by the alumnus.
- Every write to a rating starts with an upsert of the rating row that only touches a DRAFT
  (`ON CONFLICT .. DO UPDATE .. WHERE status = 'draft' RETURNING id`): no row back means submitted,
  i.e. locked. Submit claims the draft with a conditional UPDATE, then validates inside the same
  transaction, stores the impact score and commits once: the score is never out of step with the answers.
- Impact score of an enrollment exists exactly when its supervisor rating is submitted, and always equals
  `scoring.impact_score` over the stored answers of its submitted ratings (recomputed on submit, on
  reopen, on the self-report's submit, and by `portal scores recompute`).

Takes a Session, returns plain dataclasses; never imports the web layer. Query counts are noted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import scoring
from portal.i18n import _, format_date
from portal.models import (
    ApplicationAnswer,
    ApplicationRating,
    Assessment,
    AssessmentCycle,
    AssessmentItem,
    AuditEvent,
    Competency,
    Employee,
    Enrollment,
    ImpactScore,
    Position,
    Question,
    Training,
    TrainingCompetency,
    Unit,
    utcnow,
)
from portal.services import questionnaires as qsvc
from portal.services.accounts import audit
from portal.services.questionnaires import QuestionDef, Structure
from portal.services.surveys import (
    AnswerValue,
    count_answered,
    field_name,
    parse_answer,
    validate_complete,
)

ATTENDED = ("attended", "completed")
ROLES = ("supervisor", "self")
SOON_DAYS = 14
LATE_LIMIT_DAYS = 365
DEFAULT_WINDOW_DAYS = 30
REASON_MIN = 10
REASON_MAX = 1000
LIST_LIMIT = 500
EXAMPLES_LIMIT = 10
PARTICIPANTS_PER_PAGE = 50
TRAININGS_PER_PAGE = 25
RECOMPUTE_BATCH = 2000

STATE_LABELS = {
    "not_yet": "Belum jatuh tempo",
    "soon": "Segera jatuh tempo",
    "due": "Jatuh tempo",
    "overdue": "Terlambat",
    "closed": "Ditutup",
    "submitted": "Terkirim",
}
STATE_BADGES = {
    "not_yet": "badge-muted",
    "soon": "badge-info",
    "due": "badge-warning",
    "overdue": "badge-danger",
    "closed": "badge-muted",
    "submitted": "badge-success",
}
# 1-5 scale of the L3 forms: a rating of the work, not agreement with a statement
SCALE_LABELS = ("Sangat kurang", "Kurang", "Cukup", "Baik", "Sangat baik")
CATEGORY_ORDER = ("sangat_berdampak", "cukup_berdampak", "kurang_berdampak", "tidak_berdampak")
CATEGORY_BADGES = {
    "sangat_berdampak": "badge-success",
    "cukup_berdampak": "badge-info",
    "kurang_berdampak": "badge-warning",
    "tidak_berdampak": "badge-danger",
}


def category_label(key: str | None) -> str:
    if key is None:
        return "–"
    return _(scoring.IMPACT_CATEGORY_LABELS.get(key, key))


# --------------------------------------------------------------------------- schedule


@dataclass(frozen=True)
class Schedule:
    due_on: date
    window_ends_on: date  # last day of the expected window
    closes_on: date  # last day on which a (late) rating is still accepted

    @property
    def soon_from(self) -> date:
        return self.due_on - timedelta(days=SOON_DAYS)

    def state(self, today: date, status: str | None = None) -> str:
        """submitted | not_yet | soon | due | overdue | closed"""
        if status == "submitted":
            return "submitted"
        if today < self.soon_from:
            return "not_yet"
        if today < self.due_on:
            return "soon"
        if today <= self.window_ends_on:
            return "due"
        if today <= self.closes_on:
            return "overdue"
        return "closed"


def schedule(ends_on: date, due_days: int | None, window_days: int = DEFAULT_WINDOW_DAYS) -> Schedule:
    due_on = ends_on + timedelta(days=due_days if due_days is not None else 90)
    window_ends_on = due_on + timedelta(days=max(window_days, 1) - 1)
    closes_on = max(ends_on + timedelta(days=LATE_LIMIT_DAYS), window_ends_on)
    return Schedule(due_on, window_ends_on, closes_on)


def _day_number(dialect: str, column: Any) -> Any:
    """Days since 1970-01-01 of a DATE column, as an SQL expression (portable date arithmetic)."""
    if dialect == "postgresql":
        return column - literal(date(1970, 1, 1))
    return cast(func.julianday(column) - 2440587.5, Integer)


def _epoch_days(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# --------------------------------------------------------------------------- one rating: context and answers


@dataclass(frozen=True)
class RatingContext:
    role: str
    enrollment_id: int
    enrollment_status: str
    training_id: int
    training_title: str
    training_provider: str
    training_starts_on: date
    training_ends_on: date
    due_days: int
    application_qid: int | None
    self_report_qid: int | None
    employee_id: int
    employee_name: str
    employee_nip: str
    employee_supervisor_id: int | None
    employee_active: bool
    unit_name: str | None
    position_name: str | None
    rating_id: int | None
    rating_status: str | None
    rating_qid: int | None
    rater_id: int | None
    submitted_at: datetime | None
    reopen_count: int
    schedule: Schedule

    @property
    def questionnaire_id(self) -> int | None:
        if self.rating_qid is not None:
            return self.rating_qid
        return self.application_qid if self.role == "supervisor" else self.self_report_qid

    @property
    def submitted(self) -> bool:
        return self.rating_status == "submitted"

    @property
    def reopened(self) -> bool:
        return self.reopen_count > 0 and self.rating_status == "draft"

    def state(self, today: date) -> str:
        return self.schedule.state(today, self.rating_status)

    def writable(self, today: date) -> bool:
        """Open for answers: due or overdue (late), or reopened by HR whatever the date."""
        if self.submitted:
            return False
        return self.reopened or self.state(today) in ("due", "overdue")

    @property
    def base_url(self) -> str:
        return f"/penerapan/{'atasan' if self.role == 'supervisor' else 'diri'}/{self.enrollment_id}"


_CONTEXT_STMT: Any = None


def _context_stmt() -> Any:
    global _CONTEXT_STMT
    if _CONTEXT_STMT is None:
        r = ApplicationRating.__table__
        _CONTEXT_STMT = (
            select(
                Enrollment.id,
                Enrollment.status,
                Training.id,
                Training.title,
                Training.provider,
                Training.starts_on,
                Training.ends_on,
                Training.application_due_days,
                Training.application_questionnaire_id,
                Training.self_report_questionnaire_id,
                Employee.id,
                Employee.name,
                Employee.nip,
                Employee.supervisor_id,
                Employee.is_active,
                Unit.name,
                Position.name,
                r.c.id,
                r.c.status,
                r.c.questionnaire_id,
                r.c.rater_id,
                r.c.submitted_at,
                r.c.reopen_count,
            )
            .join(Training, Training.id == Enrollment.training_id)
            .join(Employee, Employee.id == Enrollment.employee_id)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .outerjoin(Position, Position.id == Employee.position_id)
            .outerjoin(r, and_(r.c.enrollment_id == Enrollment.id, r.c.rater_role == bindparam("role")))
            .where(Enrollment.id == bindparam("eid"))
        )
    return _CONTEXT_STMT


def load_context(session: Session, enrollment_id: int, role: str, window_days: int = DEFAULT_WINDOW_DAYS) -> RatingContext | None:
    """The enrollment, its training, the employee and the rating of `role` (1 query). No access check."""
    row = session.connection().execute(_context_stmt(), {"eid": enrollment_id, "role": role}).first()
    if row is None:
        return None
    return RatingContext(
        role=role,
        enrollment_id=row[0],
        enrollment_status=row[1],
        training_id=row[2],
        training_title=row[3],
        training_provider=row[4] or "",
        training_starts_on=row[5],
        training_ends_on=row[6],
        due_days=int(row[7] if row[7] is not None else 90),
        application_qid=row[8],
        self_report_qid=row[9],
        employee_id=row[10],
        employee_name=row[11],
        employee_nip=row[12],
        employee_supervisor_id=row[13],
        employee_active=bool(row[14]),
        unit_name=row[15],
        position_name=row[16],
        rating_id=row[17],
        rating_status=row[18],
        rating_qid=row[19],
        rater_id=row[20],
        submitted_at=row[21],
        reopen_count=int(row[22] or 0),
        schedule=schedule(row[6], row[7], window_days),
    )


def for_supervisor(session: Session, enrollment_id: int, user_id: int, window_days: int = DEFAULT_WINDOW_DAYS) -> RatingContext | None:
    """The supervisor rating of an enrollment, when `user_id` is the employee's CURRENT direct supervisor,
    the employee is active and attended, and the training asks for an L3 rating. None otherwise (-> 404)."""
    ctx = load_context(session, enrollment_id, "supervisor", window_days)
    if (
        ctx is None
        or ctx.employee_supervisor_id != user_id
        or ctx.employee_id == user_id
        or not ctx.employee_active
        or ctx.enrollment_status not in ATTENDED
        or ctx.questionnaire_id is None
    ):
        return None
    return ctx


def for_self(session: Session, enrollment_id: int, user_id: int, window_days: int = DEFAULT_WINDOW_DAYS) -> RatingContext | None:
    """The alumnus' own self-report of an enrollment (None for anyone else's, or when not asked for)."""
    ctx = load_context(session, enrollment_id, "self", window_days)
    if ctx is None or ctx.employee_id != user_id or ctx.enrollment_status not in ATTENDED or ctx.questionnaire_id is None:
        return None
    return ctx


def load_answers(session: Session, rating_id: int | None) -> dict[int, AnswerValue]:
    if rating_id is None:
        return {}
    rows = session.connection().execute(
        select(
            ApplicationAnswer.question_id, ApplicationAnswer.value_num, ApplicationAnswer.value_before, ApplicationAnswer.value_text
        ).where(ApplicationAnswer.rating_id == rating_id)
    )
    return {r[0]: AnswerValue(num=r[1], before=r[2], text=r[3]) for r in rows}


def structure_for(session: Session, ctx: RatingContext) -> Structure:
    assert ctx.questionnaire_id is not None
    return qsvc.load_structure(session, ctx.questionnaire_id)


# --------------------------------------------------------------------------- writes


def _insert_fn(dialect: str) -> Any:
    return pg_dialect.insert if dialect == "postgresql" else sqlite_dialect.insert


_STMTS: dict[str, dict[str, Any]] = {}


def _statements(dialect: str) -> dict[str, Any]:
    stmts = _STMTS.get(dialect)
    if stmts is None:
        ins = _insert_fn(dialect)
        r = ApplicationRating.__table__
        a = ApplicationAnswer.__table__
        s = ImpactScore.__table__
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
        score = ins(s)
        score = score.on_conflict_do_update(
            index_elements=["enrollment_id"],
            set_={
                "application_score": score.excluded.application_score,
                "change_score": score.excluded.change_score,
                "self_score": score.excluded.self_score,
                "impact_index": score.excluded.impact_index,
                "category": score.excluded.category,
                "formula_version": score.excluded.formula_version,
                "computed_at": score.excluded.computed_at,
            },
        )
        stmts = {
            "rating": rating,
            "answer": answer,
            "clear": delete(a).where(a.c.rating_id == bindparam("rid"), a.c.question_id == bindparam("q")),
            "claim": update(r)
            .where(r.c.id == bindparam("rid"), r.c.status == "draft")
            .values(status="submitted", submitted_at=bindparam("now"), updated_at=bindparam("now"), rater_id=bindparam("rater")),
            "reopen": update(r)
            .where(r.c.id == bindparam("rid"), r.c.status == "submitted")
            .values(status="draft", submitted_at=None, updated_at=bindparam("now"), reopen_count=r.c.reopen_count + 1),
            "score": score,
            "unscore": delete(s).where(s.c.enrollment_id == bindparam("eid")),
        }
        _STMTS[dialect] = stmts
    return stmts


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
    stmts = _statements(_dialect(session))
    return session.connection().execute(
        stmts["rating"],
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
    stmts = _statements(_dialect(session))
    conn = session.connection()
    if value is None:
        conn.execute(stmts["clear"], {"rid": rid, "q": q.id})
    else:
        conn.execute(
            stmts["answer"],
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
    stmts = _statements(_dialect(session))
    if clear:
        session.execute(delete(ApplicationAnswer).where(ApplicationAnswer.rating_id == rid, ApplicationAnswer.question_id.in_(clear)))
    if rows:
        session.connection().execute(stmts["answer"], [dict(r, rating_id=rid) for r in rows])
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
    stmts = _statements(_dialect(session))
    conn = session.connection()
    claimed = conn.execute(stmts["claim"], {"rid": ctx.rating_id, "now": now, "rater": actor_id}).rowcount
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
    row = session.execute(
        select(ApplicationRating.enrollment_id, ApplicationRating.status, ApplicationRating.rater_role).where(
            ApplicationRating.id == rating_id
        )
    ).first()
    if row is None:
        return ReopenResult(False, status=404)
    error = validate_reason(reason)
    if error:
        return ReopenResult(False, error=error, status=422, enrollment_id=row[0])
    now = now or utcnow()
    stmts = _statements(_dialect(session))
    previous = session.execute(select(ImpactScore.impact_index).where(ImpactScore.enrollment_id == row[0])).scalar_one_or_none()
    changed = session.connection().execute(stmts["reopen"], {"rid": rating_id, "now": now}).rowcount
    if not changed:
        session.rollback()
        return ReopenResult(False, error=_("Penilaian ini belum dikirim, jadi tidak perlu dibuka kembali."), status=409, enrollment_id=row[0])
    recompute_enrollment(session, row[0], now=now)
    audit(
        session,
        actor_id,
        "l3.reopen",
        f"applicationrating:{rating_id}",
        f"role={row[2]} enrollment={row[0]} indeks_sebelumnya={previous if previous is not None else '-'} alasan: {reason.strip()}",
    )
    session.commit()
    return ReopenResult(True, enrollment_id=row[0])


def reopen_history(session: Session, rating_ids: list[int]) -> list[dict[str, Any]]:
    """Audit events of reopening (and submitting) these ratings, newest first (1 query)."""
    if not rating_ids:
        return []
    rows = session.execute(
        select(AuditEvent.at, AuditEvent.action, AuditEvent.detail, AuditEvent.target, Employee.name)
        .outerjoin(Employee, Employee.id == AuditEvent.actor_id)
        .where(
            AuditEvent.target.in_([f"applicationrating:{rid}" for rid in rating_ids]),
            AuditEvent.action.in_(("l3.reopen", "l3.submit")),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(50)
    ).all()
    out = []
    for at, action, detail, _target, name in rows:
        reason = detail.split("alasan: ", 1)[1] if "alasan: " in detail else ""
        role = "self" if "role=self" in detail else "supervisor"
        out.append({"at": at, "action": action, "actor": name or "–", "reason": reason, "role": role})
    return out


# --------------------------------------------------------------------------- impact score


def compute(rows: Iterable[tuple[str, str, bool, int | None, int | None]], version: str = scoring.FORMULA_VERSION) -> scoring.ImpactResult:
    """Score from the answers of an enrollment's SUBMITTED ratings: rows of
    (rater_role, question kind, retrospective, value_num, value_before). Only likert5 items count."""
    sup_after: list[int | None] = []
    pairs: list[tuple[int | None, int | None]] = []
    self_after: list[int | None] | None = None
    for role, kind, retro, num, before in rows:
        if kind != "likert5":
            continue
        if role == "supervisor":
            sup_after.append(num)
            if retro:
                pairs.append((before, num))
        elif role == "self":
            if self_after is None:
                self_after = []
            self_after.append(num)
    return scoring.impact_score(sup_after, pairs, self_after, version)


def _score_rows_stmt(where: Any) -> Any:
    r = ApplicationRating.__table__
    a = ApplicationAnswer.__table__
    q = Question.__table__
    return (
        select(r.c.enrollment_id, r.c.rater_role, q.c.kind, q.c.retrospective, a.c.value_num, a.c.value_before)
        .select_from(a.join(r, r.c.id == a.c.rating_id).join(q, q.c.id == a.c.question_id))
        .where(r.c.status == "submitted", where)
    )


def _has_submitted_supervisor(session: Session, enrollment_id: int) -> bool:
    return (
        session.execute(
            select(ApplicationRating.id).where(
                ApplicationRating.enrollment_id == enrollment_id,
                ApplicationRating.rater_role == "supervisor",
                ApplicationRating.status == "submitted",
            )
        ).first()
        is not None
    )


def recompute_enrollment(
    session: Session, enrollment_id: int, version: str = scoring.FORMULA_VERSION, now: datetime | None = None
) -> scoring.ImpactResult | None:
    """Recompute and store (or delete) the enrollment's impact score. Does not commit. Queries: 3."""
    stmts = _statements(_dialect(session))
    conn = session.connection()
    if not _has_submitted_supervisor(session, enrollment_id):
        conn.execute(stmts["unscore"], {"eid": enrollment_id})
        return None
    rows = conn.execute(_score_rows_stmt(ApplicationRating.__table__.c.enrollment_id == enrollment_id)).all()
    result = compute(((r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows), version)
    if result.index is None:  # a supervisor rating without any likert5 answer: no index
        conn.execute(stmts["unscore"], {"eid": enrollment_id})
        return None
    conn.execute(stmts["score"], _score_params(enrollment_id, result, now or utcnow()))
    return result


def _score_params(enrollment_id: int, result: scoring.ImpactResult, now: datetime) -> dict[str, Any]:
    return {
        "enrollment_id": enrollment_id,
        "application_score": result.application,
        "change_score": result.change,
        "self_score": result.self_report,
        "impact_index": result.index,
        "category": result.category,
        "formula_version": result.version,
        "computed_at": now,
    }


def stored_score(session: Session, enrollment_id: int) -> tuple | None:
    row = session.execute(
        select(
            ImpactScore.application_score,
            ImpactScore.change_score,
            ImpactScore.self_score,
            ImpactScore.impact_index,
            ImpactScore.category,
            ImpactScore.formula_version,
        ).where(ImpactScore.enrollment_id == enrollment_id)
    ).first()
    return tuple(row) if row is not None else None


def expected_score(session: Session, enrollment_id: int, version: str = scoring.FORMULA_VERSION) -> tuple | None:
    """What the stored score must be, recomputed from the stored answers (for checks and tests)."""
    if not _has_submitted_supervisor(session, enrollment_id):
        return None
    rows = session.execute(_score_rows_stmt(ApplicationRating.__table__.c.enrollment_id == enrollment_id)).all()
    r = compute(((x[1], x[2], bool(x[3]), x[4], x[5]) for x in rows), version)
    if r.index is None:
        return None
    return (r.application, r.change, r.self_report, r.index, r.category, r.version)


@dataclass
class RecomputeReport:
    scanned: int = 0
    changed: int = 0
    created: int = 0
    unchanged: int = 0
    deleted: int = 0
    batches: int = 0


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-9


def recompute_all(
    session: Session,
    version: str = scoring.FORMULA_VERSION,
    batch_size: int = RECOMPUTE_BATCH,
    now: datetime | None = None,
    progress: Any = None,
) -> RecomputeReport:
    """Recompute every stored impact score (e.g. for a new formula version), streaming over the enrollments
    with a submitted supervisor rating in keyset batches (memory stays flat); writes only the scores that
    changed and deletes scores without a submitted supervisor rating. Commits per batch.
    Queries per batch: 3 selects + at most 1 bulk upsert."""
    if version not in scoring.IMPACT_WEIGHTS:
        raise ValueError(version)
    now = now or utcnow()
    report = RecomputeReport()
    r = ApplicationRating.__table__
    s = ImpactScore.__table__
    stmts = _statements(_dialect(session))
    submitted_sup = select(r.c.enrollment_id).where(r.c.rater_role == "supervisor", r.c.status == "submitted")
    report.deleted = int(session.execute(delete(s).where(s.c.enrollment_id.not_in(submitted_sup))).rowcount or 0)
    session.commit()
    ids_stmt = (
        select(r.c.enrollment_id)
        .where(r.c.rater_role == "supervisor", r.c.status == "submitted", r.c.enrollment_id > bindparam("after"))
        .order_by(r.c.enrollment_id)
        .limit(bindparam("n"))
    )
    rows_stmt = _score_rows_stmt(and_(r.c.enrollment_id >= bindparam("lo"), r.c.enrollment_id <= bindparam("hi")))
    stored_stmt = select(
        s.c.enrollment_id, s.c.application_score, s.c.change_score, s.c.self_score, s.c.impact_index, s.c.category, s.c.formula_version
    ).where(s.c.enrollment_id >= bindparam("lo"), s.c.enrollment_id <= bindparam("hi"))
    after = 0
    while True:
        conn = session.connection()
        ids = [row[0] for row in conn.execute(ids_stmt, {"after": after, "n": batch_size})]
        if not ids:
            break
        lo, hi = ids[0], ids[-1]
        wanted = set(ids)
        per: dict[int, list[tuple[str, str, bool, int | None, int | None]]] = {eid: [] for eid in ids}
        for eid, role, kind, retro, num, before in conn.execute(rows_stmt, {"lo": lo, "hi": hi}):
            if eid in wanted:
                per[eid].append((role, kind, bool(retro), num, before))
        stored = {row[0]: row[1:] for row in conn.execute(stored_stmt, {"lo": lo, "hi": hi})}
        upserts: list[dict[str, Any]] = []
        unscore: list[int] = []
        for eid in ids:
            res = compute(per[eid], version)
            old = stored.get(eid)
            if res.index is None:
                if old is not None:
                    unscore.append(eid)
                continue
            new = (res.application, res.change, res.self_report, res.index, res.category, res.version)
            if old is not None and all(_same(x, y) for x, y in zip(old[:4], new[:4], strict=True)) and tuple(old[4:]) == new[4:]:
                report.unchanged += 1
                continue
            if old is None:
                report.created += 1
            else:
                report.changed += 1
            upserts.append(_score_params(eid, res, now))
        if upserts:
            conn.execute(stmts["score"], upserts)
        if unscore:
            report.deleted += int(conn.execute(delete(s).where(s.c.enrollment_id.in_(unscore))).rowcount or 0)
        session.commit()
        report.scanned += len(ids)
        report.batches += 1
        after = hi
        if progress is not None:
            progress(report)
        del per, stored, upserts
    return report


# --------------------------------------------------------------------------- lists: supervisor, employee, Beranda


@dataclass(frozen=True)
class DueItem:
    enrollment_id: int
    role: str
    employee_id: int
    employee_name: str
    employee_nip: str
    position_name: str | None
    training_id: int
    training_title: str
    training_ends_on: date
    schedule: Schedule
    state: str
    rating_status: str | None
    answered: int
    submitted_at: datetime | None
    impact_index: float | None
    category: str | None

    @property
    def state_label(self) -> str:
        return _(STATE_LABELS[self.state])

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def category_badge(self) -> str:
        return CATEGORY_BADGES.get(self.category or "", "badge-muted")

    @property
    def href(self) -> str:
        if self.state == "submitted":
            return f"/penerapan/hasil/{self.enrollment_id}"
        return f"/penerapan/{'atasan' if self.role == 'supervisor' else 'diri'}/{self.enrollment_id}"

    @property
    def deadline(self) -> date:
        """The date to show next to the item: when it opens (soon), its window's end (due), the last day (overdue)."""
        if self.state in ("soon", "not_yet"):
            return self.schedule.due_on
        if self.state == "overdue":
            return self.schedule.closes_on
        return self.schedule.window_ends_on


def _answered_count() -> Any:
    return (
        select(func.count())
        .select_from(ApplicationAnswer)
        .where(ApplicationAnswer.rating_id == ApplicationRating.id)
        .scalar_subquery()
    )


def _list_rows(session: Session, role: str, where: Any, today: date, limit: int) -> list[Any]:
    dialect = _dialect(session)
    qid_col = Training.application_questionnaire_id if role == "supervisor" else Training.self_report_questionnaire_id
    due_num = _day_number(dialect, Training.ends_on) + Training.application_due_days
    rating = and_(ApplicationRating.enrollment_id == Enrollment.id, ApplicationRating.rater_role == role)
    return session.execute(
        select(
            Enrollment.id,
            Employee.id,
            Employee.name,
            Employee.nip,
            Position.name,
            Training.id,
            Training.title,
            Training.ends_on,
            Training.application_due_days,
            ApplicationRating.status,
            case((ApplicationRating.id.is_(None), 0), else_=_answered_count()),
            ApplicationRating.submitted_at,
            ImpactScore.impact_index,
            ImpactScore.category,
        )
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(ApplicationRating, rating)
        .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
        .where(
            where,
            Enrollment.status.in_(ATTENDED),
            or_(qid_col.is_not(None), ApplicationRating.id.is_not(None)),
            due_num - SOON_DAYS <= _epoch_days(today),
        )
        .order_by(Training.ends_on.desc(), Employee.name, Enrollment.id)
        .limit(limit)
    ).all()


def _items(rows: list[Any], role: str, today: date, window_days: int) -> list[DueItem]:
    out = []
    for r in rows:
        sched = schedule(r[7], r[8], window_days)
        out.append(
            DueItem(
                enrollment_id=r[0],
                role=role,
                employee_id=r[1],
                employee_name=r[2],
                employee_nip=r[3],
                position_name=r[4],
                training_id=r[5],
                training_title=r[6],
                training_ends_on=r[7],
                schedule=sched,
                state=sched.state(today, r[9]),
                rating_status=r[9],
                answered=int(r[10] or 0),
                submitted_at=r[11],
                impact_index=r[12],
                category=r[13],
            )
        )
    return out


@dataclass
class Groups:
    due: list[DueItem] = field(default_factory=list)  # due and overdue, earliest deadline first
    soon: list[DueItem] = field(default_factory=list)
    submitted: list[DueItem] = field(default_factory=list)
    closed: list[DueItem] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(1 for i in self.due if i.state == "overdue")

    @property
    def empty(self) -> bool:
        return not (self.due or self.soon or self.submitted or self.closed)


def _group(items: list[DueItem]) -> Groups:
    g = Groups()
    for i in items:
        if i.state in ("due", "overdue"):
            g.due.append(i)
        elif i.state == "soon":
            g.soon.append(i)
        elif i.state == "submitted":
            g.submitted.append(i)
        elif i.state == "closed":
            g.closed.append(i)
    g.due.sort(key=lambda i: (i.state != "overdue", i.deadline, i.employee_name))
    g.soon.sort(key=lambda i: (i.schedule.due_on, i.employee_name))
    g.submitted.sort(key=lambda i: (i.submitted_at is None, -(i.submitted_at.timestamp() if i.submitted_at else 0)))
    return g


def supervisor_groups(
    session: Session, supervisor_id: int, today: date, window_days: int = DEFAULT_WINDOW_DAYS, limit: int = LIST_LIMIT
) -> Groups:
    """The supervisor's L3 ratings of CURRENT direct reports that are soon due, due, overdue, submitted or
    closed (1 query, at most `limit` rows)."""
    where = and_(Employee.supervisor_id == supervisor_id, Employee.is_active.is_(True), Employee.id != supervisor_id)
    return _group(_items(_list_rows(session, "supervisor", where, today, limit), "supervisor", today, window_days))


def due_ratings(session: Session, supervisor_id: int, today: date, window_days: int = DEFAULT_WINDOW_DAYS) -> list[DueItem]:
    """Soon due, due and overdue ratings of a supervisor (for `templates/ratings/_due_list.html`)."""
    g = supervisor_groups(session, supervisor_id, today, window_days)
    return g.due + g.soon


def employee_groups(session: Session, employee_id: int, today: date, window_days: int = DEFAULT_WINDOW_DAYS) -> Groups:
    """The alumnus' own self-reports (1 query)."""
    return _group(_items(_list_rows(session, "self", Enrollment.employee_id == employee_id, today, LIST_LIMIT), "self", today, window_days))


def own_results(session: Session, employee_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The employee's trainings with a submitted supervisor rating and its impact score (1 query)."""
    rows = session.execute(
        select(Enrollment.id, Training.title, Training.ends_on, ApplicationRating.submitted_at, ImpactScore.impact_index, ImpactScore.category)
        .join(Training, Training.id == Enrollment.training_id)
        .join(
            ApplicationRating,
            and_(
                ApplicationRating.enrollment_id == Enrollment.id,
                ApplicationRating.rater_role == "supervisor",
                ApplicationRating.status == "submitted",
            ),
        )
        .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
        .where(Enrollment.employee_id == employee_id)
        .order_by(Training.ends_on.desc(), Enrollment.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "enrollment_id": r[0],
            "title": r[1],
            "ends_on": r[2],
            "submitted_at": r[3],
            "index": r[4],
            "category": r[5],
            "category_label": category_label(r[5]),
            "category_badge": CATEGORY_BADGES.get(r[5] or "", "badge-muted"),
        }
        for r in rows
    ]


HOME_TASK_LIMIT = 5



def home_tasks(
    session: Session, employee_id: int, is_supervisor: bool, today: date, window_days: int = DEFAULT_WINDOW_DAYS
) -> list[tuple[str, str, date | None, str]]:
    """Beranda tasks as (label, href, date, kind): the supervisor's due/overdue/soon-due ratings (one task
    each, up to 5, then one summary task) and the alumnus' open self-reports. Kinds: l3_due, l3_overdue,
    l3_soon, l3_more, l3_self. Queries: 1-2."""
    tasks: list[tuple[str, str, date | None, str]] = []
    if is_supervisor:
        g = supervisor_groups(session, employee_id, today, window_days)
        pending = g.due + g.soon
        for item in pending[:HOME_TASK_LIMIT]:
            if item.state == "soon":
                label = _("Nilai penerapan hasil pelatihan: {name} ({training}), dibuka {d}").format(
                    name=item.employee_name, training=item.training_title, d=format_date(item.schedule.due_on)
                )
                tasks.append((label, "/penerapan#segera", None, "l3_soon"))
                continue
            verb = _("Lanjutkan menilai") if item.rating_status == "draft" else _("Nilai")
            label = _("{verb} penerapan hasil pelatihan: {name} ({training})").format(
                verb=verb, name=item.employee_name, training=item.training_title
            )
            tasks.append((label, item.href, item.deadline, "l3_overdue" if item.state == "overdue" else "l3_due"))
        if len(pending) > HOME_TASK_LIMIT:
            tasks.append(
                (_("Lihat {n} penilaian penerapan lainnya").format(n=len(pending) - HOME_TASK_LIMIT), "/penerapan", None, "l3_more")
            )
    own = employee_groups(session, employee_id, today, window_days)
    for item in own.due:
        verb = _("Lanjutkan laporan penerapan") if item.rating_status == "draft" else _("Isi laporan penerapan")
        tasks.append((f"{verb}: {item.training_title}", item.href, item.deadline, "l3_self"))
    return tasks


# --------------------------------------------------------------------------- HR: overdue per unit


def overdue_by_unit(session: Session, today: date, window_days: int = DEFAULT_WINDOW_DAYS) -> list[dict[str, Any]]:
    """Per unit: supervisor ratings due now (window open) and overdue (window passed, still accepted),
    not submitted (1 query)."""
    dialect = _dialect(session)
    t = _epoch_days(today)
    ends = _day_number(dialect, Training.ends_on)
    due_num = ends + Training.application_due_days
    window_end = due_num + (max(window_days, 1) - 1)
    rating = and_(
        ApplicationRating.enrollment_id == Enrollment.id,
        ApplicationRating.rater_role == "supervisor",
        ApplicationRating.status == "submitted",
    )
    closes = func.max(window_end, ends + LATE_LIMIT_DAYS) if dialect == "sqlite" else func.greatest(window_end, ends + LATE_LIMIT_DAYS)
    rows = session.execute(
        select(
            Unit.id,
            Unit.name,
            func.sum(case((window_end >= t, 1), else_=0)),
            func.sum(case((window_end < t, 1), else_=0)),
        )
        .select_from(Enrollment)
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(ApplicationRating, rating)
        .where(
            Enrollment.status.in_(ATTENDED),
            Employee.is_active.is_(True),
            Training.application_questionnaire_id.is_not(None),
            ApplicationRating.id.is_(None),
            due_num <= t,
            closes >= t,
        )
        .group_by(Unit.id, Unit.name)
        .order_by(func.sum(case((window_end < t, 1), else_=0)).desc(), Unit.name)
        .limit(200)
    ).all()
    return [{"unit_id": r[0], "unit": r[1] or _("(tanpa unit)"), "due": int(r[2] or 0), "overdue": int(r[3] or 0)} for r in rows]


# --------------------------------------------------------------------------- HR: list of trainings with impact


def trainings_overview(session: Session, today: date, page: int = 1, per_page: int = TRAININGS_PER_PAGE) -> dict[str, Any]:
    """Trainings that ask for an L3 rating, newest first, with participants, rated and mean index (3 queries)."""
    base = Training.application_questionnaire_id.is_not(None)
    total = int(session.execute(select(func.count()).select_from(Training).where(base)).scalar_one())
    pages = max(1, (total + per_page - 1) // per_page)
    page = min(max(1, page), pages)
    trainings = session.execute(
        select(Training.id, Training.title, Training.provider, Training.starts_on, Training.ends_on, Training.application_due_days,
               Training.self_report_questionnaire_id)
        .where(base)
        .order_by(Training.ends_on.desc(), Training.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    ids = [t[0] for t in trainings]
    stats: dict[int, tuple[int, int, float | None]] = {}
    if ids:
        rated = and_(
            ApplicationRating.enrollment_id == Enrollment.id,
            ApplicationRating.rater_role == "supervisor",
            ApplicationRating.status == "submitted",
        )
        for tid, n, n_rated, mean in session.execute(
            select(Enrollment.training_id, func.count(Enrollment.id), func.count(ApplicationRating.id), func.avg(ImpactScore.impact_index))
            .outerjoin(ApplicationRating, rated)
            .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
            .where(Enrollment.training_id.in_(ids), Enrollment.status.in_(ATTENDED))
            .group_by(Enrollment.training_id)
        ):
            stats[tid] = (int(n), int(n_rated), float(mean) if mean is not None else None)
    rows = []
    for t in trainings:
        sched = schedule(t[4], t[5])
        n, n_rated, mean = stats.get(t[0], (0, 0, None))
        rows.append(
            {
                "id": t[0],
                "title": t[1],
                "provider": t[2],
                "starts_on": t[3],
                "ends_on": t[4],
                "due_on": sched.due_on,
                "is_due": today >= sched.due_on,
                "self_report": t[6] is not None,
                "participants": n,
                "rated": n_rated,
                "mean": scoring.round_half_up(mean, 1),
                "category": scoring.impact_category(scoring.round_half_up(mean, 1)),
            }
        )
    return {"rows": rows, "page": page, "pages": pages, "total": total}


# --------------------------------------------------------------------------- per-training impact


@dataclass
class ItemChange:
    question_id: int
    number: int
    text: str
    role: str
    retrospective: bool
    n: int
    mean_after: float | None
    mean_before: float | None
    mean_change: float | None


@dataclass
class GapRow:
    competency_id: int
    code: str
    name: str
    n: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    improved: int = 0
    declined: int = 0
    before_level: int | None = None  # individual view
    after_level: int | None = None


@dataclass
class GapClosure:
    before_cycle: str | None
    after_cycle: str | None
    rows: list[GapRow]
    competencies: list[str]

    @property
    def available(self) -> bool:
        return self.before_cycle is not None and self.after_cycle is not None


@dataclass
class TrainingImpact:
    training: Any
    schedule: Schedule
    state: str  # not_yet | soon | due | overdue | closed (of the training's ratings as a whole)
    participants: int
    due: int
    rated: int
    drafts: int
    self_asked: bool
    self_submitted: int
    scored: int
    with_self: int
    mean_index: float | None
    mean_category: str | None
    distribution: list[dict[str, Any]]
    items: list[ItemChange]
    examples: list[dict[str, Any]]  # per free-text question: question, total, items (the newest EXAMPLES_LIMIT)
    people: list[dict[str, Any]]
    page: int
    pages: int
    gap: GapClosure | None  # loaded separately (training_gap) unless asked for
    weights: dict[str, float]
    weights_no_self: dict[str, float]

    @property
    def mean_category_label(self) -> str:
        return category_label(self.mean_category)

    @property
    def mean_category_badge(self) -> str:
        return CATEGORY_BADGES.get(self.mean_category or "", "badge-muted")


def _cycles_around(session: Session, starts_on: date, ends_on: date) -> tuple[Any, Any]:
    """The last AKPK cycle that closed before the training began and the first that opened after it ended (1 query)."""
    cycles = session.execute(
        select(AssessmentCycle.id, AssessmentCycle.name, AssessmentCycle.opens_on, AssessmentCycle.closes_on)
        .order_by(AssessmentCycle.opens_on)
        .limit(200)
    ).all()
    before = None
    after = None
    for c in cycles:
        if c.closes_on < starts_on:
            before = c
        if after is None and c.opens_on > ends_on:
            after = c
    return before, after


def _levels(training_id: int, before_id: int, after_id: int, employee_id: int | None = None, dialect: str = "sqlite") -> Any:
    """Per participant and trained competency: the final level in the cycle before (lb) and after (la) the
    training, coded (see below; final = the supervisor's submitted level, else the submitted self level). One
    pass over the participants' submitted assessments, grouped."""
    a = Assessment.__table__
    i = AssessmentItem.__table__
    e = Enrollment.__table__
    tc = TrainingCompetency.__table__

    # one aggregate per cycle: max(10 x is_supervisor + level) over the cycle's rows; the supervisor's level wins
    # over the self level, the code mod 10 is the level, NULL means "no level in that cycle" (half the work of
    # four CASE aggregates)
    code = case((a.c.rater_role == "supervisor", 10), else_=0) + i.c.level
    before = func.max(case((a.c.cycle_id == before_id, code)))
    after = func.max(case((a.c.cycle_id == after_id, code)))
    # SQLite: "+ 0" keeps the planner on the participants' assessments instead of every item of the competency in
    # the whole organisation (it picks ix_assessmentitem_competency_id otherwise); PostgreSQL plans it well as is
    competency = i.c.competency_id + 0 if dialect == "sqlite" else i.c.competency_id
    if employee_id is None:
        subject_cond = a.c.subject_id.in_(select(e.c.employee_id).where(e.c.training_id == training_id, e.c.status.in_(ATTENDED)))
    else:
        subject_cond = a.c.subject_id == employee_id
    return (
        select(i.c.competency_id, before.label("lb"), after.label("la"))
        .select_from(a.join(i, i.c.assessment_id == a.c.id))
        .where(
            a.c.status == "submitted",
            a.c.cycle_id.in_((before_id, after_id)),
            subject_cond,
            competency.in_(select(tc.c.competency_id).where(tc.c.training_id == training_id)),
        )
        .group_by(a.c.subject_id, i.c.competency_id)
    )


def gap_closure(session: Session, training_id: int, starts_on: date, ends_on: date, employee_id: int | None = None) -> GapClosure:
    """Change of the final AKPK level per trained competency between the cycle before and the cycle after the
    training: per competency the mean over participants with both levels, or one person's levels. Queries: 3."""
    before, after = _cycles_around(session, starts_on, ends_on)
    comps = session.execute(
        select(Competency.id, Competency.code, Competency.name)
        .join(TrainingCompetency, TrainingCompetency.competency_id == Competency.id)
        .where(TrainingCompetency.training_id == training_id)
        .order_by(Competency.code)
    ).all()
    names = [c.name for c in comps]
    if before is None or after is None:
        return GapClosure(before.name if before else None, after.name if after else None, [], names)
    levels = _levels(training_id, before.id, after.id, employee_id, _dialect(session)).subquery()
    lb = levels.c.lb % 10
    la = levels.c.la % 10
    rows: list[GapRow] = []
    if employee_id is None:
        change = la - lb
        got = {
            r[0]: r
            for r in session.execute(
                select(
                    levels.c.competency_id,
                    func.count(),
                    func.avg(lb),
                    func.avg(la),
                    func.avg(change),
                    func.sum(case((change > 0, 1), else_=0)),
                    func.sum(case((change < 0, 1), else_=0)),
                )
                .where(levels.c.lb.is_not(None), levels.c.la.is_not(None))
                .group_by(levels.c.competency_id)
            )
        }
        for c in comps:
            r = got.get(c.id)
            if r is None:
                rows.append(GapRow(c.id, c.code, c.name, 0, None, None, None))
            else:
                rows.append(GapRow(c.id, c.code, c.name, int(r[1]), float(r[2]), float(r[3]), float(r[4]), int(r[5] or 0), int(r[6] or 0)))
    else:
        mine = {
            r[0]: (r[1] % 10 if r[1] is not None else None, r[2] % 10 if r[2] is not None else None)
            for r in session.execute(select(levels.c.competency_id, levels.c.lb, levels.c.la))
        }
        for c in comps:
            lb, la = mine.get(c.id, (None, None))
            diff = la - lb if lb is not None and la is not None else None
            rows.append(GapRow(c.id, c.code, c.name, 1 if diff is not None else 0, lb, la, diff, before_level=lb, after_level=la))
    return GapClosure(before.name, after.name, rows, names)


def training_impact(
    session: Session,
    training_id: int,
    today: date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    page: int = 1,
    with_gap: bool = False,
) -> TrainingImpact | None:
    """HR's per-training impact page. Bounded: 9 queries plus one per free-text question of the questionnaire,
    whatever the number of participants."""
    t = session.execute(
        select(
            Training.id, Training.code, Training.title, Training.provider, Training.starts_on, Training.ends_on,
            Training.jp, Training.application_due_days, Training.application_questionnaire_id, Training.self_report_questionnaire_id,
        ).where(Training.id == training_id)
    ).first()
    if t is None:
        return None
    sched = schedule(t.ends_on, t.application_due_days, window_days)
    state = sched.state(today)
    sup = aliased(ApplicationRating)
    own = aliased(ApplicationRating)
    counts = session.execute(
        select(
            func.count(Enrollment.id),
            func.sum(case((sup.status == "submitted", 1), else_=0)),
            func.sum(case((sup.status == "draft", 1), else_=0)),
            func.sum(case((own.status == "submitted", 1), else_=0)),
        )
        .select_from(Enrollment)
        .outerjoin(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor"))
        .outerjoin(own, and_(own.enrollment_id == Enrollment.id, own.rater_role == "self"))
        .where(Enrollment.training_id == training_id, Enrollment.status.in_(ATTENDED))
    ).one()
    participants, rated, drafts, self_submitted = (int(v or 0) for v in counts)
    due = participants if today >= sched.due_on else 0

    dist_rows = session.execute(
        select(
            ImpactScore.category,
            func.count(),
            func.sum(ImpactScore.impact_index),
            func.sum(case((ImpactScore.self_score.is_not(None), 1), else_=0)),
        )
        .join(Enrollment, Enrollment.id == ImpactScore.enrollment_id)
        .where(Enrollment.training_id == training_id, Enrollment.status.in_(ATTENDED))
        .group_by(ImpactScore.category)
    ).all()
    by_cat = {r[0]: int(r[1]) for r in dist_rows}
    scored = sum(by_cat.values())
    total_index = sum(float(r[2] or 0) for r in dist_rows)
    with_self = sum(int(r[3] or 0) for r in dist_rows)
    mean_index = scoring.round_half_up(total_index / scored, 1) if scored else None
    distribution = [
        {
            "key": key,
            "label": category_label(key),
            "badge": CATEGORY_BADGES[key],
            "count": by_cat.get(key, 0),
            "percent": (by_cat.get(key, 0) * 100 / scored) if scored else 0.0,
        }
        for key in CATEGORY_ORDER
    ]

    r = ApplicationRating.__table__
    a = ApplicationAnswer.__table__
    q = Question.__table__
    e = Enrollment.__table__
    emp = Employee.__table__
    # joined from the training's enrollments (index on enrollment.training_id, then the ratings and their
    # answers by key): faster than an IN (subquery) on both SQLite and PostgreSQL
    rated_answers = e.join(r, r.c.enrollment_id == e.c.id).join(a, a.c.rating_id == r.c.id)
    rated_where = (e.c.training_id == training_id, e.c.status.in_(ATTENDED), r.c.status == "submitted")
    # per question and role: means of after/before/change and the number of texts (aggregated in SQL)
    agg = session.execute(
        select(
            a.c.question_id,
            r.c.rater_role,
            func.count(a.c.value_num),
            func.avg(a.c.value_num),
            func.avg(a.c.value_before),
            func.avg(a.c.value_num - a.c.value_before),
            func.count(a.c.value_text),
        )
        .select_from(rated_answers)
        .where(*rated_where)
        .group_by(a.c.question_id, r.c.rater_role)
    ).all()
    qinfo = {
        row.id: row
        for row in session.execute(
            select(q.c.id, q.c.text, q.c.position, q.c.questionnaire_id, q.c.kind, q.c.retrospective).where(
                q.c.id.in_([x[0] for x in agg] or [-1])
            )
        )
    }
    items: list[ItemChange] = []
    numbers: dict[tuple[str, int], int] = {}
    text_questions: list[tuple[int, int]] = []  # (question id, number of texts)
    for row in sorted(agg, key=lambda x: (x[1] != "supervisor", qinfo[x[0]].questionnaire_id, qinfo[x[0]].position, x[0])):
        info = qinfo[row[0]]
        if info.kind == "text":
            if row[1] == "supervisor" and row[6]:
                text_questions.append((row[0], int(row[6])))
            continue
        if info.kind != "likert5":
            continue
        key = (row[1], info.questionnaire_id)
        numbers[key] = numbers.get(key, 0) + 1
        retro = bool(info.retrospective)
        items.append(
            ItemChange(
                question_id=row[0],
                number=numbers[key],
                text=info.text,
                role=row[1],
                retrospective=retro,
                n=int(row[2]),
                mean_after=float(row[3]) if row[3] is not None else None,
                mean_before=float(row[4]) if row[4] is not None and retro else None,
                mean_change=float(row[5]) if row[5] is not None and retro else None,
            )
        )
    # free-text examples: the newest few per text question of the supervisor's questionnaire (one query per
    # text question of the questionnaire: bounded by the questionnaire, not by the participants)
    example_groups: list[dict[str, Any]] = []
    for qid, total in text_questions:
        rows = session.execute(
            select(a.c.value_text, emp.c.name, e.c.id, r.c.submitted_at)
            .select_from(rated_answers.join(emp, emp.c.id == e.c.employee_id))
            .where(*rated_where, a.c.question_id == qid, a.c.value_text.is_not(None), r.c.rater_role == "supervisor")
            .order_by(r.c.submitted_at.desc(), r.c.id.desc())
            .limit(EXAMPLES_LIMIT)
        ).all()
        example_groups.append(
            {
                "question_id": qid,
                "question": qinfo[qid].text,
                "total": total,
                "items": [{"text": x[0], "employee": x[1], "enrollment_id": x[2], "submitted_at": x[3]} for x in rows],
            }
        )

    pages = max(1, (participants + PARTICIPANTS_PER_PAGE - 1) // PARTICIPANTS_PER_PAGE)
    page = min(max(1, page), pages)
    unit = Unit.__table__
    people = [
        {
            "enrollment_id": p[0],
            "name": p[1],
            "nip": p[2],
            "unit": p[3],
            "status": p[4],
            "self_status": p[5],
            "index": p[6],
            "category": p[7],
            "category_label": category_label(p[7]),
            "category_badge": CATEGORY_BADGES.get(p[7] or "", "badge-muted"),
            "state": sched.state(today, p[4]),
            "state_label": _(STATE_LABELS[sched.state(today, p[4])]),
            "state_badge": STATE_BADGES[sched.state(today, p[4])],
        }
        for p in session.execute(
            select(Enrollment.id, Employee.name, Employee.nip, unit.c.name, sup.status, own.status, ImpactScore.impact_index, ImpactScore.category)
            .select_from(Enrollment)
            .join(Employee, Employee.id == Enrollment.employee_id)
            .outerjoin(unit, unit.c.id == Employee.unit_id)
            .outerjoin(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor"))
            .outerjoin(own, and_(own.enrollment_id == Enrollment.id, own.rater_role == "self"))
            .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
            .where(Enrollment.training_id == training_id, Enrollment.status.in_(ATTENDED))
            .order_by(Employee.name, Enrollment.id)
            .offset((page - 1) * PARTICIPANTS_PER_PAGE)
            .limit(PARTICIPANTS_PER_PAGE)
        )
    ]
    gap = gap_closure(session, training_id, t.starts_on, t.ends_on) if with_gap else None
    return TrainingImpact(
        training=t,
        schedule=sched,
        state=state,
        participants=participants,
        due=due,
        rated=rated,
        drafts=drafts,
        self_asked=t.self_report_questionnaire_id is not None,
        self_submitted=self_submitted,
        scored=scored,
        with_self=with_self,
        mean_index=mean_index,
        mean_category=scoring.impact_category(mean_index),
        distribution=distribution,
        items=items,
        examples=example_groups,
        people=people,
        page=page,
        pages=pages,
        gap=gap,
        weights=scoring.effective_weights(True, True),
        weights_no_self=scoring.effective_weights(True, False),
    )


def training_gap(session: Session, training_id: int) -> tuple[Any, GapClosure] | None:
    """The gap-closure section of the impact page, as its own fragment (it joins the AKPK data: 3 queries)."""
    t = session.execute(
        select(Training.id, Training.title, Training.starts_on, Training.ends_on).where(Training.id == training_id)
    ).first()
    if t is None:
        return None
    return t, gap_closure(session, training_id, t.starts_on, t.ends_on)


def visible_enrollments(session: Session, training_id: int, viewer_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Non-HR view of a training: only the enrollments whose individual result the viewer may see (their own,
    their current direct reports', and the ones they rated). 1 query."""
    sup = aliased(ApplicationRating)
    rows = session.execute(
        select(Enrollment.id, Employee.name, Employee.id, sup.status, ImpactScore.impact_index, ImpactScore.category)
        .select_from(Enrollment)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .outerjoin(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor"))
        .outerjoin(ImpactScore, ImpactScore.enrollment_id == Enrollment.id)
        .where(
            Enrollment.training_id == training_id,
            Enrollment.status.in_(ATTENDED),
            or_(Employee.id == viewer_id, Employee.supervisor_id == viewer_id, and_(sup.rater_id == viewer_id, sup.status == "submitted")),
        )
        .order_by(Employee.id != viewer_id, Employee.name)
        .limit(limit)
    ).all()
    return [
        {
            "enrollment_id": r[0],
            "name": r[1],
            "own": r[2] == viewer_id,
            "status": r[3],
            "index": r[4],
            "category": r[5],
            "category_label": category_label(r[5]),
            "category_badge": CATEGORY_BADGES.get(r[5] or "", "badge-muted"),
        }
        for r in rows
    ]


def training_title(session: Session, training_id: int) -> str | None:
    return session.execute(select(Training.title).where(Training.id == training_id)).scalar_one_or_none()


def visible_trainings(session: Session, viewer_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """Non-HR /dampak: trainings with an individual result the viewer may see (1 query)."""
    sup = aliased(ApplicationRating)
    rows = session.execute(
        select(Training.id, Training.title, Training.ends_on, func.count(func.distinct(Enrollment.id)))
        .join(Enrollment, Enrollment.training_id == Training.id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .join(sup, and_(sup.enrollment_id == Enrollment.id, sup.rater_role == "supervisor", sup.status == "submitted"))
        .where(
            Enrollment.status.in_(ATTENDED),
            or_(Employee.id == viewer_id, Employee.supervisor_id == viewer_id, sup.rater_id == viewer_id),
        )
        .group_by(Training.id, Training.title, Training.ends_on)
        .order_by(Training.ends_on.desc())
        .limit(limit)
    ).all()
    return [{"id": r[0], "title": r[1], "ends_on": r[2], "results": int(r[3])} for r in rows]


# --------------------------------------------------------------------------- one person's result


@dataclass
class AnswerRow:
    number: int
    text: str
    kind: str
    retrospective: bool
    before: int | None
    after: int | None
    value_text: str | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class ResultView:
    ctx: RatingContext  # supervisor role context
    self_ctx: RatingContext
    score: dict[str, Any] | None
    supervisor_answers: list[AnswerRow]
    self_answers: list[AnswerRow]
    rater_name: str | None
    self_asked: bool
    gap: GapClosure
    weights: dict[str, float]
    history: list[dict[str, Any]]

    @property
    def reopenable(self) -> list[tuple[int, str]]:
        """(rating id, label) of the submitted ratings HR may reopen."""
        out = []
        if self.ctx.submitted and self.ctx.rating_id is not None:
            out.append((self.ctx.rating_id, _("penilaian atasan")))
        if self.self_ctx.submitted and self.self_ctx.rating_id is not None:
            out.append((self.self_ctx.rating_id, _("laporan diri")))
        return out


def may_view(ctx: RatingContext, viewer_id: int, viewer_is_hr: bool) -> bool:
    """Individual results: HR, the rated employee, their current direct supervisor, and whoever rated them."""
    return (
        viewer_is_hr
        or ctx.employee_id == viewer_id
        or (ctx.employee_supervisor_id == viewer_id and ctx.employee_active)
        or (ctx.rater_id == viewer_id and ctx.submitted)
    )


def _answer_rows(structure: Structure | None, answers: dict[int, AnswerValue]) -> list[AnswerRow]:
    if structure is None:
        return []
    out = []
    for q in structure.questions:
        v = answers.get(q.id)
        out.append(
            AnswerRow(
                number=q.number,
                text=q.text,
                kind=q.kind,
                retrospective=q.retrospective,
                before=v.before if v else None,
                after=v.num if v else None,
                value_text=v.text if v else None,
            )
        )
    return out


def result_view(
    session: Session, enrollment_id: int, viewer_id: int, viewer_is_hr: bool, window_days: int = DEFAULT_WINDOW_DAYS
) -> ResultView | None:
    """One enrollment's result, or None when the viewer may not see it (-> 404). Queries: about 9."""
    ctx = load_context(session, enrollment_id, "supervisor", window_days)
    if ctx is None or ctx.enrollment_status not in ATTENDED or not may_view(ctx, viewer_id, viewer_is_hr):
        return None
    self_ctx = load_context(session, enrollment_id, "self", window_days)
    assert self_ctx is not None
    score_row = session.execute(
        select(
            ImpactScore.application_score, ImpactScore.change_score, ImpactScore.self_score, ImpactScore.impact_index,
            ImpactScore.category, ImpactScore.formula_version, ImpactScore.computed_at,
        ).where(ImpactScore.enrollment_id == enrollment_id)
    ).first()
    score = None
    weights = scoring.effective_weights(True, False)
    if score_row is not None:
        score = {
            "application": score_row[0],
            "change": score_row[1],
            "self": score_row[2],
            "index": score_row[3],
            "category": score_row[4],
            "category_label": category_label(score_row[4]),
            "category_badge": CATEGORY_BADGES.get(score_row[4] or "", "badge-muted"),
            "version": score_row[5],
            "computed_at": score_row[6],
        }
        weights = scoring.effective_weights(score_row[1] is not None, score_row[2] is not None, score_row[5] if score_row[5] in scoring.IMPACT_WEIGHTS else scoring.FORMULA_VERSION)
    sup_answers: list[AnswerRow] = []
    if ctx.submitted and ctx.questionnaire_id is not None:
        sup_answers = _answer_rows(structure_for(session, ctx), load_answers(session, ctx.rating_id))
    own_answers: list[AnswerRow] = []
    if self_ctx.submitted and self_ctx.questionnaire_id is not None and (viewer_is_hr or viewer_id == ctx.employee_id):
        own_answers = _answer_rows(structure_for(session, self_ctx), load_answers(session, self_ctx.rating_id))
    rater_name = None
    if ctx.rater_id is not None:
        rater_name = session.execute(select(Employee.name).where(Employee.id == ctx.rater_id)).scalar_one_or_none()
    history: list[dict[str, Any]] = []
    if viewer_is_hr:
        history = reopen_history(session, [rid for rid in (ctx.rating_id, self_ctx.rating_id) if rid is not None])
    gap = gap_closure(session, ctx.training_id, ctx.training_starts_on, ctx.training_ends_on, employee_id=ctx.employee_id)
    return ResultView(
        ctx=ctx,
        self_ctx=self_ctx,
        score=score,
        supervisor_answers=sup_answers,
        self_answers=own_answers,
        rater_name=rater_name,
        self_asked=ctx.self_report_qid is not None or self_ctx.rating_id is not None,
        gap=gap,
        weights=weights,
        history=history,
    )
