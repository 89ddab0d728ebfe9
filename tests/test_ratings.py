"""On-the-job application (L3) through the services and HTTP, on SQLite and PostgreSQL: when a rating is
due (frozen clock), who may rate (current direct supervisor only; IDOR sweep), autosave, validation,
submit with confirmation, the impact score stored in the submit transaction, HR reopen (audited) and
resubmit, the self-report's arrival, Beranda tasks, the impact pages (bounded queries, visibility),
`portal scores recompute` and the demo data."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from portal import clock, rules, scoring
from portal.demo import ratings as demo_ratings
from portal.i18n import format_date
from portal.models import (
    ApplicationAnswer,
    ApplicationRating,
    AuditEvent,
    Employee,
    Enrollment,
    ImpactScore,
    Question,
    Questionnaire,
    Training,
    TrainingCompetency,
)
from portal.services import application as svc
from portal.services import impact
from tests.conftest import DEMO, login, post, text_of
from tests.rig import QueryCounter

SURYADI = "197803022003121008"  # Kepala Puskesmas Sei Jang: a supervisor, but not Putri's
RAHMAT = "198901302011011027"  # Putri's colleague (same supervisor)
KADIS_DINKES = "197104101998121003"  # Ratna's own supervisor
_codes = itertools.count()


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def frozen():
    """Freeze portal.clock.today() for the test (the HTTP handlers read it too)."""

    def freeze(day: date) -> date:
        clock.freeze_today(day)
        return day

    yield freeze
    clock.freeze_today(None)


def emp_id(db, nip: str) -> int:
    return db.execute(select(Employee.id).where(Employee.nip == nip)).scalar_one()


def demo_enrollment(db, code: str = "PLT-MPKM-01", nip: str = DEMO["employee"]) -> int:
    return db.execute(
        select(Enrollment.id)
        .join(Training, Training.id == Enrollment.training_id)
        .join(Employee, Employee.id == Enrollment.employee_id)
        .where(Training.code == code, Employee.nip == nip)
    ).scalar_one()


def make_training(db, ends_on: date, *, nips=(DEMO["employee"],), due_days: int = 90, self_report: bool = False) -> dict:
    """A finished training asking for the standard L3 rating, with attended enrollments for `nips`."""
    qid = demo_ratings.ensure_standard_l3(db)
    sid = demo_ratings.ensure_self_report(db) if self_report else None
    t = Training(
        code=f"L3-UJI-{next(_codes)}",
        title="Pelatihan Uji Penerapan",
        kind="pelatihan",
        mode="klasikal",
        starts_on=ends_on - timedelta(days=2),
        ends_on=ends_on,
        jp=16,
        application_questionnaire_id=qid,
        self_report_questionnaire_id=sid,
        application_due_days=due_days,
    )
    db.add(t)
    db.flush()
    enrollments = {}
    for nip in nips:
        e = Enrollment(training_id=t.id, employee_id=emp_id(db, nip), status="completed", jp_credited=16)
        db.add(e)
        db.flush()
        enrollments[nip] = e.id
    db.commit()
    return {"training_id": t.id, "enrollments": enrollments, "qid": qid, "self_qid": sid}


def structure(db, enrollment_id: int, role: str = "supervisor"):
    ctx = svc.load_context(db, enrollment_id, role)
    assert ctx is not None
    return svc.structure_for(db, ctx)


def complete(st, after: int = 4, before: int = 2) -> dict:
    data: dict = {}
    for q in st.questions:
        if q.kind == "likert5":
            data[f"q{q.id}"] = str(after)
            if q.retrospective:
                data[f"q{q.id}_sebelum"] = str(before)
        elif q.kind == "text" and q.required:
            data[f"q{q.id}"] = "Mengatur antrean pasien dengan nomor urut daring."
    return data


def autosave(client, enrollment_id: int, q, data: dict, role: str = "atasan"):
    return post(client, f"/penerapan/{role}/{enrollment_id}/jawaban/{q.id}", data, htmx=True)


def submit_confirmed(client, enrollment_id: int, data: dict | None = None, role: str = "atasan"):
    return post(client, f"/penerapan/{role}/{enrollment_id}/kirim", {**(data or {}), "konfirmasi": "ya"})


def rate_fully(client, db, enrollment_id: int, after: int = 4, before: int = 2, role: str = "atasan"):
    st = structure(db, enrollment_id, "supervisor" if role == "atasan" else "self")
    resp = submit_confirmed(client, enrollment_id, complete(st, after, before), role)
    assert resp.status_code == 303, resp.text[:500]
    return st


def rating_row(db, enrollment_id: int, role: str = "supervisor"):
    return db.execute(
        select(ApplicationRating).where(ApplicationRating.enrollment_id == enrollment_id, ApplicationRating.rater_role == role)
    ).scalar_one_or_none()


def assert_score_consistent(db, enrollment_id: int) -> None:
    db.expire_all()
    assert impact.stored_score(db, enrollment_id) == impact.expected_score(db, enrollment_id)


# --------------------------------------------------------------------------- due logic (frozen clock)


def test_schedule_states_with_a_frozen_clock():
    ends = date(2026, 3, 10)
    s = rules.l3_schedule(ends, 90, 30)
    assert s.due_on == date(2026, 6, 8)
    assert s.window_ends_on == date(2026, 7, 7)  # 30 days open, due day included
    assert s.closes_on == date(2027, 3, 10)  # late ratings accepted up to 12 months after the training
    assert s.state(s.due_on - timedelta(days=15)) == "not_yet"
    assert s.state(s.due_on - timedelta(days=14)) == "soon"
    assert s.state(s.due_on - timedelta(days=1)) == "soon"
    assert s.state(s.due_on) == "due"
    assert s.state(s.window_ends_on) == "due"
    assert s.state(s.window_ends_on + timedelta(days=1)) == "overdue"
    assert s.state(s.closes_on) == "overdue"
    assert s.state(s.closes_on + timedelta(days=1)) == "closed"
    assert s.state(s.closes_on + timedelta(days=1), "submitted") == "submitted"
    # per training: 21 due days
    assert rules.l3_schedule(ends, 21, 30).due_on == date(2026, 3, 31)
    # a due date beyond 12 months still gets its full window
    late = rules.l3_schedule(ends, 400, 30)
    assert late.closes_on == late.window_ends_on


def test_not_yet_due_due_overdue_and_closed_through_http(client, db, frozen):
    today = clock.today()
    case = make_training(db, today - timedelta(days=5))
    eid = case["enrollments"][DEMO["employee"]]
    st = structure(db, eid)
    q = st.questions[0]
    sched = rules.l3_schedule(today - timedelta(days=5), 90, 30)
    login(client, DEMO["supervisor"])

    frozen(sched.due_on - timedelta(days=30))  # not yet due: not listed, form not open
    assert f"/penerapan/atasan/{eid}" not in client.get("/penerapan").text
    page = client.get(f"/penerapan/atasan/{eid}")
    assert page.status_code == 200 and "Penilaian penerapan dibuka pada" in text_of(page.text)
    assert autosave(client, eid, q, {f"q{q.id}": "4", f"q{q.id}_sebelum": "2"}).status_code == 409
    assert submit_confirmed(client, eid, complete(st)).status_code == 409
    assert rating_row(db, eid) is None

    frozen(sched.due_on - timedelta(days=3))  # soon due: listed, still closed
    listing = client.get("/penerapan").text
    assert "Segera jatuh tempo" in listing and "Putri Wulandari" in listing
    assert autosave(client, eid, q, {f"q{q.id}": "4"}).status_code == 409

    frozen(sched.due_on)  # due: open
    assert f'href="/penerapan/atasan/{eid}"' in client.get("/penerapan").text
    page = client.get(f"/penerapan/atasan/{eid}")
    assert page.status_code == 200 and f'id="pertanyaan-{q.id}"' in page.text
    assert autosave(client, eid, q, {f"q{q.id}": "4", f"q{q.id}_sebelum": "2"}).status_code == 200

    frozen(sched.window_ends_on + timedelta(days=1))  # overdue: still accepted, flagged
    assert "Terlambat" in client.get("/").text
    page = client.get(f"/penerapan/atasan/{eid}")
    assert page.status_code == 200 and "Terlambat" in page.text
    assert autosave(client, eid, q, {f"q{q.id}": "5", f"q{q.id}_sebelum": "2"}).status_code == 200

    frozen(sched.closes_on + timedelta(days=1))  # closed: refused, the draft is kept
    page = client.get(f"/penerapan/atasan/{eid}")
    assert "ditutup" in text_of(page.text)
    assert autosave(client, eid, q, {f"q{q.id}": "3", f"q{q.id}_sebelum": "2"}).status_code == 409
    assert submit_confirmed(client, eid, complete(st)).status_code == 409
    assert db.execute(select(ApplicationAnswer.value_num).where(ApplicationAnswer.question_id == q.id,
                                                                ApplicationAnswer.rating_id == rating_row(db, eid).id)).scalar_one() == 5
    assert rating_row(db, eid).status == "draft"


def test_per_training_due_days(db):
    today = clock.today()
    case = make_training(db, today - timedelta(days=10), due_days=7)
    ctx = svc.load_context(db, case["enrollments"][DEMO["employee"]], "supervisor")
    assert ctx.schedule.due_on == today - timedelta(days=3)
    assert ctx.state(today) == "due" and ctx.writable(today)


def _list_item(listing: str, enrollment_id: int) -> str:
    """The supervisor's work list item of one enrollment (its <li>)."""
    items = re.findall(r'<li class="card rating-item[^"]*">.*?</li>', listing, re.S)
    found = [i for i in items if f'href="/penerapan/atasan/{enrollment_id}"' in i]
    assert len(found) == 1, items
    return found[0]


