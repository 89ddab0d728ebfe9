"""A closed anonymous survey stays closed, and anonymity never changes under people's feet (issue 12,
items 1 and 2), on SQLite and PostgreSQL.

The attack these tests replay: HR closes an anonymous survey early, exports the figures, reopens or
extends the window, waits for one known person to submit (response monitoring names who submitted),
closes again and diffs the two exports: the difference is that person's answers. The rule that stops
it (portal.services.trainings.SurveyWindow, docs/anonymity.md): once the window of an anonymous survey
has closed, by its date or by HR, it can never be reopened, extended, moved, given another
questionnaire or new invitations. A hypothesis test plays random sequences of HR window changes,
late enrolments and submits, and checks that an anonymous survey is never published in two states.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from portal import clock
from portal.models import Employee, Enrollment, Questionnaire, SurveyInvitation, SurveyResponse, Training
from portal.services import questionnaires as qsvc
from portal.services import reports
from portal.services import surveys as svc
from portal.services import trainings
from portal.services.trainings import enrollments
from tests.conftest import DEMO, login, post, text_of
from tests.test_reports import DISDUKCAPIL
from tests.test_surveys import complete_answers, fill_all, make_questionnaire, make_survey, submit

FROZEN = "tidak dapat diubah lagi"


def _answer(db, s: dict, nip: str, rng: random.Random, today: date | None = None) -> str:
    """One participant answers and submits through the services (what the form does)."""
    inv_id, emp_id = s["invitations"][nip], s["employees"][nip]
    inv = svc.load_invitation(db, inv_id, emp_id)[0]
    data = complete_answers(s["structure"])
    for q in s["structure"].questions:
        if q.kind == "likert5":
            data[f"q{q.id}"] = str(rng.randint(1, 5))
    assert svc.save_many(db, inv, s["structure"], data) == {}
    return svc.submit(db, inv_id, emp_id, today or clock.today(), anonymous=s["structure"].anonymous).status


def _window(db, training_id: int) -> tuple:
    db.expire_all()
    return db.execute(
        select(Training.reaction_questionnaire_id, Training.survey_opens_on, Training.survey_closes_on).where(Training.id == training_id)
    ).one()


def _responses(db, training_id: int) -> int:
    return db.execute(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.training_id == training_id)).scalar_one()


def _hr_window(client, s: dict, opens: date, closes: date, questionnaire_id: int | None = None):
    return post(
        client,
        f"/pelatihan/{s['training_id']}/survei",
        {"questionnaire_id": str(questionnaire_id or s["questionnaire_id"]), "opens_on": opens.isoformat(), "closes_on": closes.isoformat()},
    )


def _close_now(client, training_id: int):
    """HR's "Tutup survei sekarang": a confirmation page first, then the confirmed post."""
    ask = post(client, f"/pelatihan/{training_id}/survei/tutup", {})
    assert ask.status_code == 200 and "Ya, tutup survei sekarang" in ask.text, ask.text[:500]
    return ask, post(client, f"/pelatihan/{training_id}/survei/tutup", {"konfirmasi": "ya"})


@pytest.fixture
def thaw():
    yield
    clock.freeze_today(None)


# --------------------------------------------------------------------------- item 1: the reopen-and-diff attack


