"""The L1 roll-up (table `trainingl1`) on SQLite and PostgreSQL: rewritten in each submit transaction so
that it always equals the roll-up of the summary cells (anonymous and attributed questionnaires, optional
items left out), filled by its migration, rebuilt by `portal summaries rebuild l1`, and read by the HR
dashboard - with the cells themselves for a training where a cell is under the minimum group."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import and_, case, create_engine, delete, func, inspect, literal, select, union_all, update

from portal.cli import downgrade_database, upgrade_database
from portal.models import Question, TrainingL1, TrainingSummary, TrainingSummaryValue
from portal.services import reports, summaries
from tests import rig
from tests.test_reports import DISDUKCAPIL, DISKOMINFO, KECAMATAN, build_training, random_answers, raw_l1, submit

PREVIOUS_REVISION = "b7d2e5f4c3a1"
COLS = (TrainingL1.training_id, TrainingL1.questionnaire_id, TrainingL1.kind, TrainingL1.dimension, TrainingL1.n, TrainingL1.total,
        TrainingL1.promoters, TrainingL1.passives, TrainingL1.detractors, TrainingL1.min_n)


def stored(db) -> list[tuple]:
    db.expire_all()
    return sorted(tuple(r) for r in db.execute(select(*COLS)))


def rollup_select():
    """The roll-up rows computed by the database from the summary cells: an independent recount of what
    summaries.l1 adds up in Python."""
    ts, q, tv = TrainingSummary, Question, TrainingSummaryValue
    likert = (
        select(ts.training_id, q.questionnaire_id, literal("likert5").label("kind"), q.dimension,
               func.sum(ts.n), func.sum(ts.total), literal(0), literal(0), literal(0), func.min(ts.n))
        .join(q, q.id == ts.question_id)
        .where(q.kind == "likert5", ts.n > 0)
        .group_by(ts.training_id, q.questionnaire_id, q.dimension)
    )

    def bucket(values):
        return func.coalesce(func.sum(case((tv.value.in_(values), tv.count), else_=0)), 0)

    b = (
        select(tv.training_id, tv.question_id, bucket([str(v) for v in range(9, 11)]).label("p"),
               bucket(["7", "8"]).label("pa"), bucket([str(v) for v in range(7)]).label("d"))
        .group_by(tv.training_id, tv.question_id)
        .subquery()
    )
    scale = (
        select(ts.training_id, q.questionnaire_id, literal("scale0_10"), literal(""), func.sum(ts.n), func.sum(ts.total),
               func.coalesce(func.sum(b.c.p), 0), func.coalesce(func.sum(b.c.pa), 0), func.coalesce(func.sum(b.c.d), 0), func.min(ts.n))
        .join(q, q.id == ts.question_id)
        .outerjoin(b, and_(b.c.training_id == ts.training_id, b.c.question_id == ts.question_id))
        .where(q.kind == "scale0_10", ts.n > 0)
        .group_by(ts.training_id, q.questionnaire_id)
    )
    return union_all(likert, scale)


def recount(db) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute(rollup_select()))


def test_demo_rollup_equals_recount(db):
    rows = stored(db)
    assert len(rows) > 5 and any(r[2] == "scale0_10" for r in rows)
    assert rows == recount(db)


def test_every_submit_keeps_the_rollup_equal_to_the_cells(db):
    """Submits to an anonymous and an attributed training, optional items left out now and then: after
    each one the roll-up equals the recount from the cells; the 0-10 groups add up to its n."""
    rng = random.Random(5)
    people = DISDUKCAPIL[:8] + DISKOMINFO[:4]
    anon = build_training(db, "L1-ANON", date(2031, 2, 10), people, anonymous=True)
    named = build_training(db, "L1-NAMED", date(2031, 2, 10), people[:6], anonymous=False)
    optional = {q.id for q in anon.structure.questions if not q.required}
    for k, nip in enumerate(people):
        submit(db, anon, nip, random_answers(rng, anon.structure, skip=optional if k % 3 else set()))
        if k < 6:
            submit(db, named, nip, random_answers(rng, named.structure))
        assert stored(db) == recount(db), k
    for row in stored(db):
        if row[2] == "scale0_10":
            assert row[6] + row[7] + row[8] == row[4]
    mine = [r for r in stored(db) if r[0] == anon.training_id]
    assert {r[3] for r in mine if r[2] == "likert5"} == {"materi", "fasilitator", "sarana", "penyelenggaraan", "relevansi"}
    # relevansi is optional: answered in every third response only
    assert next(r for r in mine if r[3] == "relevansi")[9] == 4


def test_dashboard_reads_the_rollup_and_the_cells_under_the_minimum_group(db):
    """Two anonymous trainings: one whose cells all reach the minimum group (read from the roll-up: a
    changed roll-up row changes the dashboard), one with an optional item answered 3 times (its figures
    come from the cells, the 3-answer item left out). Both equal the recount from raw answers."""
    rng = random.Random(6)
    full = build_training(db, "L1-FULL", date(2031, 3, 10), DISDUKCAPIL[:7], anonymous=True)
    few = build_training(db, "L1-FEW", date(2031, 3, 12), KECAMATAN[:6], anonymous=True)
    relevance = {q.id for q in few.structure.questions if q.dimension == "relevansi"}
    for nip in DISDUKCAPIL[:7]:
        submit(db, full, nip, random_answers(rng, full.structure))
    for k, nip in enumerate(KECAMATAN[:6]):
        submit(db, few, nip, random_answers(rng, few.structure, skip=relevance if k >= 3 else set()))
    today = date(2031, 4, 1)
    units = reports.unit_options(db)
    filters = reports.parse_filters({"periode": "rentang", "dari": "2031-03-01", "sampai": "2031-03-31"}, today, units)
    d = reports.dashboard(db, filters, today, 5)
    expected = raw_l1(db, date(2031, 3, 1), date(2031, 3, 31), today)
    assert sorted(t.id for t in d.shown_trainings) == sorted([full.training_id, few.training_id]) == expected["shown"]
    assert d.index == pytest.approx(expected["index"])
    assert {x.key: x.n for x in d.dims} == expected["dim_n"]
    assert d.nps.score == pytest.approx(expected["nps"]) and d.nps.n == expected["nps_n"]
    few_row = next(t for t in d.trainings if t.id == few.training_id)
    assert "relevansi" not in few_row.dims
    # the roll-up is what the dashboard reads for the training whose cells all reach the minimum group
    db.execute(update(TrainingL1).where(TrainingL1.training_id == full.training_id, TrainingL1.dimension == "materi").values(n=TrainingL1.n + 100))
    db.commit()
    changed = reports.dashboard(db, filters, today, 5)
    assert {x.key: x.n for x in changed.dims}["materi"] == expected["dim_n"]["materi"] + 100
    # ... and not for the other: its cells decide (a changed roll-up row there changes nothing)
    db.execute(update(TrainingL1).where(TrainingL1.training_id == few.training_id, TrainingL1.dimension == "sarana").values(n=TrainingL1.n + 100))
    db.commit()
    again = reports.dashboard(db, filters, today, 5)
    assert {x.key: x.n for x in again.dims}["sarana"] == expected["dim_n"]["sarana"]


def test_rebuild_repairs_a_damaged_rollup(db):
    expected = recount(db)
    db.execute(update(TrainingL1).values(total=TrainingL1.total + 9))
    db.execute(delete(TrainingL1).where(TrainingL1.training_id == db.execute(select(func.min(TrainingL1.training_id))).scalar_one()))
    db.commit()
    assert stored(db) != expected
    summaries.l1.rebuild(db)
    db.commit()
    assert stored(db) == expected


def test_migration_fills_the_rollup_from_existing_summaries(db_url, db):
    """Down one revision (the roll-up goes, the summaries stay), up again: the backfill (SQL of its own
    in the migration) equals the recount."""
    expected = recount(db)
    db.close()
    downgrade_database(rig.test_settings(db_url), PREVIOUS_REVISION)
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            assert "trainingl1" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()
    upgrade_database(rig.test_settings(db_url))
    assert stored(db) == expected and len(expected) > 5