def test_window_boundary_days_in_the_work_list_and_the_form(client, db, settings, frozen):
    """rules.l3_schedule: the expected window is due_on .. due_on + window_days - 1 (the due day included);
    the last day of the window is still "due", the next day "overdue", in the supervisor's work list and
    on the rating form alike."""
    ends = clock.today() - timedelta(days=5)
    case = make_training(db, ends, due_days=90)
    eid = case["enrollments"][DEMO["employee"]]
    ratna = emp_id(db, DEMO["supervisor"])
    window = settings.application_window_days
    due_on = ends + timedelta(days=90)
    last_day = due_on + timedelta(days=window - 1)  # counted by hand, not through the schedule
    login(client, DEMO["supervisor"])

    def states(day: date) -> tuple[str, str, str, str]:
        frozen(day)
        item = next(i for i in svc.supervisor_groups(db, ratna, day, window).due if i.enrollment_id == eid)
        ctx = svc.for_supervisor(db, eid, ratna, window)
        listed = _list_item(client.get("/penerapan").text, eid)
        form = client.get(f"/penerapan/atasan/{eid}")
        assert form.status_code == 200 and 'id="jawaban"' in form.text  # open for answers
        return item.state, ctx.state(day), listed, form.text

    item_state, form_state, listed, form = states(due_on)
    assert (item_state, form_state) == ("due", "due")
    item_state, form_state, listed, form = states(last_day)
    assert (item_state, form_state) == ("due", "due")
    assert "rating-item-overdue" not in listed and "Jatuh tempo" in listed and format_date(last_day) in listed
    assert 'badge-danger">Terlambat' not in form and format_date(last_day) in form
    item_state, form_state, listed, form = states(last_day + timedelta(days=1))
    assert (item_state, form_state) == ("overdue", "overdue")
    assert "rating-item-overdue" in listed and "Terlambat" in listed
    assert 'badge-danger">Terlambat' in form


