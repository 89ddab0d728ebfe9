"""The invitation counts (table `invitationcount`) on SQLite and PostgreSQL: kept exact by the services
through every write to survey invitations (attach with attendance changes and questionnaire swaps,
autosave, submit), rebuilt by `portal summaries rebuild invitations`, and read by the HR dashboard's
response rate."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import delete, func, select, update

from portal.models import InvitationCount, SurveyInvitation, Training
from portal.services import questionnaires as qsvc
from portal.services import reports, summaries, trainings
from portal.services import surveys as svc
from portal.services.trainings import enrollments
from tests.test_reports import DISDUKCAPIL, build_training, random_answers, submit
from tests.test_surveys import complete_answers, make_questionnaire


def stored(db) -> list[tuple]:
    db.expire_all()
    return sorted(
        tuple(r)
        for r in db.execute(
            select(InvitationCount.training_id, InvitationCount.questionnaire_id, InvitationCount.status, InvitationCount.n).where(InvitationCount.n != 0)
        )
    )


def recount(db) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute(summaries.invitations.recount_select()))


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


def test_random_survey_writes_keep_the_counts(db):
    """Random attaches (attendance corrected, questionnaire swapped while nobody started), autosaves and
    submits: after each step the counts equal the recount, and none is negative."""
    rng = random.Random(9)
    today = date(2031, 3, 1)
    b = build_training(db, "CNT-R", date(2031, 2, 20), DISDUKCAPIL[:8], anonymous=False)
    other = make_questionnaire(db, anonymous=False, title="Lain")
    qids = [b.questionnaire_id, other]
    assert recount(db) == stored(db)
    for step in range(40):
        action = rng.choice(("attend", "absent", "swap", "save", "save", "submit"))
        emp = b.employees[rng.choice(DISDUKCAPIL[:8])]
        tid = b.training_id
        current = db.execute(select(Training.reaction_questionnaire_id).where(Training.id == tid)).scalar_one()
        if action in ("attend", "absent"):
            enrollments.update_enrollment(db, tid, emp, status="attended" if action == "attend" else "absent")
            db.commit()
            trainings.attach(db, None, tid, current, today, today + timedelta(days=10), today=today)
        elif action == "swap":
            trainings.attach(db, None, tid, rng.choice(qids), today, today + timedelta(days=10), today=today)
        else:
            inv_id = db.execute(select(SurveyInvitation.id).where(SurveyInvitation.training_id == tid, SurveyInvitation.employee_id == emp)).scalar()
            found = svc.load_invitation(db, inv_id, emp) if inv_id else None
            if found is not None and found[0].state(today) == "open":
                structure = qsvc.load_structure(db, found[0].questionnaire_id)
                svc.save_many(db, found[0], structure, complete_answers(structure))
                if action == "submit":
                    svc.submit(db, inv_id, emp, today, anonymous=False)
        db.expunge_all()
        assert stored(db) == recount(db), (step, action)
        assert db.execute(select(func.min(InvitationCount.n))).scalar_one() >= 0


def test_rebuild_repairs_damaged_counts(db):
    expected = recount(db)
    db.execute(update(InvitationCount).values(n=InvitationCount.n + 3))
    db.execute(delete(InvitationCount).where(InvitationCount.training_id == db.execute(select(func.min(InvitationCount.training_id))).scalar_one()))
    db.commit()
    assert stored(db) != expected
    summaries.invitations.rebuild(db)
    db.commit()
    assert stored(db) == expected


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
