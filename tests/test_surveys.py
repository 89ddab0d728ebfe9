"""Post-training surveys through HTTP (SQLite and PostgreSQL): the list, the form, autosave and
validation of every question kind, submit with confirmation, exactly once, windows, attributed
questionnaires, object-level access (IDOR sweep), HR attaching a questionnaire, and summaries that
equal a fresh recount after a random series of submissions."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from portal import clock
from portal.models import (
    Answer,
    AuditEvent,
    DraftAnswer,
    Employee,
    Questionnaire,
    SurveyDraft,
    SurveyInvitation,
    SurveyResponse,
    Training,
    TrainingSummary,
    TrainingSummaryValue,
)
from portal.services import questionnaires as qsvc
from portal.services import summaries, trainings
from portal.services import surveys as svc
from portal.services.trainings import enrollments
from tests.conftest import DEMO, login, post, text_of
from tests.rig import QueryCounter

# Participants of the demo training PLT-ANT-01 besides the demo employee (all have open invitations).
PEERS = ["198901302011011027", "199402242019031031", "199510302020122032"]

ALL_KINDS = (
    ("Materi", "materi", "likert5", "Materinya jelas.", True, {}),
    ("Materi", "relevansi", "likert5", "Kemampuan saya sebelum dan sesudah pelatihan.", True, {"retrospective": True}),
    ("Rekomendasi", "lainnya", "scale0_10", "Seberapa mungkin Anda merekomendasikan?", True, {}),
    ("Lain-lain", "lainnya", "single", "Bagaimana Anda mengikuti pelatihan?", True, {"options": ["Tatap muka", "Daring", "Campuran"]}),
    ("Lain-lain", "lainnya", "multi", "Bagian mana yang paling berguna?", False, {"options": ["Teori", "Praktik", "Diskusi", "Studi kasus"]}),
    ("Lain-lain", "lainnya", "text", "Saran Anda?", True, {"max_length": 50}),
)


# --------------------------------------------------------------------------- helpers shared by the survey tests


def make_questionnaire(db, spec=ALL_KINDS, *, anonymous: bool = True, title: str = "Survei uji") -> int:
    qid = qsvc.create_questionnaire(db, None, qsvc.QuestionnaireForm(title=title, purpose="reaction", anonymous=anonymous))
    for section, dimension, kind, text, required, extra in spec:
        form = qsvc.QuestionForm(
            section=section,
            text=text,
            kind=kind,
            required=required,
            dimension=dimension,
            options_text="\n".join(extra.get("options", [])),
            max_length=str(extra.get("max_length", "")),
            retrospective=bool(extra.get("retrospective")),
        )
        qsvc.add_question(db, None, qid, form)
    return qid


def make_survey(
    db,
    nips=(DEMO["employee"],),
    *,
    anonymous: bool = True,
    spec=ALL_KINDS,
    opens: date | None = None,
    closes: date | None = None,
    code: str | None = None,
) -> dict:
    """A new training (ended yesterday) with attended enrollments for `nips`, a questionnaire, invitations."""
    today = clock.today()
    qid = make_questionnaire(db, spec, anonymous=anonymous)
    n = db.execute(select(func.count()).select_from(Training)).scalar_one()
    t = Training(
        code=code or f"UJI-{n + 1}",
        title=f"Pelatihan Uji {n + 1}",
        kind="pelatihan",
        mode="klasikal",
        starts_on=today - timedelta(days=2),
        ends_on=today - timedelta(days=1),
        jp=8,
    )
    db.add(t)
    db.flush()
    emp = dict(db.execute(select(Employee.nip, Employee.id).where(Employee.nip.in_(list(nips)))).all())
    for nip in nips:
        enrollments.enrol(db, t.id, emp[nip], status="attended")
    db.commit()
    opens = opens or today - timedelta(days=1)
    result = trainings.attach(db, None, t.id, qid, opens, closes or today + timedelta(days=13), today=min(opens, today))
    assert result.ok, result.errors
    inv = dict(
        db.execute(
            select(Employee.nip, SurveyInvitation.id)
            .join(Employee, Employee.id == SurveyInvitation.employee_id)
            .where(SurveyInvitation.training_id == t.id)
        ).all()
    )
    return {
        "training_id": t.id,
        "questionnaire_id": qid,
        "invitations": inv,
        "structure": qsvc.load_structure(db, qid),
        "employees": emp,
    }


def complete_answers(structure) -> dict:
    """A valid posted answer for every question."""
    data: dict = {}
    for q in structure.questions:
        if q.kind == "likert5":
            data[f"q{q.id}"] = "4"
            if q.retrospective:
                data[f"q{q.id}_sebelum"] = "2"
        elif q.kind == "scale0_10":
            data[f"q{q.id}"] = "9"
        elif q.kind == "single":
            data[f"q{q.id}"] = "1"
        elif q.kind == "multi":
            data[f"q{q.id}"] = ["0", "2"]
        else:
            data[f"q{q.id}"] = "Sesi praktik ditambah."
    return data


def autosave(client, inv_id: int, q, value):
    data = value if isinstance(value, dict) else {f"q{q.id}": value}
    return post(client, f"/survei/{inv_id}/jawaban/{q.id}", data, htmx=True)


def fill_all(client, inv_id: int, structure) -> None:
    answers = complete_answers(structure)
    for q in structure.questions:
        data = {k: v for k, v in answers.items() if k in (f"q{q.id}", f"q{q.id}_sebelum")}
        resp = autosave(client, inv_id, q, data)
        assert resp.status_code == 200, resp.text


def submit(client, inv_id: int, confirmed: bool = True):
    """Submit as the browser does: "Kirim" gives the confirmation page, whose form (with the anonymity
    the person read) is then posted. Returns the first answer that is not the confirmation page."""
    first = _to_receipt(client, inv_id, post(client, f"/survei/{inv_id}/kirim", {}))
    if not confirmed or 'name="konfirmasi"' not in first.text:
        return first
    seen = re.search(r'name="anonim" value="([01])"', first.text)
    assert seen, "the confirmation page states the anonymity it asks the person to confirm"
    return _to_receipt(client, inv_id, post(client, f"/survei/{inv_id}/kirim", {"konfirmasi": "ya", "anonim": seen.group(1)}))


def _to_receipt(client, inv_id: int, resp):
    """POST-redirect-GET: a done submit answers 303 to the receipt page, which the browser then loads."""
    if resp.status_code != 303:
        return resp
    assert re.fullmatch(rf"/survei/{inv_id}/tanda-terima(\?ulang=1)?", resp.headers["location"]), resp.headers["location"]
    return client.get(resp.headers["location"])


def draft_values(db, inv_id: int) -> dict:
    db.expire_all()
    return {
        r[0]: (r[1], r[2], r[3])
        for r in db.execute(
            select(DraftAnswer.question_id, DraftAnswer.value_num, DraftAnswer.value_before, DraftAnswer.value_text)
            .join(SurveyDraft, SurveyDraft.id == DraftAnswer.draft_id)
            .where(SurveyDraft.invitation_id == inv_id)
        )
    }


def demo_invitation(db, nip: str = DEMO["employee"], code: str = "PLT-ANT-01") -> int:
    return db.execute(
        select(SurveyInvitation.id)
        .join(Training, Training.id == SurveyInvitation.training_id)
        .join(Employee, Employee.id == SurveyInvitation.employee_id)
        .where(Training.code == code, Employee.nip == nip)
    ).scalar_one()


# --------------------------------------------------------------------------- list and form


def test_list_groups_pending_in_progress_and_submitted_with_deadlines(client, db):
    login(client, DEMO["employee"])
    page = client.get("/survei")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Perlu diisi" in text and "Sudah dikirim" in text
    assert "Pelatihan Manajemen Antrean Pelayanan" in text
    assert "Pelatihan Komunikasi Efektif dan Penanganan Keluhan Pasien" in text
    assert "Sedang diisi" in text and "Belum mulai" in text
    assert re.search(r"batas \d{1,2} \w+ \d{4}", text)
    # the older trainings' surveys were closed (demo employee never answers in the demo data)
    assert "Ditutup tanpa jawaban" in text


def test_form_renders_every_kind_as_fieldset_with_labels(client, db):
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    page = client.get(f"/survei/{inv}")
    assert page.status_code == 200
    html = page.text
    for q in s["structure"].questions:
        assert f'id="pertanyaan-{q.id}"' in html
        assert f'id="q-{q.id}"' in html, "the first input of each question has id q-<id> (error summary target)"
        assert f'hx-post="/survei/{inv}/jawaban/{q.id}"' in html
    assert html.count("<legend>") >= len(s["structure"].questions)
    for label in qsvc.LIKERT_LABELS:
        assert label in html
    assert "Tatap muka" in html and "Studi kasus" in html
    assert "Maksimal 50 karakter" in html
    assert "Sebelum pelatihan" in html and "Sesudah pelatihan" in html
    assert 'name="q' in html and 'form="jawaban"' in html


def test_survey_page_runs_bounded_queries_independent_of_question_count(client, db, engine):
    small = make_survey(db, spec=ALL_KINDS[:1])
    big_spec = tuple(("Bagian", "materi", "likert5", f"Pertanyaan {i}", True, {}) for i in range(30))
    big = make_survey(db, spec=big_spec)
    login(client, DEMO["employee"])
    counts = []
    for s in (small, big):
        inv = s["invitations"][DEMO["employee"]]
        client.get(f"/survei/{inv}")  # warm the per-revision cache
        fill = complete_answers(s["structure"])
        for q in s["structure"].questions[:5]:
            autosave(client, inv, q, fill[f"q{q.id}"])
        with QueryCounter(engine) as qc:
            assert client.get(f"/survei/{inv}").status_code == 200
        counts.append(len(qc.statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 3, counts  # session lookup + invitation-with-draft-answers (+ a session touch)


# --------------------------------------------------------------------------- autosave and validation


def test_autosave_valid_answers_upserts_one_row_each(client, db):
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    qs = s["structure"].questions
    login(client, DEMO["employee"])
    resp = autosave(client, inv, qs[0], "4")
    assert resp.status_code == 200
    assert "Tersimpan" in resp.text and "WIB" in resp.text
    assert 'hx-target="#progress"' in resp.text and "1 dari 6 pertanyaan terjawab" in resp.text
    assert draft_values(db, inv)[qs[0].id] == (4, None, None)
    resp = autosave(client, inv, qs[0], "5")  # update, not a second row
    assert resp.status_code == 200
    assert draft_values(db, inv)[qs[0].id] == (5, None, None)
    assert db.execute(select(func.count()).select_from(DraftAnswer)).scalar_one() >= 1
    assert db.execute(select(SurveyInvitation.status).where(SurveyInvitation.id == inv)).scalar_one() == "draft"
    # every kind
    fill_all(client, inv, s["structure"])
    values = draft_values(db, inv)
    assert values[qs[1].id] == (4, 2, None)
    assert values[qs[2].id] == (9, None, None)
    assert values[qs[3].id] == (1, None, None)
    assert values[qs[4].id] == (None, None, "0,2")
    assert values[qs[5].id] == (None, None, "Sesi praktik ditambah.")
    # clearing a text answer removes it
    assert autosave(client, inv, qs[5], "   ").status_code == 200
    assert qs[5].id not in draft_values(db, inv)


INVALID = [
    (0, {"v": "0"}),
    (0, {"v": "6"}),
    (0, {"v": "abc"}),
    (0, {"v": "3.5"}),
    (0, {"v": ["2", "3"]}),
    (1, {"v": "3", "before": "6"}),
    (2, {"v": "11"}),
    (2, {"v": "-1"}),
    (3, {"v": "3"}),  # only 3 options: 0..2
    (3, {"v": "x"}),
    (4, {"v": ["0", "9"]}),
    (4, {"v": ["1", "satu"]}),
    (5, {"v": "x" * 51}),
]


def test_autosave_refuses_invalid_values_of_every_kind_and_saves_nothing(client, db):
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    qs = s["structure"].questions
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    before = draft_values(db, inv)
    for index, case in INVALID:
        q = qs[index]
        data = {f"q{q.id}": case["v"]}
        if "before" in case:
            data[f"q{q.id}_sebelum"] = case["before"]
        resp = autosave(client, inv, q, data)
        assert resp.status_code == 422, (index, case, resp.text)
        assert "is-error" in resp.text and "Belum tersimpan" in resp.text
        # the error goes next to the question
        assert f'hx-target="#q-{q.id}-error"' in resp.text
        assert f'<p class="error-message" id="q-{q.id}-error">' in resp.text
        assert draft_values(db, inv) == before, f"an invalid value was saved: {case}"
    over = autosave(client, inv, qs[5], "x" * 51)
    assert "Jawaban terlalu panjang: 51 karakter. Maksimal 50 karakter." in over.text
    unknown = autosave(client, inv, qs[3], "7")
    assert "Pilihan tidak dikenal" in unknown.text


def test_autosave_to_a_question_of_another_questionnaire_is_404(client, db):
    s = make_survey(db)
    other = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    q = other["structure"].questions[0]
    assert autosave(client, inv, q, "3").status_code == 404


# --------------------------------------------------------------------------- submit


def test_submit_with_missing_required_shows_error_summary_linking_each_field(client, db):
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    qs = s["structure"].questions
    login(client, DEMO["employee"])
    autosave(client, inv, qs[0], "3")
    resp = submit(client, inv, confirmed=False)
    assert resp.status_code == 422
    html = resp.text
    assert 'class="error-summary"' in html
    required_missing = [q for q in qs[1:] if q.required]
    for q in required_missing:
        assert f'href="#q-{q.id}"' in html, f"summary must link to question {q.number}"
        assert re.search(rf'<p class="error-message" id="q-{q.id}-error"><span class="visually-hidden">', html)
        assert re.search(rf'class="[^"]*has-error[^"]*" id="pertanyaan-{q.id}"', html)
    assert f'href="#q-{qs[4].id}"' not in html  # optional
    assert 'checked' in html.split(f'id="pertanyaan-{qs[0].id}"')[1].split("</fieldset>")[0]
    assert "Pilih jawaban untuk sebelum dan sesudah pelatihan." in html
    assert db.execute(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.training_id == s["training_id"])).scalar_one() == 0
    # confirming anyway is refused the same way
    resp = submit(client, inv, confirmed=True)
    assert resp.status_code == 422 and 'class="error-summary"' in resp.text


def test_no_javascript_submit_saves_posted_answers_then_asks_for_confirmation(client, db):
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    data = complete_answers(s["structure"])
    resp = post(client, f"/survei/{inv}/kirim", data)
    assert resp.status_code == 200, resp.text
    assert "Kirim survei sekarang?" in resp.text and "Ya, kirim jawaban" in resp.text
    assert len(draft_values(db, inv)) == len(s["structure"].questions)
    assert db.execute(select(SurveyInvitation.status).where(SurveyInvitation.id == inv)).scalar_one() == "draft"


def test_submit_creates_one_response_receipt_and_deletes_the_draft(client, db):
    """One response, the draft gone, and the receipt at a URL of its own (POST-redirect-GET)."""
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    resp = submit(client, inv)
    assert resp.status_code == 200
    text = text_of(resp.text)
    assert "Terima kasih" in text
    code = svc.receipt_code(client.app.state.settings.secret_key, inv)
    assert code in text
    assert "Tanggal pengiriman survei anonim sengaja tidak disimpan" in text
    db.expire_all()
    assert db.execute(select(SurveyInvitation.status).where(SurveyInvitation.id == inv)).scalar_one() == "submitted"
    assert db.execute(select(func.count()).select_from(SurveyDraft).where(SurveyDraft.invitation_id == inv)).scalar_one() == 0
    responses = db.execute(select(SurveyResponse).where(SurveyResponse.training_id == s["training_id"])).scalars().all()
    assert len(responses) == 1
    answers = db.execute(select(func.count()).select_from(Answer).where(Answer.response_id == responses[0].id)).scalar_one()
    assert answers == len(s["structure"].questions)
    assert db.execute(select(Questionnaire.locked).where(Questionnaire.id == s["questionnaire_id"])).scalar_one()
    # a retry / double click / second tab gets the receipt again, never a second response
    again = submit(client, inv)
    assert again.status_code == 200 and "sudah terkirim sebelumnya" in again.text
    assert db.execute(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.training_id == s["training_id"])).scalar_one() == 1
    # the receipt is a page of its own (POST-redirect-GET): reloading it, or opening the submit URL
    # from history, shows where the survey stands and never posts again
    reload = client.get(f"/survei/{inv}/tanda-terima")
    assert reload.status_code == 200 and code in reload.text and "sudah terkirim sebelumnya" not in reload.text
    by_hand = client.get(f"/survei/{inv}/kirim", follow_redirects=False)
    assert by_hand.status_code == 303 and by_hand.headers["location"] == f"/survei/{inv}"
    # the form is gone; autosave is refused
    page = client.get(f"/survei/{inv}")
    assert "Terima kasih" in page.text and 'name="q' not in page.text
    late = autosave(client, inv, s["structure"].questions[0], "1")
    assert late.status_code == 409 and "sudah dikirim" in late.text


def test_submit_after_window_closed_is_refused_and_draft_stays(client, db):
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    before = draft_values(db, inv)
    db.execute(update(SurveyInvitation).where(SurveyInvitation.id == inv).values(closes_on=clock.today() - timedelta(days=1)))
    db.commit()
    resp = submit(client, inv)
    assert resp.status_code == 409
    assert "Survei sudah ditutup" in resp.text and "draf Anda tidak dihapus" in resp.text
    assert draft_values(db, inv) == before
    assert db.execute(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.training_id == s["training_id"])).scalar_one() == 0
    assert autosave(client, inv, s["structure"].questions[0], "2").status_code == 409
    assert draft_values(db, inv) == before


def test_survey_not_yet_open(client, db):
    today = clock.today()
    s = make_survey(db, opens=today + timedelta(days=3), closes=today + timedelta(days=10))
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    page = client.get(f"/survei/{inv}")
    assert page.status_code == 200 and "Survei belum dibuka" in page.text
    assert autosave(client, inv, s["structure"].questions[0], "2").status_code == 409
    assert "Akan dibuka" in client.get("/survei").text


def test_survey_page_reads_while_another_connection_holds_the_write_lock(client, db, engine, backend):
    """The form is read without writing (on SQLite right on the event loop, portal.web.core.run_read):
    a writer holding the lock does not hold up a participant opening the survey."""
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    assert autosave(client, inv, s["structure"].questions[0], "4").status_code == 200
    with engine.connect() as writer:
        if backend == "sqlite":
            writer.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            writer.execute(select(SurveyInvitation.id).where(SurveyInvitation.id == inv).with_for_update())
        page = client.get(f"/survei/{inv}")
        writer.rollback()
    assert page.status_code == 200
    assert 'name="jawaban"' not in page.text and 'id="jawaban"' in page.text
    assert re.search(rf'name="q{s["structure"].questions[0].id}" value="4"[^>]*checked', page.text)
    assert "1 dari" in text_of(page.text)


def test_status_page_hands_over_a_pending_flash_once(client, db):
    """The status page of a submitted survey (read through run_read) still shows the session's one-shot
    message and clears it."""
    from portal import security
    from portal.models import UserSession
    from portal.services import accounts

    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    assert submit(client, inv).status_code == 200
    key = security.session_key(client.cookies.get("portal_session"))
    accounts.set_flash(db, key, "Pesan uji sekali tampil", "info")
    db.commit()
    first = client.get(f"/survei/{inv}")
    assert first.status_code == 200 and "Terima kasih" in first.text
    assert "Pesan uji sekali tampil" in first.text
    db.expire_all()
    assert db.execute(select(UserSession.flash).where(UserSession.id == key)).scalar_one() is None
    assert "Pesan uji sekali tampil" not in client.get(f"/survei/{inv}").text


def test_attributed_questionnaire_keeps_the_link(client, db):
    s = make_survey(db, anonymous=False)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    assert "Tidak anonim" in client.get(f"/survei/{inv}").text
    fill_all(client, inv, s["structure"])
    assert submit(client, inv).status_code == 200
    db.expire_all()
    response = db.execute(select(SurveyResponse).where(SurveyResponse.training_id == s["training_id"])).scalar_one()
    assert response.respondent_id == s["employees"][DEMO["employee"]]
    assert response.invitation_id == inv
    assert response.submitted_at is not None
    assert db.execute(select(SurveyInvitation.submitted_at).where(SurveyInvitation.id == inv)).scalar_one() is not None
    assert db.execute(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "survey.submit", AuditEvent.target == f"invitation:{inv}")
    ).scalar_one() == 1


# --------------------------------------------------------------------------- object-level access


def test_idor_sweep_over_every_survey_route(client, db):
    s = make_survey(db, nips=(DEMO["employee"], PEERS[0]))
    victim = s["invitations"][DEMO["employee"]]
    q = s["structure"].questions[0]
    login(client, DEMO["employee"])
    autosave(client, victim, q, "5")
    before = draft_values(db, victim)
    for attacker in (PEERS[0], DEMO["hr"], DEMO["supervisor"]):
        login(client, attacker)
        assert client.get(f"/survei/{victim}").status_code == 404
        assert autosave(client, victim, q, "1").status_code == 404
        assert post(client, f"/survei/{victim}/kirim", complete_answers(s["structure"])).status_code == 404
        assert submit(client, victim).status_code == 404
        assert "Pelatihan Uji" not in client.get("/survei").text or attacker == PEERS[0]
    assert draft_values(db, victim) == before
    assert db.execute(select(SurveyInvitation.status).where(SurveyInvitation.id == victim)).scalar_one() == "draft"
    # an id that does not exist looks the same
    login(client, DEMO["employee"])
    assert client.get("/survei/999999").status_code == 404
    assert post(client, "/survei/999999/kirim", {"konfirmasi": "ya"}).status_code == 404


def test_employee_not_enrolled_as_attended_gets_404(client, db):
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    enrollments.update_enrollment(db, s["training_id"], s["employees"][DEMO["employee"]], status="absent")
    db.commit()
    login(client, DEMO["employee"])
    assert client.get(f"/survei/{inv}").status_code == 404
    assert autosave(client, inv, s["structure"].questions[0], "3").status_code == 404
    assert submit(client, inv).status_code == 404
    assert f"/survei/{inv}" not in client.get("/survei").text


# --------------------------------------------------------------------------- HR: attach to a training


def test_hr_attaches_questionnaire_and_invites_attended_participants_only(client, db):
    today = clock.today()
    t = Training(code="UJI-ATT", title="Pelatihan Absensi", kind="pelatihan", mode="klasikal", starts_on=today - timedelta(days=3), ends_on=today - timedelta(days=2))
    db.add(t)
    db.flush()
    ids = db.execute(select(Employee.id).order_by(Employee.id).limit(4)).scalars().all()
    for emp_id, status in zip(ids, ("attended", "completed", "absent", "registered"), strict=True):
        enrollments.enrol(db, t.id, emp_id, status=status)
    db.commit()
    login(client, DEMO["hr"])
    page = client.get(f"/pelatihan/{t.id}/survei")
    assert page.status_code == 200
    assert f'value="{(t.ends_on).isoformat()}"' in page.text
    assert f'value="{(t.ends_on + timedelta(days=14)).isoformat()}"' in page.text
    std = qsvc.standard_l1_id(db)
    bad = post(client, f"/pelatihan/{t.id}/survei", {"questionnaire_id": str(std), "opens_on": "2026-12-10", "closes_on": "2026-12-01"})
    assert bad.status_code == 422 and 'href="#closes_on"' in bad.text
    ok = post(client, f"/pelatihan/{t.id}/survei", {"questionnaire_id": str(std), "opens_on": t.ends_on.isoformat(), "closes_on": (t.ends_on + timedelta(days=14)).isoformat()})
    assert ok.status_code == 303
    invited = set(db.execute(select(SurveyInvitation.employee_id).where(SurveyInvitation.training_id == t.id)).scalars())
    assert invited == set(ids[:2])
    # idempotent
    post(client, f"/pelatihan/{t.id}/survei", {"questionnaire_id": str(std), "opens_on": t.ends_on.isoformat(), "closes_on": (t.ends_on + timedelta(days=14)).isoformat()})
    assert db.execute(select(func.count()).select_from(SurveyInvitation).where(SurveyInvitation.training_id == t.id)).scalar_one() == 2
    # attendance corrected: absent loses the invitation, newly attended gains one
    enrollments.update_enrollment(db, t.id, ids[0], status="absent")
    enrollments.update_enrollment(db, t.id, ids[3], status="attended")
    db.commit()
    post(client, f"/pelatihan/{t.id}/survei", {"questionnaire_id": str(std), "opens_on": t.ends_on.isoformat(), "closes_on": (t.ends_on + timedelta(days=14)).isoformat()})
    db.expire_all()
    invited = set(db.execute(select(SurveyInvitation.employee_id).where(SurveyInvitation.training_id == t.id)).scalars())
    assert invited == {ids[1], ids[3]}
    listing = client.get(f"/pelatihan?tahun={t.starts_on.year}")  # the list is per year (early January: last year's)
    assert listing.status_code == 200 and "Pelatihan Absensi" in listing.text


def test_questionnaire_of_a_training_with_responses_cannot_be_swapped(client, db):
    s = make_survey(db, nips=(DEMO["employee"],))
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    submit(client, inv)
    login(client, DEMO["hr"])
    std = qsvc.standard_l1_id(db)
    today = clock.today()
    window = {"opens_on": today.isoformat(), "closes_on": (today + timedelta(days=9)).isoformat()}
    resp = post(client, f"/pelatihan/{s['training_id']}/survei", {"questionnaire_id": str(std), **window})
    assert resp.status_code == 422 and "tidak dapat diganti" in resp.text


def test_survey_routes_for_hr_are_guarded(client):
    login(client, DEMO["employee"])
    for url in ("/pelatihan", "/pelatihan/1/survei"):
        assert client.get(url).status_code == 403
    assert post(client, "/pelatihan/1/survei", {"questionnaire_id": "1"}).status_code == 403


# --------------------------------------------------------------------------- summaries


def _per_question(both: tuple[dict, dict]) -> tuple[dict, dict]:
    cells, counts = both
    return {q: c for (_t, q), c in cells.items()}, {(q, v): n for (_t, q, v), n in counts.items()}


def stored_summary(db, training_id: int) -> tuple[dict, dict]:
    """The answers summary of one training as stored: ({question: cell}, {(question, value): count})."""
    return _per_question(summaries.answers.stored(db, training_id))


def recounted_summary(db, training_id: int) -> tuple[dict, dict]:
    return _per_question(summaries.answers.recount(db, training_id))


def _expected(structure, sets) -> tuple[dict, dict]:
    totals: dict = {}
    counts: dict = {}
    for data in sets:
        for q in structure.questions:
            raw = data.get(f"q{q.id}")
            if raw in (None, "", []):
                continue
            t = totals.setdefault(q.id, [0, 0, 0, 0])
            t[0] += 1
            if q.kind in ("likert5", "scale0_10"):
                t[1] += int(raw)
                counts[(q.id, str(raw))] = counts.get((q.id, str(raw)), 0) + 1
                if q.retrospective:
                    t[2] += 1
                    t[3] += int(data[f"q{q.id}_sebelum"])
            elif q.kind == "single":
                counts[(q.id, str(raw))] = counts.get((q.id, str(raw)), 0) + 1
            elif q.kind == "multi":
                picked = sorted(set(raw))
                t[1] += len(picked)
                for v in picked:
                    counts[(q.id, v)] = counts.get((q.id, v), 0) + 1
    return {k: tuple(v) for k, v in totals.items()}, counts


def _answer_set(structure):
    parts = {}
    for q in structure.questions:
        if q.kind == "likert5":
            parts[f"q{q.id}"] = st.integers(1, 5).map(str)
            if q.retrospective:
                parts[f"q{q.id}_sebelum"] = st.integers(1, 5).map(str)
        elif q.kind == "scale0_10":
            parts[f"q{q.id}"] = st.integers(0, 10).map(str)
        elif q.kind == "single":
            parts[f"q{q.id}"] = st.integers(0, len(q.options) - 1).map(str)
        elif q.kind == "multi":
            parts[f"q{q.id}"] = st.lists(st.integers(0, len(q.options) - 1).map(str), max_size=4, unique=True)
        else:
            parts[f"q{q.id}"] = st.text(alphabet="abc ", min_size=1, max_size=20).filter(lambda s: s.strip())
    return st.fixed_dictionaries(parts)


def test_summaries_equal_a_fresh_recount_after_random_submissions(db, backend):
    # one questionnaire; each example is a new training with its own participants
    probe = make_survey(db, nips=())
    structure = probe["structure"]
    nips = db.execute(select(Employee.nip).order_by(Employee.id).limit(6)).scalars().all()
    counter = iter(range(10_000))

    @hsettings(max_examples=8 if backend == "postgresql" else 15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(sets=st.lists(_answer_set(structure), min_size=1, max_size=len(nips)))
    def run(sets):
        today = clock.today()
        t = Training(code=f"SUM-{next(counter)}", title="Ringkasan", kind="pelatihan", mode="klasikal", starts_on=today, ends_on=today)
        db.add(t)
        db.flush()
        emp = db.execute(select(Employee.id).where(Employee.nip.in_(nips[: len(sets)]))).scalars().all()
        for e in emp:
            enrollments.enrol(db, t.id, e, status="completed")
        db.commit()
        assert trainings.attach(db, None, t.id, probe["questionnaire_id"], today, today + timedelta(days=3), today=today).ok
        invs = db.execute(select(SurveyInvitation.id, SurveyInvitation.employee_id).where(SurveyInvitation.training_id == t.id)).all()
        for (inv_id, emp_id), data in zip(invs, sets, strict=False):
            inv = svc.load_invitation(db, inv_id, emp_id)[0]
            assert svc.save_many(db, inv, structure, data) == {}
            assert svc.submit(db, inv_id, emp_id, today, anonymous=structure.anonymous).status == "submitted"
        stored = stored_summary(db, t.id)
        assert stored == recounted_summary(db, t.id)
        assert stored == _expected(structure, sets[: len(invs)])

    run()


def test_summary_rows_are_stored_per_training_and_question(db):
    s = make_survey(db, nips=(DEMO["employee"], PEERS[0]))
    today = clock.today()
    for nip in (DEMO["employee"], PEERS[0]):
        inv_id = s["invitations"][nip]
        inv = svc.load_invitation(db, inv_id, s["employees"][nip])[0]
        svc.save_many(db, inv, s["structure"], complete_answers(s["structure"]))
        assert svc.submit(db, inv_id, s["employees"][nip], today, anonymous=True).status == "submitted"
    q0 = s["structure"].questions[0]
    row = db.execute(select(TrainingSummary).where(TrainingSummary.training_id == s["training_id"], TrainingSummary.question_id == q0.id)).scalar_one()
    assert (row.n, row.total) == (2, 8)
    count = db.execute(
        select(TrainingSummaryValue.count).where(
            TrainingSummaryValue.training_id == s["training_id"], TrainingSummaryValue.question_id == q0.id, TrainingSummaryValue.value == "4"
        )
    ).scalar_one()
    assert count == 2


def test_demo_data_has_responses_small_groups_and_open_surveys_for_the_demo_employee(db):
    per_training = dict(db.execute(select(SurveyResponse.training_id, func.count()).group_by(SurveyResponse.training_id)).all())
    assert sum(per_training.values()) >= 50
    assert any(0 < n < 5 for n in per_training.values()), "some trainings have fewer than 5 responses"
    assert any(n >= 10 for n in per_training.values())
    for tid in per_training:
        assert stored_summary(db, tid) == recounted_summary(db, tid)
    today = clock.today()
    open_for_demo = db.execute(
        select(func.count())
        .select_from(SurveyInvitation)
        .join(Employee, Employee.id == SurveyInvitation.employee_id)
        .where(
            Employee.nip == DEMO["employee"],
            SurveyInvitation.status != "submitted",
            SurveyInvitation.opens_on <= today,
            SurveyInvitation.closes_on >= today,
        )
    ).scalar_one()
    assert open_for_demo >= 2
    assert db.execute(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.respondent_id.is_not(None))).scalar_one() == 0


@pytest.mark.parametrize("nip", [DEMO["employee"]])
def test_beranda_task_links_to_the_open_survey(client, db, nip):
    login(client, nip)
    inv = demo_invitation(db)
    assert f'href="/survei/{inv}"' in client.get("/").text