def test_window_boundary_days_in_hr_overdue_per_unit(db):
    """HR's count per unit (its own SQL) splits due and overdue on the same day as rules.l3_schedule."""
    ends = clock.today() - timedelta(days=5)
    last_day = ends + timedelta(days=90 + 30 - 1)  # 90 due days, a 30-day window with the due day in it
    days = (last_day, last_day + timedelta(days=1))

    def counts() -> list[tuple[int, int]]:
        out = []
        for day in days:
            unit = {u.unit: u for u in impact.overdue_by_unit(db, day, 30)}.get("UPTD Puskesmas Batu 10")
            out.append((unit.due, unit.overdue) if unit else (0, 0))
        return out

    before = counts()
    make_training(db, ends, due_days=90)  # one more unrated participant: Putri, of Puskesmas Batu 10
    after = counts()
    added = [(due - due0, overdue - overdue0) for (due, overdue), (due0, overdue0) in zip(after, before, strict=True)]
    assert added == [(1, 0), (0, 1)]  # due on the window's last day, overdue the day after


def test_when_the_supervisor_changes_the_current_one_rates(client, db):
    eid = demo_enrollment(db)
    st = structure(db, eid)
    q = st.questions[0]
    login(client, DEMO["supervisor"])
    assert autosave(client, eid, q, {f"q{q.id}": "4", f"q{q.id}_sebelum": "2"}).status_code == 200
    assert rating_row(db, eid).rater_id == emp_id(db, DEMO["supervisor"])
    # Putri moves to Puskesmas Sei Jang: Suryadi is now her direct supervisor
    db.execute(update(Employee).where(Employee.nip == DEMO["employee"]).values(supervisor_id=emp_id(db, SURYADI)))
    db.commit()
    assert client.get(f"/penerapan/atasan/{eid}").status_code == 404
    assert autosave(client, eid, q, {f"q{q.id}": "1", f"q{q.id}_sebelum": "1"}).status_code == 404
    assert submit_confirmed(client, eid, complete(st)).status_code == 404
    assert f"/penerapan/atasan/{eid}" not in client.get("/penerapan").text
    login(client, SURYADI)
    assert f'href="/penerapan/atasan/{eid}"' in client.get("/penerapan").text
    page = client.get(f"/penerapan/atasan/{eid}")
    assert page.status_code == 200
    assert re.search(rf'id="q-{q.id}-4"[^>]*checked', page.text), "the previous supervisor's draft is kept"
    rate_fully(client, db, eid)
    db.expire_all()
    row = rating_row(db, eid)
    assert (row.status, row.rater_id) == ("submitted", emp_id(db, SURYADI))
    assert_score_consistent(db, eid)
    # Ratna no longer sees the result; Suryadi (current supervisor and rater) and Putri do
    login(client, DEMO["supervisor"])
    assert client.get(f"/penerapan/hasil/{eid}").status_code == 404
    login(client, DEMO["employee"])
    assert client.get(f"/penerapan/hasil/{eid}").status_code == 200


# --------------------------------------------------------------------------- who may do what (IDOR sweep)


def test_idor_sweep_over_every_rating_route(client, db):
    eid = demo_enrollment(db)
    st = structure(db, eid)
    q = st.questions[0]
    own = svc.load_context(db, eid, "self")
    sq = svc.structure_for(db, own).questions[0]
    login(client, DEMO["supervisor"])
    assert autosave(client, eid, q, {f"q{q.id}": "4", f"q{q.id}_sebelum": "2"}).status_code == 200
    login(client, DEMO["employee"])
    assert autosave(client, eid, sq, {f"q{sq.id}": "4", f"q{sq.id}_sebelum": "3"}, role="diri").status_code == 200
    before = db.execute(select(func.count()).select_from(ApplicationAnswer)).scalar_one()
    expected = {
        SURYADI: 404,  # a supervisor, but of other people
        KADIS_DINKES: 404,  # Ratna's supervisor: not Putri's direct supervisor
        DEMO["employee"]: 403,  # the employee through the supervisor route: not a supervisor at all
        RAHMAT: 403,  # a colleague
        DEMO["hr"]: 403,  # HR through the supervisor route
        DEMO["admin"]: 403,
    }
    for nip, status in expected.items():
        login(client, nip)
        assert client.get(f"/penerapan/atasan/{eid}").status_code == status, nip
        assert autosave(client, eid, q, {f"q{q.id}": "1", f"q{q.id}_sebelum": "1"}).status_code == status, nip
        assert submit_confirmed(client, eid, complete(st, 1, 1)).status_code == status, nip
        if nip != DEMO["employee"]:
            # somebody else's self-report
            assert client.get(f"/penerapan/diri/{eid}").status_code == 404, nip
            assert autosave(client, eid, sq, {f"q{sq.id}": "1"}, role="diri").status_code == 404, nip
            assert submit_confirmed(client, eid, {}, role="diri").status_code == 404, nip
    # the supervisor cannot fill the employee's self-report either
    login(client, DEMO["supervisor"])
    assert client.get(f"/penerapan/diri/{eid}").status_code == 404
    assert autosave(client, eid, sq, {f"q{sq.id}": "1"}, role="diri").status_code == 404
    # ids that do not exist look the same
    assert client.get("/penerapan/atasan/999999").status_code == 404
    assert post(client, "/penerapan/atasan/999999/kirim", {"konfirmasi": "ya"}).status_code == 404
    db.expire_all()
    assert db.execute(select(func.count()).select_from(ApplicationAnswer)).scalar_one() == before
    assert rating_row(db, eid).status == "draft" and rating_row(db, eid, "self").status == "draft"


