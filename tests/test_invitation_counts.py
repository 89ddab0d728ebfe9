"""The invitation counts (table `invitationcount`) on SQLite and PostgreSQL: kept exact by database
triggers through every write to survey invitations (the survey engine's attach, autosave and submit, and
plain inserts, updates and deletes), filled by their migration, rebuilt by
`portal scores rebuild-invitations`, and read by the HR dashboard's response rate."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import create_engine, delete, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

from portal.cli import downgrade_database, upgrade_database
from portal.models import (
    Employee,
    InvitationCount,
    Questionnaire,
    SurveyInvitation,
    Training,
)
from portal.services import invitation_counts, reports
from portal.services import surveys as svc
from tests import rig
from tests.test_reports import DISDUKCAPIL, build_training, random_answers, submit

PREVIOUS_REVISION = "8e4b6c2d1a90"


def stored(db) -> list[tuple]:
    db.expire_all()
    return sorted(
        tuple(r)
        for r in db.execute(
            select(InvitationCount.training_id, InvitationCount.questionnaire_id, InvitationCount.status, InvitationCount.n).where(InvitationCount.n != 0)
        )
    )


def recount(db) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute(invitation_counts.recount_select()))


def test_demo_counts_equal_recount(db):
    rows = stored(db)
    assert len(rows) > 5
    assert rows == recount(db)


def test_survey_engine_writes_keep_the_counts(db):
    """Attaching a survey creates the invitations, the first autosave turns one into a draft, submit
    into submitted: the counts follow each step."""
    b = build_training(db, "CNT-1", date(2031, 2, 10), DISDUKCAPIL[:6], anonymous=False)
    assert stored(db) == recount(db)
    mine = dict(db.execute(select(InvitationCount.status, InvitationCount.n).where(InvitationCount.training_id == b.training_id)).all())
    assert mine == {"pending": 6}
    rng = random.Random(2)
    nip = DISDUKCAPIL[0]
    inv = svc.load_invitation(db, b.invitations[nip], b.employees[nip])[0]
    svc.save_many(db, inv, b.structure, random_answers(rng, b.structure))
    assert stored(db) == recount(db)
    assert svc.submit(db, b.invitations[nip], b.employees[nip], b.opens, anonymous=b.structure.anonymous).status == "submitted"
    submit(db, b, DISDUKCAPIL[1], random_answers(rng, b.structure))
    mine = {s: n for s, n in db.execute(select(InvitationCount.status, InvitationCount.n).where(InvitationCount.training_id == b.training_id)) if n}
    assert mine == {"pending": 4, "submitted": 2}
    assert stored(db) == recount(db)


def test_triggers_follow_every_kind_of_write(db):
    """Random inserts, status changes, moves to another training or questionnaire, no-op updates and
    deletions: after each step the counts equal the recount, and none is negative."""
    rng = random.Random(9)
    trainings = list(db.execute(select(Training.id)).scalars())
    questionnaires = list(db.execute(select(Questionnaire.id)).scalars())
    employees = list(db.execute(select(Employee.id)).scalars())
    statuses = ("pending", "draft", "submitted")
    assert recount(db) == stored(db)
    for step in range(40):
        action = rng.choice(("insert", "insert", "status", "training", "questionnaire", "same", "delete"))
        ids = list(db.execute(select(SurveyInvitation.id)).scalars())
        iid = rng.choice(ids)
        row = db.execute(select(SurveyInvitation).where(SurveyInvitation.id == iid)).scalar_one()
        if action == "insert":
            tid, qid = rng.choice(trainings), rng.choice(questionnaires)
            taken = set(db.execute(select(SurveyInvitation.employee_id).where(SurveyInvitation.training_id == tid, SurveyInvitation.questionnaire_id == qid)).scalars())
            free = [e for e in employees if e not in taken]
            if free:
                db.execute(insert(SurveyInvitation).values(training_id=tid, questionnaire_id=qid, employee_id=rng.choice(free), status=rng.choice(statuses),
                                                           opens_on=date(2031, 1, 1), closes_on=date(2031, 1, 1) + timedelta(days=14)))
        elif action == "status":
            db.execute(update(SurveyInvitation).where(SurveyInvitation.id == iid).values(status=rng.choice(statuses)))
        elif action in ("training", "questionnaire"):
            tid = rng.choice(trainings) if action == "training" else row.training_id
            qid = rng.choice(questionnaires) if action == "questionnaire" else row.questionnaire_id
            clash = db.execute(select(SurveyInvitation.id).where(SurveyInvitation.training_id == tid, SurveyInvitation.questionnaire_id == qid,
                                                                 SurveyInvitation.employee_id == row.employee_id)).first()
            if clash is None:
                db.execute(update(SurveyInvitation).where(SurveyInvitation.id == iid).values(training_id=tid, questionnaire_id=qid))
        elif action == "same":  # the columns named, values unchanged: nothing moves
            db.execute(update(SurveyInvitation).where(SurveyInvitation.id == iid).values(status=row.status, training_id=row.training_id))
        else:
            try:
                with db.begin_nested():  # invitations with a draft or a response cannot go
                    db.execute(delete(SurveyInvitation).where(SurveyInvitation.id == iid))
            except IntegrityError:
                pass
        db.expunge_all()
        db.commit()
        assert stored(db) == recount(db), (step, action)
        assert db.execute(select(func.min(InvitationCount.n))).scalar_one() >= 0


def test_rebuild_repairs_damaged_counts(db):
    expected = recount(db)
    db.execute(update(InvitationCount).values(n=InvitationCount.n + 3))
    db.execute(delete(InvitationCount).where(InvitationCount.training_id == db.execute(select(func.min(InvitationCount.training_id))).scalar_one()))
    db.commit()
    assert stored(db) != expected
    invitation_counts.rebuild(db)
    db.commit()
    assert stored(db) == expected


def test_migration_fills_the_counts_from_existing_invitations(db_url, db):
    """Down one revision (the counts and their triggers go, the invitations stay; writes then are not
    counted), then up again: the backfill equals the recount and the triggers work again."""
    db.close()
    downgrade_database(rig.test_settings(db_url), PREVIOUS_REVISION)
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            assert "invitationcount" not in inspect(conn).get_table_names()
            conn.execute(update(SurveyInvitation).where(SurveyInvitation.status == "pending").values(status="draft"))
            conn.commit()
    finally:
        engine.dispose()
    upgrade_database(rig.test_settings(db_url))
    expected = recount(db)
    assert stored(db) == expected and any(r[2] == "draft" for r in expected)
    db.execute(update(SurveyInvitation).where(SurveyInvitation.status == "draft").values(status="pending"))
    db.commit()
    assert stored(db) == recount(db) != expected


def test_dashboard_response_rate_follows_a_submit(db):
    """The dashboard's invited/submitted (no unit filter: read from the counts) move with one submit."""
    b = build_training(db, "CNT-2", date(2031, 2, 10), DISDUKCAPIL[:6], anonymous=False)
    units = reports.unit_options(db)
    filters = reports.parse_filters({"periode": "rentang", "dari": "2031-02-01", "sampai": "2031-02-28"}, date(2031, 3, 1), units)
    before = reports.dashboard(db, filters, date(2031, 3, 1), 5)
    submit(db, b, DISDUKCAPIL[2], random_answers(random.Random(1), b.structure))
    after = reports.dashboard(db, filters, date(2031, 3, 1), 5)
    assert (before.invited, before.submitted) == (6, 0)
    assert (after.invited, after.submitted) == (6, 1)
