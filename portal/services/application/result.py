"""One enrollment's result (/penerapan/hasil): its impact score, the submitted answers of both ratings,
the AKPK levels before and after the training, and for HR the ratings it may reopen with their history.

Seen by HR, the rated employee, their current direct supervisor and whoever rated them (`may_view`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from portal import scoring
from portal.i18n import _
from portal.models import AuditEvent, Employee, ImpactScore
from portal.rules import L3_WINDOW_DAYS, PARTICIPANT_STATUSES
from portal.services.application.context import RatingContext, load_answers, load_context, may_view, structure_for
from portal.services.akpk.gap_closure import GapClosure, gap_closure
from portal.services.impact.score import category_label
from portal.services.privacy import record_person_view
from portal.services.questionnaires import Structure
from portal.services.surveys import AnswerValue

HISTORY_LIMIT = 50


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


@dataclass(frozen=True)
class ScoreView:
    """The stored impact score with its components (0-100) and when it was computed."""

    application: float | None
    change: float | None
    self_report: float | None
    index: float | None
    category: str | None
    version: str
    computed_at: datetime

    @property
    def category_label(self) -> str:
        return category_label(self.category)


@dataclass(frozen=True)
class HistoryEntry:
    """A submit or reopen of one of the enrollment's ratings (from the audit log)."""

    at: datetime
    action: str  # l3.submit | l3.reopen
    actor: str
    reason: str
    role: str


@dataclass
class ResultView:
    ctx: RatingContext  # supervisor role context
    self_ctx: RatingContext
    score: ScoreView | None
    supervisor_answers: list[AnswerRow]
    self_answers: list[AnswerRow]
    rater_name: str | None
    self_asked: bool
    gap: GapClosure
    weights: dict[str, float]
    history: list[HistoryEntry]

    @property
    def reopenable(self) -> list[tuple[int, str]]:
        """(rating id, label) of the submitted ratings HR may reopen."""
        out = []
        if self.ctx.submitted and self.ctx.rating_id is not None:
            out.append((self.ctx.rating_id, _("penilaian atasan")))
        if self.self_ctx.submitted and self.self_ctx.rating_id is not None:
            out.append((self.self_ctx.rating_id, _("laporan diri")))
        return out


def reopen_history(session: Session, rating_ids: list[int]) -> list[HistoryEntry]:
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
        .limit(HISTORY_LIMIT)
    ).all()
    out = []
    for at, action, detail, _target, name in rows:
        reason = detail.split("alasan: ", 1)[1] if "alasan: " in detail else ""
        role = "self" if "role=self" in detail else "supervisor"
        out.append(HistoryEntry(at=at, action=action, actor=name or "–", reason=reason, role=role))
    return out


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


def _score(session: Session, enrollment_id: int) -> ScoreView | None:
    row = session.execute(
        select(
            ImpactScore.application_score.label("application"),
            ImpactScore.change_score.label("change"),
            ImpactScore.self_score.label("self_report"),
            ImpactScore.impact_index.label("index"),
            ImpactScore.category,
            ImpactScore.formula_version.label("version"),
            ImpactScore.computed_at,
        ).where(ImpactScore.enrollment_id == enrollment_id)
    ).first()
    return ScoreView(**row._mapping) if row is not None else None


def result_view(
    session: Session, enrollment_id: int, viewer_id: int, viewer_is_hr: bool, window_days: int = L3_WINDOW_DAYS
) -> ResultView | None:
    """One enrollment's result, or None when the viewer may not see it (-> 404). Someone else than the
    employee (supervisor, rater, HR) looking is audited as a view of the employee's data. Queries: about 9,
    + 1-2 for the audit."""
    ctx = load_context(session, enrollment_id, "supervisor", window_days)
    if ctx is None or ctx.enrollment_status not in PARTICIPANT_STATUSES or not may_view(ctx, viewer_id, viewer_is_hr):
        return None
    record_person_view(session, viewer_id, ctx.employee_id, f"l3.result enrollment={enrollment_id}")
    self_ctx = load_context(session, enrollment_id, "self", window_days)
    assert self_ctx is not None
    score = _score(session, enrollment_id)
    weights = scoring.effective_weights(True, False)
    if score is not None:
        version = score.version if score.version in scoring.IMPACT_WEIGHTS else scoring.FORMULA_VERSION
        weights = scoring.effective_weights(score.change is not None, score.self_report is not None, version)
    sup_answers: list[AnswerRow] = []
    if ctx.submitted and ctx.questionnaire_id is not None:
        sup_answers = _answer_rows(structure_for(session, ctx), load_answers(session, ctx.rating_id))
    own_answers: list[AnswerRow] = []
    if self_ctx.submitted and self_ctx.questionnaire_id is not None and (viewer_is_hr or viewer_id == ctx.employee_id):
        own_answers = _answer_rows(structure_for(session, self_ctx), load_answers(session, self_ctx.rating_id))
    rater_name = None
    if ctx.rater_id is not None:
        rater_name = session.execute(select(Employee.name).where(Employee.id == ctx.rater_id)).scalar_one_or_none()
    history: list[HistoryEntry] = []
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