def test_individual_results_are_seen_by_hr_the_employee_the_supervisor_only(client, db):
    eid = demo_enrollment(db)
    login(client, DEMO["supervisor"])
    rate_fully(client, db, eid)
    for nip, status in ((DEMO["supervisor"], 200), (DEMO["employee"], 200), (DEMO["hr"], 200), (DEMO["admin"], 200),
                        (RAHMAT, 404), (SURYADI, 404), (KADIS_DINKES, 404)):
        login(client, nip)
        assert client.get(f"/penerapan/hasil/{eid}").status_code == status, nip
    tid = db.execute(select(Enrollment.training_id).where(Enrollment.id == eid)).scalar_one()
    # per-training aggregates are HR's; others see only the results they may see
    login(client, DEMO["hr"])
    page = client.get(f"/dampak/{tid}")
    assert page.status_code == 200 and "Sebaran kategori dampak" in page.text
    login(client, RAHMAT)
    page = client.get(f"/dampak/{tid}")
    if page.status_code == 200:
        assert "Putri Wulandari" not in page.text and "Sebaran kategori" not in page.text
    login(client, DEMO["employee"])
    page = client.get(f"/dampak/{tid}")
    assert page.status_code == 200 and "Sebaran kategori" not in page.text
    names = re.findall(r'href="/penerapan/hasil/\d+">([^<]+)</a>', page.text)
    assert names == ["Putri Wulandari, A.Md."]
    login(client, SURYADI)
    assert client.get(f"/dampak/{tid}").status_code in (200, 404)
    assert "Putri Wulandari" not in client.get(f"/dampak/{tid}").text


# --------------------------------------------------------------------------- the form


def test_autosave_upserts_one_row_validates_and_reports_progress(client, db):
    eid = demo_enrollment(db)
    st = structure(db, eid)
    retro = next(q for q in st.questions if q.retrospective)
    text_q = next(q for q in st.questions if q.kind == "text")
    login(client, DEMO["supervisor"])
    r = autosave(client, eid, retro, {f"q{retro.id}": "3", f"q{retro.id}_sebelum": "2"})
    assert r.status_code == 200 and "Tersimpan" in r.text and "1 dari 8 pertanyaan terjawab" in r.text
    r = autosave(client, eid, retro, {f"q{retro.id}": "4", f"q{retro.id}_sebelum": "2"})
    assert r.status_code == 200
    rid = rating_row(db, eid).id
    rows = db.execute(select(ApplicationAnswer.value_before, ApplicationAnswer.value_num).where(ApplicationAnswer.rating_id == rid)).all()
    assert rows == [(2, 4)]
    # invalid values are refused next to the field and nothing changes
    for bad in ({f"q{retro.id}": "6"}, {f"q{retro.id}": "x"}, {f"q{retro.id}": ["3", "4"]}):
        r = autosave(client, eid, retro, bad)
        assert r.status_code == 422 and "is-error" in r.text and f'id="q-{retro.id}-error"' in r.text
    r = autosave(client, eid, text_q, {f"q{text_q.id}": "x" * 1001})
    assert r.status_code == 422 and "terlalu panjang" in r.text
    assert db.execute(select(ApplicationAnswer.value_num).where(ApplicationAnswer.rating_id == rid)).scalars().all() == [4]
    # an empty value removes the answer
    assert autosave(client, eid, retro, {f"q{retro.id}": "", f"q{retro.id}_sebelum": ""}).status_code == 200
    assert db.execute(select(func.count()).select_from(ApplicationAnswer).where(ApplicationAnswer.rating_id == rid)).scalar_one() == 0
    # a question of another questionnaire
    other = db.execute(select(func.min(ApplicationAnswer.question_id))).scalar_one()
    l1 = db.execute(select(Questionnaire.id).where(Questionnaire.purpose == "reaction")).scalars().first()
    foreign = db.execute(select(func.min(Question.id)).where(Question.questionnaire_id == l1)).scalar_one()
    assert other is not None
    assert post(client, f"/penerapan/atasan/{eid}/jawaban/{foreign}", {f"q{foreign}": "4"}, htmx=True).status_code == 404


def test_form_page_has_labels_progress_and_autosave_markup(client, db):
    eid = demo_enrollment(db)
    st = structure(db, eid)
    login(client, DEMO["supervisor"])
    page = client.get(f"/penerapan/atasan/{eid}").text
    assert 'id="progress"' in page and "0 dari 8 pertanyaan terjawab" in page
    for q in st.questions:
        assert f'hx-post="/penerapan/atasan/{eid}/jawaban/{q.id}"' in page
        assert f'id="q-{q.id}"' in page and f'id="q-{q.id}-error"' in page
    assert page.count('hx-sync="queue last"') == st.count
    assert "Sebelum pelatihan" in page and "Sesudah pelatihan (saat ini)" in page
    assert 'hx-confirm="' not in page and "hx-on" not in page and "style=" not in page  # confirmation is a page
    assert "Putri Wulandari" in page and "Tidak anonim" in page


