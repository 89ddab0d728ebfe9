"""What the database must hold after a crash-and-load run (tests/load_clients.py), read with the server
up: used by tests/test_crash_recovery.py and bench/bench_crash.py. `problems()` returns one line per
broken promise (empty: all held):

- every acknowledged autosave is stored: the latest acknowledged value of each question is in the
  draft, or in the response when the survey or rating was submitted (an anonymous survey's responses
  carry no link, so there the multiset of answer sets is compared);
- every acknowledged submit is stored exactly once, and nothing is submitted that was not; a double
  submit got one fresh receipt at most;
- no half-written response (each has exactly the answers its draft had; no orphan answer, no draft
  answer without its draft) and no draft left for a submitted survey;
- the summaries and invitation counts equal a recount from the raw rows (tests/test_summaries.py), and
  every stored impact score equals its recomputation;
- anonymity holds: no anonymous response carries a person, an invitation or a time, no invitation of
  the anonymous survey says when, no audit entry names one, and the row graph from the people does
  not reach an anonymous response (tests/test_anonymity.py's search).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlmodel import Session

from portal.models import (
    Answer,
    ApplicationAnswer,
    ApplicationRating,
    AuditEvent,
    DraftAnswer,
    SurveyDraft,
    SurveyInvitation,
    SurveyResponse,
)
from portal.services import impact
from portal.services.surveys.answers import AnswerValue
from tests.load_clients import RunResult, World
from tests.test_anonymity import _rows_reachable_from_employee
from tests.test_summaries import recounted, snapshot

GRAPH_SEARCHES = 3  # people whose row graph is searched (each search is a few hundred queries)


def _values(rows: Any) -> dict[int, AnswerValue]:
    return {r.question_id: AnswerValue(r.value_num, r.value_before, r.value_text) for r in rows}


def _frozen(answers: dict[int, AnswerValue]) -> tuple:
    return tuple(sorted((q, v.num, v.before, v.text) for q, v in answers.items()))


def _acknowledged(result: RunResult, kind: str) -> tuple[dict[int, dict[int, AnswerValue]], set[int], Counter]:
    latest: dict[int, dict[int, AnswerValue]] = {}
    submitted: set[int] = set()
    fresh: Counter = Counter()
    for log in result.logs:
        for target, answers in log.latest(kind).items():
            latest.setdefault(target, {}).update(answers)
        for k, target, is_fresh in log.submits:
            if k == kind:
                submitted.add(target)
                fresh[target] += int(is_fresh)
    return latest, submitted, fresh


def problems(db_url: str, world: World, result: RunResult) -> list[str]:
    engine = create_engine(db_url)
    try:
        with Session(engine) as db:
            return [*_surveys(db, world, result), *_ratings(db, world, result), *_summaries(db), *_anonymity(db, world)]
    finally:
        engine.dispose()


def _surveys(db: Session, world: World, result: RunResult) -> list[str]:
    out: list[str] = []
    latest, submitted, fresh = _acknowledged(result, "survey")
    out += [f"survey invitation {i}: {n} fresh receipts for one submit" for i, n in fresh.items() if n > 1]
    for s in world.surveys:
        invs = set(s.invitations.values())
        status = dict(db.execute(select(SurveyInvitation.id, SurveyInvitation.status).where(SurveyInvitation.id.in_(invs))).all())
        drafts = {
            inv: _values(rows)
            for inv, rows in _group(
                db.execute(
                    select(SurveyDraft.invitation_id, DraftAnswer.question_id, DraftAnswer.value_num, DraftAnswer.value_before, DraftAnswer.value_text)
                    .join(DraftAnswer, DraftAnswer.draft_id == SurveyDraft.id)
                    .where(SurveyDraft.invitation_id.in_(invs))
                ).all(),
                "invitation_id",
            ).items()
        }
        draft_rows = set(db.execute(select(SurveyDraft.invitation_id).where(SurveyDraft.invitation_id.in_(invs))).scalars())
        expected_sets = []
        for inv in sorted(invs):
            acked = latest.get(inv, {})
            want = "submitted" if inv in submitted else ("draft" if acked else "pending")
            if status[inv] != want:
                out.append(f"survey invitation {inv}: status {status[inv]!r}, acknowledged says {want!r}")
            if inv in submitted:
                expected_sets.append(_frozen(acked))
                if inv in draft_rows:
                    out.append(f"survey invitation {inv}: submitted, but its draft is still there")
            elif drafts.get(inv, {}) != acked:
                out.append(f"survey invitation {inv}: draft {drafts.get(inv)} != acknowledged {acked}")
        responses = _group(
            db.execute(
                select(SurveyResponse.id, SurveyResponse.invitation_id, Answer.question_id, Answer.value_num, Answer.value_before, Answer.value_text)
                .outerjoin(Answer, Answer.response_id == SurveyResponse.id)
                .where(SurveyResponse.training_id == s.training_id)
            ).all(),
            "id",
        )
        stored_sets = sorted(_frozen(_values(r for r in rows if r.question_id is not None)) for rows in responses.values())
        if stored_sets != sorted(expected_sets):
            out.append(f"survey {'anonymous' if s.anonymous else 'attributed'}: {len(responses)} responses stored, "
                       f"{len(expected_sets)} acknowledged submits, or their answers differ")
        if not s.anonymous:
            by_inv = Counter(rows[0].invitation_id for rows in responses.values())
            out += [f"survey invitation {i}: {n} responses" for i, n in by_inv.items() if n != 1 or i not in submitted]
            for rows in responses.values():
                inv = rows[0].invitation_id
                if inv in submitted and _values(rows) != latest.get(inv, {}):
                    out.append(f"survey invitation {inv}: response answers differ from the acknowledged ones")
    orphans = db.execute(
        select(func.count()).select_from(Answer).outerjoin(SurveyResponse, SurveyResponse.id == Answer.response_id).where(SurveyResponse.id.is_(None))
    ).scalar_one()
    loose = db.execute(
        select(func.count()).select_from(DraftAnswer).outerjoin(SurveyDraft, SurveyDraft.id == DraftAnswer.draft_id).where(SurveyDraft.id.is_(None))
    ).scalar_one()
    stale = db.execute(
        select(func.count()).select_from(SurveyDraft).join(SurveyInvitation, SurveyInvitation.id == SurveyDraft.invitation_id)
        .where(SurveyInvitation.status == "submitted")
    ).scalar_one()
    out += [f"{n} {what}" for n, what in ((orphans, "orphan answers"), (loose, "draft answers without a draft"), (stale, "drafts of submitted surveys")) if n]
    return out


def _ratings(db: Session, world: World, result: RunResult) -> list[str]:
    out: list[str] = []
    latest, submitted, _fresh = _acknowledged(result, "rating")
    supervisor_of = {e: s.employee_id for s in world.supervisors for e in world.reports[s.nip]}
    eids = set(world.enrollments.values())
    ratings = {
        r.enrollment_id: r
        for r in db.execute(
            select(ApplicationRating.id, ApplicationRating.enrollment_id, ApplicationRating.status, ApplicationRating.rater_id)
            .where(ApplicationRating.enrollment_id.in_(eids), ApplicationRating.rater_role == "supervisor")
        ).all()
    }
    answers = _group(
        db.execute(
            select(ApplicationAnswer.rating_id, ApplicationAnswer.question_id, ApplicationAnswer.value_num, ApplicationAnswer.value_before,
                   ApplicationAnswer.value_text).where(ApplicationAnswer.rating_id.in_([r.id for r in ratings.values()]))
        ).all(),
        "rating_id",
    )
    for nip, eid in sorted(world.enrollments.items()):
        acked = latest.get(eid, {})
        rating = ratings.get(eid)
        want = "submitted" if eid in submitted else ("draft" if acked else None)
        got = rating.status if rating else None
        if got != want:
            out.append(f"rating of enrollment {eid}: status {got!r}, acknowledged says {want!r}")
            continue
        if rating is None:
            continue
        if rating.rater_id != supervisor_of[nip]:
            out.append(f"rating of enrollment {eid}: rater {rating.rater_id}, not the supervisor")
        stored = _values(answers.get(rating.id, []))
        if stored != acked:
            out.append(f"rating of enrollment {eid}: stored {stored} != acknowledged {acked}")
        if impact.stored_score(db, eid) != impact.expected_score(db, eid):
            out.append(f"impact score of enrollment {eid} differs from its recomputation")
    return out


def _summaries(db: Session) -> list[str]:
    stored, recount = snapshot(db), recounted(db)
    return [f"summary {name}: stored differs from the recount" for name in stored if stored[name] != recount[name]]


def _anonymity(db: Session, world: World) -> list[str]:
    out: list[str] = []
    s = next(s for s in world.surveys if s.anonymous)
    linked = db.execute(
        select(func.count()).select_from(SurveyResponse).where(
            SurveyResponse.training_id == s.training_id,
            SurveyResponse.respondent_id.is_not(None) | SurveyResponse.invitation_id.is_not(None) | SurveyResponse.submitted_at.is_not(None),
        )
    ).scalar_one()
    when = db.execute(
        select(func.count()).select_from(SurveyInvitation).where(SurveyInvitation.training_id == s.training_id, SurveyInvitation.submitted_at.is_not(None))
    ).scalar_one()
    audited = db.execute(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.target.in_([f"invitation:{i}" for i in s.invitations.values()]))
    ).scalar_one()
    out += [f"anonymous survey: {n} {what}" for n, what in ((linked, "responses carry a person, an invitation or a time"),
                                                            (when, "invitations say when"), (audited, "audit entries name an invitation")) if n]
    response_ids = set(db.execute(select(SurveyResponse.id).where(SurveyResponse.training_id == s.training_id)).scalars())
    done = set(db.execute(select(SurveyInvitation.id).where(SurveyInvitation.training_id == s.training_id,
                                                             SurveyInvitation.status == "submitted")).scalars())
    searched = [p for p in world.employees if s.invitations[p.nip] in done][:GRAPH_SEARCHES]
    if not searched:
        out.append("anonymous survey: nobody submitted, so nothing was searched")
    for person in searched:
        reached = {pk for table, pk in _rows_reachable_from_employee(db, person.employee_id) if table in ("surveyresponse", "answer")}
        if any(set(pk) & response_ids for pk in reached):
            out.append(f"anonymous survey: a response is reachable from employee {person.employee_id}")
    return out


def _group(rows: list, key: str) -> dict[Any, list]:
    out: dict[Any, list] = {}
    for r in rows:
        out.setdefault(getattr(r, key), []).append(r)
    return out
