"""Property: after ANY sequence of rating operations (autosave, clear, submit, HR reopen, resubmit, the
self-report arriving or being reopened), the stored impact score equals a recomputation from the stored
answers, done here by an independent oracle (the formula of docs/scoring.md written out again). Runs on
SQLite and PostgreSQL, bounded (Hypothesis, max 40 examples)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import select

from portal import clock
from portal.demo import ratings as demo_ratings
from portal.models import (
    ApplicationAnswer,
    ApplicationRating,
    Employee,
    Enrollment,
    ImpactScore,
    Question,
    Training,
)
from portal.services import application as svc
from portal.services import impact
from tests.conftest import DEMO

_codes = itertools.count()

ROLES = ("supervisor", "self")
# (kind, role, a, b, c); kinds repeated to weight them so that sequences reach submit/reopen/resubmit often
KINDS = ("save", "save", "clear", "fill", "fill_submit", "fill_submit", "submit", "reopen", "reopen")
op = st.tuples(st.sampled_from(KINDS), st.sampled_from(ROLES), st.integers(0, 7), st.integers(1, 5), st.integers(1, 5))


def _half_up(x: float, digits: int) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def oracle(db, enrollment_id: int):
    """The score the docs promise, from the raw stored answers of the submitted ratings."""
    rows = db.execute(
        select(ApplicationRating.rater_role, Question.kind, Question.retrospective, ApplicationAnswer.value_num, ApplicationAnswer.value_before)
        .join(ApplicationRating, ApplicationRating.id == ApplicationAnswer.rating_id)
        .join(Question, Question.id == ApplicationAnswer.question_id)
        .where(ApplicationRating.enrollment_id == enrollment_id, ApplicationRating.status == "submitted")
    ).all()
    sup_submitted = db.execute(
        select(ApplicationRating.id).where(
            ApplicationRating.enrollment_id == enrollment_id,
            ApplicationRating.rater_role == "supervisor",
            ApplicationRating.status == "submitted",
        )
    ).first()
    if sup_submitted is None:
        return None
    after = [r.value_num for r in rows if r.rater_role == "supervisor" and r.kind == "likert5" and r.value_num is not None]
    pairs = [
        r.value_num - r.value_before
        for r in rows
        if r.rater_role == "supervisor" and r.kind == "likert5" and r.retrospective and r.value_num is not None and r.value_before is not None
    ]
    own = [r.value_num for r in rows if r.rater_role == "self" and r.kind == "likert5" and r.value_num is not None]
    if not after:
        return None
    a = (sum(after) / len(after) - 1) / 4 * 100
    c = min(max(sum(pairs) / len(pairs), 0), 4) * 25 if pairs else None
    s = (sum(own) / len(own) - 1) / 4 * 100 if own else None
    weights = {"a": 0.5, "c": 0.3, "s": 0.2}
    parts = {"a": a, "c": c, "s": s}
    used = {k: w for k, w in weights.items() if parts[k] is not None}
    index = _half_up(sum(w * parts[k] for k, w in used.items()) / sum(used.values()), 1)
    category = (
        "sangat_berdampak" if index >= 75 else "cukup_berdampak" if index >= 50 else "kurang_berdampak" if index >= 25 else "tidak_berdampak"
    )
    r2 = (lambda v: None if v is None else _half_up(v, 2))
    return (r2(a), r2(c), r2(s), index, category, "v1")


def test_stored_score_always_equals_recomputation_from_stored_answers(db, backend):
    today = clock.today()
    qid = demo_ratings.ensure_standard_l3(db)
    sid = demo_ratings.ensure_self_report(db)
    db.commit()
    putri = db.execute(select(Employee.id).where(Employee.nip == DEMO["employee"])).scalar_one()
    ratna = db.execute(select(Employee.id).where(Employee.nip == DEMO["supervisor"])).scalar_one()
    hr = db.execute(select(Employee.id).where(Employee.nip == DEMO["hr"])).scalar_one()
    actor = {"supervisor": ratna, "self": putri}
    seen = {"scored": 0, "with_self": 0, "reopened_scored": 0}

    @hsettings(
        max_examples=40 if backend == "sqlite" else 25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(ops=st.lists(op, min_size=1, max_size=14))
    # the journeys of the issue, always run: submit, self-report arrives, HR reopens both, edits, resubmits
    @example(ops=[("fill_submit", "supervisor", 0, 4, 2), ("fill_submit", "self", 0, 5, 3), ("reopen", "supervisor", 0, 0, 0),
                  ("save", "supervisor", 1, 2, 4), ("submit", "supervisor", 0, 0, 0), ("reopen", "self", 0, 0, 0),
                  ("clear", "self", 0, 0, 0), ("submit", "self", 0, 0, 0), ("fill_submit", "self", 0, 1, 1)])
    @example(ops=[("fill_submit", "self", 0, 3, 3), ("fill_submit", "supervisor", 0, 2, 5), ("reopen", "supervisor", 0, 0, 0),
                  ("clear", "supervisor", 6, 0, 0), ("submit", "supervisor", 0, 0, 0), ("fill_submit", "supervisor", 0, 5, 1)])
    def run(ops):
        t = Training(
            code=f"PROP-{next(_codes)}", title="Uji sifat", kind="pelatihan", mode="klasikal",
            starts_on=today - timedelta(days=100), ends_on=today - timedelta(days=95), jp=8,
            application_questionnaire_id=qid, self_report_questionnaire_id=sid, application_due_days=90,
        )
        db.add(t)
        db.flush()
        e = Enrollment(training_id=t.id, employee_id=putri, status="completed", jp_credited=8)
        db.add(e)
        db.commit()
        eid = e.id

        def ctx_of(role):
            return svc.for_supervisor(db, eid, ratna) if role == "supervisor" else svc.for_self(db, eid, putri)

        for kind, role, a, b, c in ops:
            ctx = ctx_of(role)
            assert ctx is not None
            structure = svc.structure_for(db, ctx)
            if kind in ("save", "clear"):
                q = structure.questions[a % structure.count]
                if q.kind == "likert5":
                    data = {f"q{q.id}": "" if kind == "clear" else str(b)}
                    if q.retrospective:
                        data[f"q{q.id}_sebelum"] = "" if kind == "clear" else str(c)
                else:
                    data = {f"q{q.id}": "" if kind == "clear" else f"contoh {b}"}
                result = svc.save_answer(db, ctx, structure, q, data, actor[role])
                assert result.ok or result.locked
                assert result.locked == ctx.submitted
            elif kind in ("fill", "fill_submit"):
                data = {}
                for q in structure.questions:
                    data[f"q{q.id}"] = str(b) if q.kind == "likert5" else "contoh penerapan"
                    if q.retrospective:
                        data[f"q{q.id}_sebelum"] = str(c)
                svc.save_many(db, ctx, structure, data, actor[role])
                if kind == "fill_submit":
                    status = svc.submit(db, ctx_of(role), structure, actor[role], today=today).status
                    assert status == ("already" if ctx.submitted else "submitted")
            elif kind == "submit":
                status = svc.submit(db, ctx, structure, actor[role], today=today).status
                assert status in ("submitted", "already", "invalid")
                assert (status == "already") == ctx.submitted
            elif kind == "reopen" and ctx.rating_id is not None:
                result = svc.reopen(db, ctx.rating_id, hr, "Dibuka kembali untuk uji sifat.")
                assert result.ok == ctx.submitted
            db.expire_all()
            stored = impact.stored_score(db, eid)
            assert stored == oracle(db, eid), (kind, role)
            assert stored == impact.expected_score(db, eid)
            n_scores = db.execute(select(ImpactScore.id).where(ImpactScore.enrollment_id == eid)).all()
            assert len(n_scores) == (0 if stored is None else 1)
            if stored is not None:
                seen["scored"] += 1
                seen["with_self"] += stored[2] is not None
                seen["reopened_scored"] += bool(
                    db.execute(select(ApplicationRating.id).where(ApplicationRating.enrollment_id == eid, ApplicationRating.reopen_count > 0)).first()
                )

    run()
    # the generated sequences did reach the interesting states
    assert seen["scored"] and seen["with_self"] and seen["reopened_scored"], seen