def test_submit_with_missing_answers_shows_an_error_summary_linking_each_field(client, db):
    eid = demo_enrollment(db)
    st = structure(db, eid)
    first = st.questions[0]
    login(client, DEMO["supervisor"])
    autosave(client, eid, first, {f"q{first.id}": "4"})  # half a pair
    r = post(client, f"/penerapan/atasan/{eid}/kirim", {"konfirmasi": "ya"}, htmx=True)
    assert r.status_code == 422
    assert r.text.lstrip().startswith('<div id="rating-form">')  # the fragment, same partial as the page
    assert 'class="error-summary"' in r.text
    required = [q for q in st.questions if q.required]
    for q in required:
        assert f'href="#q-{q.id}"' in r.text
    assert "Pilih jawaban untuk sebelum dan sesudah pelatihan." in r.text
    assert rating_row(db, eid).status == "draft"
    assert db.execute(select(func.count()).select_from(ImpactScore).where(ImpactScore.enrollment_id == eid)).scalar_one() == 0
    # the full page (no JavaScript) shows the same summary
    page = post(client, f"/penerapan/atasan/{eid}/kirim", {})
    assert page.status_code == 422 and "<html" in page.text and 'class="error-summary"' in page.text


def test_no_javascript_submit_asks_for_confirmation_then_stores_the_score_in_the_same_transaction(client, db):
    eid = demo_enrollment(db)
    st = structure(db, eid)
    data = complete(st, after=4, before=2)
    login(client, DEMO["supervisor"])
    confirm = post(client, f"/penerapan/atasan/{eid}/kirim", data)
    assert confirm.status_code == 200 and "Kirim penilaian sekarang?" in confirm.text
    assert rating_row(db, eid).status == "draft"  # answers saved, nothing submitted yet
    r = submit_confirmed(client, eid)
    assert r.status_code == 303 and r.headers["location"] == f"/penerapan/hasil/{eid}"
    db.expire_all()
    row = rating_row(db, eid)
    assert row.status == "submitted" and row.submitted_at is not None
    score = db.execute(select(ImpactScore).where(ImpactScore.enrollment_id == eid)).scalar_one()
    # all after 4 (A = 75), all pairs +2 (C = 50), no self-report yet: (37.5 + 15) / 0.8 = 65.6
    assert (score.application_score, score.change_score, score.self_score) == (75.0, 50.0, None)
    assert (score.impact_index, score.category, score.formula_version) == (65.6, "cukup_berdampak", "v1")
    assert score.computed_at is not None
    assert_score_consistent(db, eid)
    assert db.execute(select(Questionnaire.locked).where(Questionnaire.id == row.questionnaire_id)).scalar_one()
    assert db.execute(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "l3.submit", AuditEvent.target == f"applicationrating:{row.id}")
    ).scalar_one() == 1
    result = client.get(r.headers["location"])
    assert "Cukup berdampak" in result.text and "65,6" in result.text and "dinormalisasi" in result.text
    # locked afterwards: every write answers 409 and changes nothing
    q = st.questions[0]
    assert autosave(client, eid, q, {f"q{q.id}": "1", f"q{q.id}_sebelum": "5"}).status_code == 409
    assert submit_confirmed(client, eid, complete(st, 1, 1)).status_code == 409
    assert post(client, f"/penerapan/atasan/{eid}/kirim", {"konfirmasi": "ya"}, htmx=True).status_code == 409
    assert client.get(f"/penerapan/atasan/{eid}", follow_redirects=False).status_code == 303
    db.expire_all()
    assert impact.stored_score(db, eid)[3] == 65.6


def test_htmx_submit_redirects_to_the_result(client, db):
    eid = demo_enrollment(db)
    st = structure(db, eid)
    login(client, DEMO["supervisor"])
    r = post(client, f"/penerapan/atasan/{eid}/kirim", {**complete(st, 5, 1), "konfirmasi": "ya"}, htmx=True)
    assert r.status_code == 200 and r.headers["hx-redirect"] == f"/penerapan/hasil/{eid}"
    assert impact.stored_score(db, eid)[3:5] == (100.0, "sangat_berdampak")


def test_submit_is_exactly_once(db):
    eid = demo_enrollment(db)
    ratna = emp_id(db, DEMO["supervisor"])
    ctx = svc.for_supervisor(db, eid, ratna)
    st = svc.structure_for(db, ctx)
    svc.save_many(db, ctx, st, complete(st), ratna)
    ctx = svc.for_supervisor(db, eid, ratna)
    assert svc.submit(db, ctx, st, ratna).status == "submitted"
    assert svc.submit(db, ctx, st, ratna).status == "already"  # the same (stale) context again
    assert db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "l3.submit")).scalar_one() >= 1


# --------------------------------------------------------------------------- HR reopen


