"""The anonymous submit's write on PostgreSQL (portal/services/surveys/crowds.py and
summaries.answers.apply_to_every_row: two statements of data-modifying CTEs) checked submit by submit, as
a database reader would see it between submits: the submit's own transaction id (the `xmin` of the
invitation it claimed) is never on fewer responses than a crowd, the answers carry their response's id,
every summary row of the training carries it too, and the summaries stay equal to their recount, also when
a value is given for the first time. On SQLite (no transaction ids) the same submits keep every response in
crowd 0 and the summaries equal to their recount."""

from __future__ import annotations

from sqlalchemy import func, select, text

from portal import clock
from portal.models import Employee, InvitationCount, SurveyResponse, TrainingL1
from portal.services import summaries
from portal.services import surveys as svc
from tests.test_l1_summary import rollup_select
from tests.test_surveys import complete_answers, make_survey, recounted_summary, stored_summary

CROWD = 3


def _answers(structure, i: int) -> dict:
    """A complete answer set that differs from person to person, so that later submits give values no one
    gave before (new summary value rows)."""
    data = complete_answers(structure)
    for q in structure.questions:
        if q.kind == "likert5":
            data[f"q{q.id}"] = str(1 + i % 5)
        elif q.kind == "scale0_10":
            data[f"q{q.id}"] = str(i % 11)
        elif q.kind == "single":
            data[f"q{q.id}"] = str(i % 3)
    return data


def _xmin_groups(db, t: int) -> dict[str, int]:
    rows = db.execute(text("SELECT xmin::text AS x, count(*) AS n FROM surveyresponse WHERE training_id = :t GROUP BY 1"), {"t": t})
    return {r.x: r.n for r in rows}


def test_each_submit_leaves_its_transaction_id_on_a_crowd_and_every_summary_row(db, backend):
    nips = db.execute(select(Employee.nip).where(Employee.is_active.is_(True)).order_by(Employee.id).limit(8)).scalars().all()
    s = make_survey(db, nips=nips, code="ANON-REWRITE")
    t, today = s["training_id"], clock.today()
    for i, nip in enumerate(nips, start=1):
        inv_id, emp_id = s["invitations"][nip], s["employees"][nip]
        inv = svc.load_invitation(db, inv_id, emp_id)[0]
        assert svc.save_many(db, inv, s["structure"], _answers(s["structure"], i)) == {}
        assert svc.submit(db, inv_id, emp_id, today, anonymous=True, crowd_size=CROWD).status == "submitted"
        db.expire_all()

        # the summaries are exact after every submit (the new value rows included), on both backends
        assert stored_summary(db, t) == recounted_summary(db, t)
        assert sorted(tuple(r) for r in db.execute(select(TrainingL1.__table__).where(TrainingL1.training_id == t))) == sorted(
            tuple(r) for r in db.execute(rollup_select()) if r.training_id == t
        )
        counts = dict(db.execute(select(InvitationCount.status, InvitationCount.n).where(InvitationCount.training_id == t)).all())
        assert counts["submitted"] == i and counts.get("pending", 0) + counts.get("draft", 0) == len(nips) - i
        if backend == "sqlite":
            assert db.execute(select(func.count()).where(SurveyResponse.training_id == t, SurveyResponse.crowd != 0)).scalar_one() == 0
            continue

        # PostgreSQL: the transaction id of this submit, as the claimed invitation shows it
        x = db.execute(text("SELECT xmin::text FROM surveyinvitation WHERE id = :i"), {"i": inv_id}).scalar_one()
        groups = _xmin_groups(db, t)
        # the old weakness would be a response alone with the claimed invitation's transaction id
        assert groups.get(x, 0) >= min(CROWD, i), (i, groups)
        assert min(groups.values()) >= min(CROWD, i), (i, groups)  # and no older id names fewer than a crowd
        assert sum(groups.values()) == i
        # answers carry their response's transaction id
        assert db.execute(
            text(
                "SELECT count(*) FROM answer a JOIN surveyresponse r ON r.id = a.response_id "
                "WHERE r.training_id = :t AND a.xmin::text <> r.xmin::text"
            ),
            {"t": t},
        ).scalar_one() == 0
        # every summary row of the training carries this submit's id: none tells what the latest response changed
        for table in ("trainingsummary", "trainingsummaryvalue", "trainingl1"):
            xs = db.execute(text(f"SELECT DISTINCT xmin::text FROM {table} WHERE training_id = :t"), {"t": t}).scalars().all()
            assert xs == [x], (table, i, xs)
    assert db.execute(select(func.count()).where(SurveyResponse.training_id == t)).scalar_one() == len(nips)
    assert summaries.answers.stored(db, t) == summaries.answers.recount(db, t)


def test_a_submit_with_nothing_to_count_still_joins_its_crowd(db, backend):
    """A questionnaire of optional free text left empty: no answer, no summary row, no roll-up (empty
    arrays in the statement); the response is stored and still shares its transaction id with a crowd."""
    spec = (("Lain-lain", "lainnya", "text", "Saran Anda?", False, {"max_length": 50}),)
    nips = db.execute(select(Employee.nip).where(Employee.is_active.is_(True)).order_by(Employee.id).limit(3)).scalars().all()
    s = make_survey(db, nips=nips, spec=spec, code="ANON-EMPTY")
    for nip in nips:
        assert svc.submit(db, s["invitations"][nip], s["employees"][nip], clock.today(), anonymous=True, crowd_size=CROWD).status == "submitted"
    t = s["training_id"]
    assert db.execute(select(func.count()).where(SurveyResponse.training_id == t)).scalar_one() == len(nips)
    assert stored_summary(db, t) == recounted_summary(db, t) == ({}, {})
    if backend == "postgresql":
        assert list(_xmin_groups(db, t).values()) == [len(nips)]