def test_reopen_and_diff_attack_through_the_portal_is_refused(client, db):
    rng = random.Random(12)
    today = clock.today()
    colleagues = DISDUKCAPIL[:5]
    s = make_survey(db, nips=(*colleagues, DEMO["employee"]), code="DIFF-1")
    tid = s["training_id"]
    for nip in colleagues:
        assert _answer(db, s, nip, rng) == "submitted"
    login(client, DEMO["employee"])
    fill_all(client, s["invitations"][DEMO["employee"]], s["structure"])  # the known person has a draft ready

    # 1. HR closes early; the confirmation says it cannot be undone, and asking changes nothing
    login(client, DEMO["hr"])
    window_before = _window(db, tid)
    ask, closed = _close_now(client, tid)
    assert "tidak dapat dibatalkan" in ask.text
    assert closed.status_code == 303
    assert _window(db, tid)[2] < today, "closed at once"
    export_1 = client.get(f"/laporan/pelatihan/{tid}/ekspor/csv")
    assert export_1.status_code == 200
    assert "Terlalu sedikit" not in export_1.text, "five responses: the figures are published"

    # 2. reopen / extend / move / swap the questionnaire: all refused, with the reason on the page
    for opens, closes in ((today, today + timedelta(days=7)), (window_before[1], window_before[2]), (today - timedelta(days=3), today)):
        resp = _hr_window(client, s, opens, closes)
        assert resp.status_code == 409 and FROZEN in resp.text, (opens, closes)
    std = qsvc.standard_l1_id(db)
    assert _hr_window(client, s, today, today + timedelta(days=7), std).status_code == 409
    assert _window(db, tid)[0] == s["questionnaire_id"] and _window(db, tid)[2] < today
    page = client.get(f"/pelatihan/{tid}/survei")
    assert FROZEN in page.text
    assert f'action="/pelatihan/{tid}/survei"' not in page.text, "no window form on a frozen survey"
    assert f'action="/pelatihan/{tid}/survei/tutup"' not in page.text
    assert post(client, f"/pelatihan/{tid}/survei/tutup", {"konfirmasi": "ya"}).status_code == 409

    # 3. the known person cannot submit any more
    login(client, DEMO["employee"])
    inv = s["invitations"][DEMO["employee"]]
    late = submit(client, inv)
    assert late.status_code == 409 and "Survei sudah ditutup" in late.text
    assert _responses(db, tid) == 5

    # 4. the second export is the first one, byte for byte
    login(client, DEMO["hr"])
    assert client.get(f"/laporan/pelatihan/{tid}/ekspor/csv").content == export_1.content


def test_a_window_closed_by_its_date_is_frozen_too(client, db, thaw):
    rng = random.Random(13)
    today = clock.today()
    s = make_survey(db, nips=(*DISDUKCAPIL[:5], DEMO["employee"]), opens=today, closes=today + timedelta(days=2), code="DIFF-DATE")
    for nip in DISDUKCAPIL[:5]:
        assert _answer(db, s, nip, rng) == "submitted"
    clock.freeze_today(today + timedelta(days=3))  # the closing date has passed
    login(client, DEMO["hr"])
    assert FROZEN in client.get(f"/pelatihan/{s['training_id']}/survei").text
    resp = _hr_window(client, s, today, today + timedelta(days=30))
    assert resp.status_code == 409 and FROZEN in resp.text
    assert _window(db, s["training_id"])[2] == today + timedelta(days=2)
    assert _answer(db, s, DEMO["employee"], rng) == "closed"


def test_an_anonymous_window_cannot_be_shortened_into_the_past(client, db):
    """Getting figures early by moving the closing date into the past would be closing it: the form
    refuses and points to "Tutup survei sekarang"; nothing is published while the window is open."""
    today = clock.today()
    s = make_survey(db, nips=tuple(DISDUKCAPIL[:6]), code="DIFF-SHORT")
    rng = random.Random(14)
    for nip in DISDUKCAPIL[:5]:
        assert _answer(db, s, nip, rng) == "submitted"
    login(client, DEMO["hr"])
    before = _window(db, s["training_id"])
    resp = _hr_window(client, s, today - timedelta(days=1), today - timedelta(days=1))
    assert resp.status_code == 422 and "Tutup survei sekarang" in resp.text
    assert _window(db, s["training_id"]) == before
    # shortening to today keeps it open (no figures), and extending an open survey stays possible
    assert _hr_window(client, s, today - timedelta(days=1), today).status_code == 303
    report = client.get(f"/laporan/pelatihan/{s['training_id']}")
    assert "hasil tampil setelah ditutup" in text_of(report.text)
    assert _hr_window(client, s, today - timedelta(days=1), today + timedelta(days=5)).status_code == 303