def test_hr_reopen_is_audited_and_resubmit_recomputes(client, db):
    eid = demo_enrollment(db)
    st = structure(db, eid)
    login(client, DEMO["supervisor"])
    rate_fully(client, db, eid, after=3, before=2)
    rid = rating_row(db, eid).id
    first = impact.stored_score(db, eid)
    # not HR: refused
    assert post(client, f"/penerapan/{rid}/buka-kembali", {"alasan": "Saya salah pilih nilai."}).status_code == 403
    login(client, DEMO["employee"])
    assert post(client, f"/penerapan/{rid}/buka-kembali", {"alasan": "Saya salah pilih nilai."}).status_code == 403
    login(client, DEMO["hr"])
    page = client.get(f"/penerapan/hasil/{eid}")
    assert f'action="/penerapan/{rid}/buka-kembali"' in page.text
    # a reason is required
    r = post(client, f"/penerapan/{rid}/buka-kembali", {"alasan": "  "})
    assert r.status_code == 422 and "alasan" in text_of(r.text).lower() and 'aria-invalid="true"' in r.text
    db.expire_all()
    assert rating_row(db, eid).status == "submitted"
    reason = "Atasan melaporkan salah pilih nilai pada butir kecepatan pelayanan."
    r = post(client, f"/penerapan/{rid}/buka-kembali", {"alasan": reason})
    assert r.status_code == 303
    db.expire_all()
    row = rating_row(db, eid)
    assert (row.status, row.submitted_at, row.reopen_count) == ("draft", None, 1)
    assert impact.stored_score(db, eid) is None  # no submitted supervisor rating: no score
    event = db.execute(select(AuditEvent).where(AuditEvent.action == "l3.reopen")).scalar_one()
    assert event.actor_id == emp_id(db, DEMO["hr"]) and event.target == f"applicationrating:{rid}"
    assert reason in event.detail and f"indeks_sebelumnya={first[3]}" in event.detail and event.at is not None
    history = client.get(f"/penerapan/hasil/{eid}").text
    assert reason in history and "Nurul Hidayah" in history
    # a second reopen of a draft is refused (409), and audited only once
    assert post(client, f"/penerapan/{rid}/buka-kembali", {"alasan": reason}).status_code == 409
    # the supervisor edits (even though reopened) and resubmits: the score is recomputed
    login(client, DEMO["supervisor"])
    page = client.get(f"/penerapan/atasan/{eid}")
    assert page.status_code == 200 and "membuka kembali" in page.text
    q = st.questions[0]
    assert autosave(client, eid, q, {f"q{q.id}": "5", f"q{q.id}_sebelum": "1"}).status_code == 200
    assert submit_confirmed(client, eid).status_code == 303
    db.expire_all()
    second = impact.stored_score(db, eid)
    assert second is not None and second != first
    assert_score_consistent(db, eid)
    assert rating_row(db, eid).status == "submitted"
    assert db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "l3.reopen")).scalar_one() == 1


# --------------------------------------------------------------------------- the self-report


def test_self_report_arrival_recomputes_the_score(client, db):
    eid = demo_enrollment(db)  # the Puskesmas training asks for a self-report
    login(client, DEMO["supervisor"])
    rate_fully(client, db, eid, after=4, before=2)
    assert impact.stored_score(db, eid)[2] is None
    login(client, DEMO["employee"])
    assert f'href="/penerapan/diri/{eid}"' in client.get("/").text
    page = client.get(f"/penerapan/diri/{eid}")
    assert page.status_code == 200 and "Laporan penerapan" in page.text
    rate_fully(client, db, eid, after=5, before=3, role="diri")
    db.expire_all()
    score = impact.stored_score(db, eid)
    # A 75, C 50, S 100: 37.5 + 15 + 20 = 72.5
    assert score[:5] == (75.0, 50.0, 100.0, 72.5, "cukup_berdampak")
    assert_score_consistent(db, eid)
    # HR reopens the self-report: the score falls back to the renormalised one
    login(client, DEMO["hr"])
    rid = rating_row(db, eid, "self").id
    assert post(client, f"/penerapan/{rid}/buka-kembali", {"alasan": "Laporan diri terkirim sebelum selesai."}).status_code == 303
    db.expire_all()
    assert impact.stored_score(db, eid)[2:4] == (None, 65.6)
    assert_score_consistent(db, eid)


def test_self_report_before_the_supervisor_stores_no_score(db):
    eid = demo_enrollment(db)
    putri = emp_id(db, DEMO["employee"])
    ctx = svc.for_self(db, eid, putri)
    st = svc.structure_for(db, ctx)
    svc.save_many(db, ctx, st, complete(st), putri)
    assert svc.submit(db, svc.for_self(db, eid, putri), st, putri).status == "submitted"
    assert impact.stored_score(db, eid) is None and impact.expected_score(db, eid) is None


# --------------------------------------------------------------------------- Beranda and lists


def test_beranda_lists_the_due_rating_and_the_open_self_report(client, db):
    eid = demo_enrollment(db)
    login(client, DEMO["supervisor"])
    home = client.get("/").text
    assert f'href="/penerapan/atasan/{eid}"' in home
    assert "Putri Wulandari, A.Md. (Pelatihan Manajemen Puskesmas)" in text_of(home)
    login(client, DEMO["employee"])
    home = client.get("/").text
    assert f'href="/penerapan/diri/{eid}"' in home
    listing = client.get("/penerapan").text
    assert 'id="hasil-saya"' in listing  # her earlier training was rated already (demo)


def test_due_list_partial_renders_on_its_own(app, db):
    ratna = emp_id(db, DEMO["supervisor"])
    items = svc.due_ratings(db, ratna, clock.today())
    assert items
    env = app.template_engine.engine
    html = env.get_template("application/_due_list.html").render(due_ratings=items)
    assert "Putri Wulandari" in html and "/penerapan/atasan/" in html
    assert "Tidak ada penilaian" in env.get_template("application/_due_list.html").render(due_ratings=[])


