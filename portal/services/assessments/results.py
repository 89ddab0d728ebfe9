"""The result of an assessment: levels against the position standard, the gap per competency, the
competencies to talk about, and suggested trainings for the largest gaps.

Who sees what (the self levels stay hidden from the supervisor until both have submitted) is
decided here, in `result`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import scoring
from portal.models import Assessment, AssessmentItem, Enrollment, Training, TrainingCompetency
from portal.rules import PARTICIPANT_STATUSES
from portal.services.akpk import Cycle
from portal.services.assessments._types import Result, ResultRow, State, Subject, Suggestion
from portal.services.assessments.forms import standard
from portal.services.privacy import record_person_view

SUGGESTION_LIMIT = 5
SUGGESTION_LINK_LIMIT = 500


def result(session: Session, cycle: Cycle, subject: Subject, viewer_role: str, today: date, viewer_id: int | None = None) -> Result:
    """The gap result for one subject in one cycle, as seen by the subject (`self`) or the
    supervisor. What each may see:
      - self: own levels; the supervisor's once the supervisor has submitted;
      - supervisor: own levels; the subject's self levels (and notes) only once BOTH are submitted.
    The supervisor's view (the result page opens once their own assessment is submitted) is audited as a
    view of the subject's data (`viewer_id`: who looks). Queries: 2 (standard) + 1 (both assessments with
    items) + 1 (suggestions), + 1-2 for the audit."""
    items = standard(session, subject.position_id)
    self_state, sup_state = State(), State()
    levels: dict[tuple[str, int], tuple[int, str | None]] = {}
    rows = session.execute(
        select(
            Assessment.rater_role,
            Assessment.id,
            Assessment.status,
            Assessment.submitted_at,
            Assessment.updated_at,
            Assessment.rater_id,
            AssessmentItem.competency_id,
            AssessmentItem.level,
            AssessmentItem.note,
        )
        .outerjoin(AssessmentItem, AssessmentItem.assessment_id == Assessment.id)
        .where(Assessment.cycle_id == cycle.id, Assessment.subject_id == subject.id)
    ).all()
    for role, aid, status, submitted_at, updated_at, rater_id, cid, level, note in rows:
        st = State(aid, status, submitted_at, updated_at, rater_id)
        if role == "self":
            self_state = st
        else:
            sup_state = st
        if cid is not None:
            levels[(role, cid)] = (level, note)
    both = self_state.submitted and sup_state.submitted
    if viewer_role == "self":
        show_self, show_sup = self_state.submitted, sup_state.submitted
    else:
        show_self, show_sup = both, sup_state.submitted
    out: list[ResultRow] = []
    for item in items:
        s_level, s_note = levels.get(("self", item.competency_id), (None, None)) if show_self else (None, None)
        u_level, u_note = levels.get(("supervisor", item.competency_id), (None, None)) if show_sup else (None, None)
        final = scoring.final_level(s_level, u_level, supervisor_submitted=show_sup)
        out.append(
            ResultRow(
                item.competency_id,
                item.code,
                item.name,
                item.group,
                item.required_level,
                s_level,
                u_level,
                final,
                scoring.gap(item.required_level, final),
                scoring.needs_discussion(s_level, u_level) if (show_self and show_sup) else False,
                s_note,
                u_note,
            )
        )
    gaps = {r.competency_id: r.gap for r in out if r.gap is not None and r.gap > 0}
    names = {r.competency_id: r.name for r in out}
    suggestions = suggest_trainings(session, subject.id, gaps, names, today)
    if viewer_role != "self" and viewer_id is not None and sup_state.submitted:
        record_person_view(session, viewer_id, subject.id, f"akpk.result cycle={cycle.id}")
    return Result(cycle, subject, self_state, sup_state, show_self, show_sup, out, suggestions)


def rank_trainings(
    gaps: dict[int, int], links: dict[int, set[int]], limit: int = SUGGESTION_LIMIT
) -> list[tuple[int, int, list[int]]]:
    """Pure ranking: each training scores the sum of the positive gaps it covers.

    `links` maps training id -> competency ids. Returns [(training_id, score, covered ids by gap
    desc)], highest score first; ties broken by more competencies covered, then training id."""
    ranked = []
    for tid, cids in links.items():
        covered = sorted((c for c in cids if gaps.get(c, 0) > 0), key=lambda c: (-gaps[c], c))
        score = sum(gaps[c] for c in covered)
        if score > 0:
            ranked.append((tid, score, covered))
    ranked.sort(key=lambda t: (-t[1], -len(t[2]), t[0]))
    return ranked[:limit]


@dataclass(frozen=True)
class _Training:
    title: str
    provider: str
    mode: str
    starts_on: date
    ends_on: date
    jp: int
    attended: bool


def suggest_trainings(
    session: Session, subject_id: int, gaps: dict[int, int], names: dict[int, str], today: date, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """Trainings whose target competencies cover the largest gaps. 1 query (bounded to the
    SUGGESTION_LINK_LIMIT most recent links)."""
    if not gaps:
        return []
    enrolled = aliased(Enrollment)
    rows = session.execute(
        select(
            Training.id,
            Training.title,
            Training.provider,
            Training.mode,
            Training.starts_on,
            Training.ends_on,
            Training.jp,
            TrainingCompetency.competency_id,
            enrolled.status,
        )
        .join(TrainingCompetency, TrainingCompetency.training_id == Training.id)
        .outerjoin(enrolled, and_(enrolled.training_id == Training.id, enrolled.employee_id == subject_id))
        .where(TrainingCompetency.competency_id.in_(list(gaps)))
        .order_by(Training.starts_on.desc())
        .limit(SUGGESTION_LINK_LIMIT)
    ).all()
    info: dict[int, _Training] = {}
    links: dict[int, set[int]] = {}
    for tid, title, provider, mode, starts_on, ends_on, jp, cid, status in rows:
        info[tid] = _Training(title, provider, mode, starts_on, ends_on, jp, status in PARTICIPANT_STATUSES)
        links.setdefault(tid, set()).add(cid)
    ranked = rank_trainings(gaps, links, limit=len(links))
    # trainings still to come first (they can still be joined), each group by the gaps it covers
    ranked.sort(key=lambda t: (info[t[0]].ends_on < today, -t[1], -len(t[2]), t[0]))
    out = []
    for tid, score, covered in ranked[:limit]:
        t = info[tid]
        out.append(
            Suggestion(
                tid, t.title, t.provider, t.mode, t.starts_on, t.ends_on, t.jp, [names[c] for c in covered], score, t.ends_on >= today, t.attended
            )
        )
    return out