def test_no_late_invitation_is_added_to_a_closed_anonymous_survey(client, db):
    s = make_survey(db, nips=tuple(DISDUKCAPIL[:5]), code="DIFF-LATE")
    rng = random.Random(15)
    for nip in DISDUKCAPIL[:5]:
        assert _answer(db, s, nip, rng) == "submitted"
    login(client, DEMO["hr"])
    assert _close_now(client, s["training_id"])[1].status_code == 303
    # attendance corrected afterwards: one more person is marked as attended
    late = db.execute(select(Employee.id).where(Employee.nip == DISDUKCAPIL[5])).scalar_one()
    enrollments.enrol(db, s["training_id"], late, status="attended")
    db.commit()
    today = clock.today()
    w = _window(db, s["training_id"])
    assert _hr_window(client, s, w[1], w[2]).status_code == 409
    assert not trainings.attach(db, None, s["training_id"], s["questionnaire_id"], today, today + timedelta(days=3), today=today).ok
    invited = db.execute(select(SurveyInvitation.employee_id).where(SurveyInvitation.training_id == s["training_id"])).scalars().all()
    assert late not in invited and len(invited) == 5


def test_closing_asks_for_confirmation_and_an_attributed_survey_can_be_reopened(client, db):
    today = clock.today()
    s = make_survey(db, nips=(DEMO["employee"],), anonymous=False, code="ATTR-WIN")
    login(client, DEMO["hr"])
    page = client.get(f"/pelatihan/{s['training_id']}/survei")
    assert f'action="/pelatihan/{s["training_id"]}/survei/tutup"' in page.text
    ask = post(client, f"/pelatihan/{s['training_id']}/survei/tutup", {})
    assert ask.status_code == 200 and "tidak dapat dibatalkan" not in ask.text, "attributed: closing is reversible"
    assert _window(db, s["training_id"])[2] >= today, "asking does not close"
    assert post(client, f"/pelatihan/{s['training_id']}/survei/tutup", {"konfirmasi": "ya"}).status_code == 303
    assert _window(db, s["training_id"])[2] < today
    # nothing anonymous to protect: the window of an attributed survey may be opened again
    assert _hr_window(client, s, today, today + timedelta(days=5)).status_code == 303
    assert _window(db, s["training_id"])[2] == today + timedelta(days=5)


def test_an_anonymous_survey_cannot_be_attached_with_a_window_already_closed(db):
    today = clock.today()
    s = make_survey(db, nips=(), code="DIFF-PAST")
    t = Training(code="DIFF-PAST-2", title="Lama", kind="pelatihan", mode="klasikal", starts_on=today - timedelta(days=40), ends_on=today - timedelta(days=39))
    db.add(t)
    db.commit()
    result = trainings.attach(db, None, t.id, s["questionnaire_id"], today - timedelta(days=39), today - timedelta(days=25), today=today)
    assert not result.ok and "closes_on" in result.errors
    assert _window(db, t.id) == (None, None, None)


def test_the_questionnaire_of_a_survey_with_drafts_cannot_be_swapped(client, db):
    """Swapping would delete the drafts of people who started under the old questionnaire."""
    today = clock.today()
    s = make_survey(db, nips=(DEMO["employee"],), code="SWAP-DRAFT")
    login(client, DEMO["employee"])
    fill_all(client, s["invitations"][DEMO["employee"]], s["structure"])
    login(client, DEMO["hr"])
    other = make_questionnaire(db, anonymous=False, title="Survei lain")
    resp = _hr_window(client, s, today, today + timedelta(days=5), other)
    assert resp.status_code == 422 and "mulai mengisi" in resp.text
    assert _window(db, s["training_id"])[0] == s["questionnaire_id"]