# --------------------------------------------------------------------------- impact pages


def test_impact_page_runs_bounded_queries_whatever_the_number_of_participants(client, db, engine):
    today = clock.today()
    small = make_training(db, today - timedelta(days=100), nips=(DEMO["employee"],))
    nips = db.execute(select(Employee.nip).where(Employee.supervisor_id.is_not(None), Employee.is_active.is_(True)).limit(25)).scalars().all()
    big = make_training(db, today - timedelta(days=100), nips=nips)
    for case in (small, big):
        for nip, eid in list(case["enrollments"].items())[:10]:
            sup = db.execute(select(Employee.supervisor_id).where(Employee.nip == nip)).scalar_one()
            ctx = svc.for_supervisor(db, eid, sup)
            st = svc.structure_for(db, ctx)
            svc.save_many(db, ctx, st, complete(st, 3 + (eid % 3), 2), sup)
            svc.submit(db, svc.for_supervisor(db, eid, sup), st, sup)
    login(client, DEMO["hr"])
    counts = []
    for case in (small, big):
        client.get(f"/dampak/{case['training_id']}")  # warm caches
        with QueryCounter(engine) as qc:
            page = client.get(f"/dampak/{case['training_id']}")
        assert page.status_code == 200
        counts.append(qc.count)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts
    page = client.get(f"/dampak/{big['training_id']}").text
    assert "dinilai atasan / jatuh tempo" in page and "Mengatur antrean pasien" in page
    # the gap-closure section is a fragment of its own (htmx, on reveal), also bounded
    assert f'hx-get="/dampak/{big["training_id"]}/kompetensi"' in page
    hx = {"HX-Request": "true", "HX-Request-Type": "partial"}
    gap_counts = []
    for case in (small, big):
        with QueryCounter(engine) as qc:
            frag = client.get(f"/dampak/{case['training_id']}/kompetensi", headers=hx)
        assert frag.status_code == 200 and frag.text.lstrip().startswith('<div id="kesenjangan">')
        gap_counts.append(qc.count)
    assert gap_counts[0] == gap_counts[1] <= 6, gap_counts
    full = client.get(f"/dampak/{big['training_id']}/kompetensi")
    assert full.status_code == 200 and "<html" in full.text
    login(client, DEMO["supervisor"])
    assert client.get(f"/dampak/{big['training_id']}/kompetensi", headers=hx).status_code == 403


def test_hr_impact_index_lists_trainings_and_overdue_counts_per_unit(client, db, frozen):
    login(client, DEMO["hr"])
    page = client.get("/dampak")
    assert page.status_code == 200
    assert "Pelatihan Pelayanan Publik Prima" in page.text and 'id="terlambat-per-unit"' in page.text
    today = clock.today()
    units = {u.unit: u for u in impact.overdue_by_unit(db, today)}
    assert units and all(u.due + u.overdue > 0 for u in units.values())
    # move the clock past every window: the Puskesmas' due ratings become overdue
    later = frozen(today + timedelta(days=60))
    after = {u.unit: u for u in impact.overdue_by_unit(db, later)}
    assert after["UPTD Puskesmas Batu 10"].overdue >= 1
    login(client, DEMO["employee"])
    own = client.get("/dampak")
    assert own.status_code == 200 and "terlambat-per-unit" not in own.text


def _oracle_gap(db, training_id: int, before_id: int, after_id: int) -> dict[int, tuple[int, float, float]]:
    """Per trained competency: (n, mean before, mean after) from the raw assessments, with scoring.final_level."""
    from portal.models import Assessment, AssessmentItem

    subjects = set(db.execute(select(Enrollment.employee_id).where(Enrollment.training_id == training_id,
                                                                    Enrollment.status.in_(("attended", "completed")))).scalars())
    comps = set(db.execute(select(TrainingCompetency.competency_id).where(TrainingCompetency.training_id == training_id)).scalars())
    levels: dict[tuple[int, int, int, str], int] = {}
    for subject, cycle, role, comp, level in db.execute(
        select(Assessment.subject_id, Assessment.cycle_id, Assessment.rater_role, AssessmentItem.competency_id, AssessmentItem.level)
        .join(AssessmentItem, AssessmentItem.assessment_id == Assessment.id)
        .where(Assessment.status == "submitted", Assessment.cycle_id.in_((before_id, after_id)))
    ):
        if subject in subjects and comp in comps:
            levels[(subject, comp, cycle, role)] = level
    out: dict[int, list] = {}
    for subject in subjects:
        for comp in comps:
            fb = scoring.final_level(levels.get((subject, comp, before_id, "self")), levels.get((subject, comp, before_id, "supervisor")))
            fa = scoring.final_level(levels.get((subject, comp, after_id, "self")), levels.get((subject, comp, after_id, "supervisor")))
            if fb is not None and fa is not None:
                out.setdefault(comp, []).append((fb, fa))
    return {c: (len(v), sum(b for b, _ in v) / len(v), sum(a for _, a in v) / len(v)) for c, v in out.items()}


def test_gap_closure_equals_a_recount_with_the_akpk_final_level_rule(db):
    from portal.models import AssessmentCycle

    cycles = {c.name: c.id for c in db.execute(select(AssessmentCycle)).scalars()}
    for code in ("ELN-AKS-01", "PLT-PPP-01", "SEM-TI-01", "PLT-MPKM-01"):
        t = db.execute(select(Training).where(Training.code == code)).scalar_one()
        gap = impact.gap_closure(db, t.id, t.starts_on, t.ends_on)
        assert gap.available
        expected = _oracle_gap(db, t.id, cycles[gap.before_cycle], cycles[gap.after_cycle])
        for row in gap.rows:
            if row.competency_id in expected:
                n, mb, ma = expected[row.competency_id]
                assert (row.n, row.mean_before, row.mean_after) == (n, pytest.approx(mb), pytest.approx(ma)), code
            else:
                assert row.n == 0


def test_gap_closure_compares_the_cycles_around_the_training(db):
    tid = db.execute(select(Training.id).where(Training.code == "ELN-AKS-01")).scalar_one()
    t = db.get(Training, tid)
    gap = impact.gap_closure(db, tid, t.starts_on, t.ends_on)
    assert gap.available and gap.before_cycle.startswith("AKPK") and gap.after_cycle.startswith("AKPK")
    comps = db.execute(select(func.count()).select_from(TrainingCompetency).where(TrainingCompetency.training_id == tid)).scalar_one()
    assert len(gap.rows) == comps
    assert any(r.n > 0 for r in gap.rows)
    row = next(r for r in gap.rows if r.n)
    assert row.mean_change == pytest.approx(row.mean_after - row.mean_before)
    # one person: the levels of both cycles, per competency
    putri = emp_id(db, DEMO["employee"])
    mine = impact.gap_closure(db, tid, t.starts_on, t.ends_on, employee_id=putri)
    assert [r.competency_id for r in mine.rows] == [r.competency_id for r in gap.rows]


# --------------------------------------------------------------------------- recompute command and demo data


def test_scores_recompute_command_reports_changes(db, db_url, monkeypatch):
    from portal.cli import main

    eids = db.execute(select(ImpactScore.enrollment_id).order_by(ImpactScore.enrollment_id)).scalars().all()
    assert len(eids) >= 10
    db.execute(update(ImpactScore).where(ImpactScore.enrollment_id.in_(eids[:3])).values(impact_index=1.0, category="tidak_berdampak"))
    db.execute(ImpactScore.__table__.delete().where(ImpactScore.enrollment_id == eids[3]))
    db.commit()
    monkeypatch.setenv("PORTAL_DATABASE_URL", db_url)
    monkeypatch.setenv("PORTAL_ENV", "test")
    result = CliRunner().invoke(main, ["scores", "recompute", "--formula", "v1", "--batch-size", "7"])
    assert result.exit_code == 0, result.output
    assert f"{len(eids)} pendaftaran diperiksa, 3 berubah, 1 baru, {len(eids) - 4} tetap, 0 dihapus" in result.output
    db.expire_all()
    for eid in eids:
        assert impact.stored_score(db, eid) == impact.expected_score(db, eid)
    again = CliRunner().invoke(main, ["scores", "recompute"])
    assert "0 berubah, 0 baru" in again.output
    bad = CliRunner().invoke(main, ["scores", "recompute", "--formula", "v0"])
    assert bad.exit_code != 0 and "tidak dikenal" in bad.output


def test_demo_data_scores_equal_recomputation_and_the_journeys_are_ready(db):
    eids = db.execute(select(ImpactScore.enrollment_id)).scalars().all()
    assert len(eids) >= 30
    for eid in eids:
        assert impact.stored_score(db, eid) == impact.expected_score(db, eid)
    cats = set(db.execute(select(ImpactScore.category)).scalars())
    assert len(cats) >= 3
    assert db.execute(select(func.count()).select_from(ImpactScore).where(ImpactScore.self_score.is_not(None))).scalar_one() >= 3
    eid = demo_enrollment(db)
    assert rating_row(db, eid) is None  # the browser journey's rating is untouched
    ctx = svc.for_supervisor(db, eid, emp_id(db, DEMO["supervisor"]))
    assert ctx is not None and ctx.state(clock.today()) == "due"
    assert svc.for_self(db, eid, emp_id(db, DEMO["employee"])).state(clock.today()) == "due"
    qn = db.execute(select(Questionnaire).where(Questionnaire.title == demo_ratings.STANDARD_L3_TITLE)).scalar_one()
    assert (qn.purpose, qn.anonymous) == ("application", False)
    assert scoring.FORMULA_VERSION == "v1"


def test_the_impact_page_title_is_plain_text(client, db):
    """The page title names the training only (the method explanation is in the page body)."""
    import re as _re

    from portal.models import Training as _Training

    login(client, DEMO["hr"])
    training = db.execute(select(_Training).where(_Training.application_questionnaire_id.is_not(None)).order_by(_Training.id)).scalars().first()
    page = client.get(f"/dampak/{training.id}")
    title = _re.search(r"<title>(.*?)</title>", page.text, _re.S).group(1)
    assert "<" not in title and "Cara menghitung" not in title and training.title in title


def test_the_supervisors_work_list_has_unique_ids_with_soon_due_ratings(client, db):
    """/penerapan lists due and soon-due ratings with the same partial: the two lists have their own ids
    (a duplicate id was what the HTML checker found in the browser journeys)."""
    import re
    from collections import Counter

    login(client, DEMO["supervisor"])
    html = client.get("/penerapan").text
    assert "Segera jatuh tempo" in html, "the demo supervisor has soon-due ratings"
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert 'id="penilaian-penerapan"' in html and 'id="penilaian-segera"' in html