# --------------------------------------------------------------------------- item 2: anonymity never changes mid-fill


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous-to-attributed", "attributed-to-anonymous"])
def test_anonymity_of_a_questionnaire_with_invitations_cannot_change(client, db, anonymous):
    s = make_survey(db, nips=(DEMO["employee"],), anonymous=anonymous, code=f"FIX-{int(anonymous)}")
    qid = s["questionnaire_id"]
    login(client, DEMO["hr"])
    edit = client.get(f"/kuesioner/{qid}")
    assert "Sifat anonim tidak dapat diubah lagi" in edit.text and 'id="anonymous" value="1" disabled' in edit.text
    data = {"title": "Survei uji", "purpose": "reaction"}
    if not anonymous:
        data["anonymous"] = "1"
    resp = post(client, f"/kuesioner/{qid}", data)
    assert resp.status_code == 422 and "Sifat anonim tidak dapat diubah" in resp.text
    db.expire_all()
    assert db.execute(select(Questionnaire.anonymous).where(Questionnaire.id == qid)).scalar_one() is anonymous
    # other fields still save (the hidden field carries the fixed anonymity)
    keep = {"title": "Judul baru", "purpose": "reaction", "anonymous": "1" if anonymous else ""}
    assert post(client, f"/kuesioner/{qid}", keep).status_code == 303
    db.expire_all()
    assert db.execute(select(Questionnaire.title, Questionnaire.anonymous).where(Questionnaire.id == qid)).one() == ("Judul baru", anonymous)


def test_anonymity_of_a_questionnaire_nobody_was_invited_to_can_change(client, db):
    qid = make_questionnaire(db, anonymous=True)
    login(client, DEMO["hr"])
    assert 'id="anonymous" name="anonymous"' in client.get(f"/kuesioner/{qid}").text
    assert post(client, f"/kuesioner/{qid}", {"title": "Survei uji", "purpose": "reaction"}).status_code == 303
    db.expire_all()
    assert db.execute(select(Questionnaire.anonymous).where(Questionnaire.id == qid)).scalar_one() is False


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "attributed"])
def test_confirmation_page_states_the_anonymity_plainly(client, db, anonymous):
    s = make_survey(db, nips=(DEMO["employee"],), anonymous=anonymous, code=f"CONF-{int(anonymous)}")
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    page = text_of(submit(client, inv, confirmed=False).text)
    if anonymous:
        assert "Survei ini anonim." in page and "Ya, kirim jawaban anonim" in page and "tidak anonim" not in page.lower()
    else:
        assert "Survei ini tidak anonim." in page and "atas nama dan NIP Anda" in page and "Ya, kirim jawaban atas nama saya" in page


def test_submit_stores_nothing_when_the_anonymity_differs_from_what_was_confirmed(client, db):
    """Whatever changed the questionnaire (an old version, an operator's SQL), the person's confirmed
    anonymity is checked inside the submit transaction."""
    s = make_survey(db, nips=(DEMO["employee"],), code="MIDFILL")
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    confirm = post(client, f"/survei/{inv}/kirim", {})
    assert 'name="anonim" value="1"' in confirm.text
    db.execute(update(Questionnaire).where(Questionnaire.id == s["questionnaire_id"]).values(anonymous=False))
    db.commit()
    resp = post(client, f"/survei/{inv}/kirim", {"konfirmasi": "ya", "anonim": "1"})
    assert resp.status_code == 409
    body = text_of(resp.text)
    assert "Jawaban belum dikirim" in body and "Survei ini tidak anonim." in body
    assert _responses(db, s["training_id"]) == 0
    db.expire_all()
    assert db.execute(select(SurveyInvitation.status).where(SurveyInvitation.id == inv)).scalar_one() == "draft"
    # the service itself refuses, too
    emp = s["employees"][DEMO["employee"]]
    assert svc.submit(db, inv, emp, clock.today(), anonymous=True).status == "changed"
    assert _responses(db, s["training_id"]) == 0
    # confirming what is now stated submits, under the person's name
    again = submit(client, inv)
    assert again.status_code == 200 and "Terima kasih" in again.text
    assert db.execute(select(SurveyResponse.respondent_id).where(SurveyResponse.training_id == s["training_id"])).scalar_one() == emp


def test_a_post_without_the_confirmed_anonymity_only_shows_the_confirmation(client, db):
    s = make_survey(db, nips=(DEMO["employee"],), code="NOANON")
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    resp = post(client, f"/survei/{inv}/kirim", {"konfirmasi": "ya"})
    assert resp.status_code == 200 and 'name="anonim" value="1"' in resp.text
    assert _responses(db, s["training_id"]) == 0


# --------------------------------------------------------------------------- property: one published state


def _published(db, training_id: int, today: date, min_group: int):
    r = reports.training_report(db, training_id, today, min_group, 30)
    if r is None or not r.shown:
        return None
    return (r.submitted, tuple((q.id, q.n, q.total, q.n_before, q.total_before, tuple(sorted(q.counts.items()))) for q in r.questions))


OPS = st.one_of(
    st.tuples(st.just("wait"), st.integers(1, 4)),
    st.tuples(st.just("window"), st.integers(-4, 2), st.integers(-3, 8)),
    st.tuples(st.just("close")),
    st.tuples(st.just("submit"), st.integers(2, 5)),
    st.tuples(st.just("enrol"), st.integers(4, 7)),
)


def test_random_hr_window_changes_and_submits_never_publish_two_states(db, backend):
    """Whatever HR does with the window (move it, shorten, extend, close now, re-save after attendance
    changes) between submits, an anonymous survey is published at most once: every published state of
    it is the same. A small minimum group (2) makes publication, and so any second state, likely."""
    min_group = 2
    base = clock.today()
    qid = make_questionnaire(db, (("Materi", "materi", "likert5", "Jelas.", True, {"retrospective": True}),), anonymous=True)
    structure = qsvc.load_structure(db, qid)
    people = dict(db.execute(select(Employee.nip, Employee.id).where(Employee.nip.in_(DISDUKCAPIL[:8]))).all())
    nips = DISDUKCAPIL[:8]
    counter = iter(range(10_000))

    def submit_one(emp: int, today: date) -> None:
        inv_id = db.execute(select(SurveyInvitation.id).where(SurveyInvitation.training_id == t_id[0], SurveyInvitation.employee_id == emp)).scalar()
        if inv_id is not None:
            inv = svc.load_invitation(db, inv_id, emp)[0]
            if inv.state(today) == "open":
                svc.save_many(db, inv, structure, complete_answers(structure))
            svc.submit(db, inv_id, emp, today, anonymous=True)

    t_id = [0]

    @hsettings(max_examples=25 if backend == "postgresql" else 60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(ops=st.lists(OPS, min_size=1, max_size=12))
    def run(ops):
        today = base
        t = Training(code=f"PROP-{next(counter)}", title="Sifat", kind="pelatihan", mode="klasikal", starts_on=today - timedelta(days=2), ends_on=today - timedelta(days=1))
        db.add(t)
        db.flush()
        t_id[0] = t.id
        for nip in nips[:4]:
            enrollments.enrol(db, t.id, people[nip], status="attended")
        db.commit()
        assert trainings.attach(db, None, t.id, qid, today, today + timedelta(days=3), today=today).ok
        for nip in nips[:2]:  # enough to publish at the first close (min_group)
            submit_one(people[nip], today)
        seen: set = set()
        for op in ops:
            if op[0] == "wait":
                today += timedelta(days=op[1])
            elif op[0] == "window":
                trainings.attach(db, None, t.id, qid, today + timedelta(days=op[1]), today + timedelta(days=op[2]), today=today)
            elif op[0] == "close":
                trainings.close_now(db, None, t.id, today=today)
            elif op[0] == "enrol":
                emp = people[nips[op[1]]]
                exists = db.execute(select(Enrollment.id).where(Enrollment.training_id == t.id, Enrollment.employee_id == emp)).first()
                if exists is None:
                    enrollments.enrol(db, t.id, emp, status="attended")
                    db.commit()
                w = _window(db, t.id)
                trainings.attach(db, None, t.id, qid, w[1], w[2], today=today)
            else:
                submit_one(people[nips[op[1]]], today)
            state = _published(db, t.id, today, min_group)
            if state is not None:
                seen.add(state)
            assert len(seen) <= 1, f"two published states after {op}: {seen}"
        # later days change nothing either
        state = _published(db, t.id, today + timedelta(days=30), min_group)
        if state is not None:
            seen.add(state)
        assert len(seen) <= 1

    run()
