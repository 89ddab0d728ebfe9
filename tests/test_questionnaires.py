"""The HR questionnaire builder (SQLite and PostgreSQL): create, questions of every kind, validation,
reorder through htmx, preview, locking once a response exists, and copying into a new version."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.models import Answer, DraftAnswer, Question, Questionnaire, SurveyResponse
from portal.services import questionnaires as qsvc
from tests.conftest import DEMO, login, post, text_of
from tests.test_surveys import (
    ALL_KINDS,
    PEERS,
    autosave,
    complete_answers,
    fill_all,
    make_questionnaire,
    make_survey,
    submit,
)


def _order(db, qid: int) -> list[int]:
    db.expire_all()
    return list(db.execute(select(Question.id).where(Question.questionnaire_id == qid).order_by(Question.position)).scalars())


def _new(client, title: str = "Kuesioner Baru") -> int:
    resp = post(client, "/kuesioner/baru", {"title": title, "purpose": "reaction", "anonymous": "1"})
    assert resp.status_code == 303, resp.text
    return int(resp.headers["location"].rsplit("/", 1)[1])


def _add(client, qid: int, **fields) -> object:
    data = {"section": "Umum", "kind": "likert5", "dimension": "materi"} | fields
    return post(client, f"/kuesioner/{qid}/pertanyaan", data)


def test_builder_is_for_hr_only(client):
    login(client, DEMO["employee"])
    for url in ("/kuesioner", "/kuesioner/baru", "/kuesioner/1", "/kuesioner/1/pratinjau"):
        assert client.get(url).status_code == 403, url
    assert post(client, "/kuesioner/baru", {"title": "x"}).status_code == 403
    assert post(client, "/kuesioner/1/salin").status_code == 403


def test_standard_l1_questionnaire_is_seeded(db, client):
    qid = qsvc.standard_l1_id(db)
    s = qsvc.load_structure(db, qid)
    assert s.anonymous and s.purpose == "reaction"
    likert = [q for q in s.questions if q.kind == "likert5"]
    assert 12 <= len(likert) <= 18
    assert {q.dimension for q in likert} == {"materi", "fasilitator", "sarana", "penyelenggaraan", "relevansi"}
    assert [q.kind for q in s.questions].count("scale0_10") == 1
    texts = [q for q in s.questions if q.kind == "text"]
    assert len(texts) == 2 and all(q.max_length for q in texts)
    login(client, DEMO["hr"])
    page = client.get("/kuesioner")
    assert page.status_code == 200 and qsvc.STANDARD_L1_TITLE in page.text


def test_create_questionnaire_with_every_kind_and_preview(client, db):
    login(client, DEMO["hr"])
    missing = post(client, "/kuesioner/baru", {"title": "", "purpose": "reaction"})
    assert missing.status_code == 422 and 'href="#title"' in missing.text
    qid = _new(client)
    assert not db.execute(select(Questionnaire.locked).where(Questionnaire.id == qid)).scalar_one()
    for section, dimension, kind, text, required, extra in ALL_KINDS:
        data = {"section": section, "dimension": dimension, "kind": kind, "text": text, "options": "\n".join(extra.get("options", []))}
        if required:
            data["required"] = "1"
        if extra.get("max_length"):
            data["max_length"] = str(extra["max_length"])
        if extra.get("retrospective"):
            data["retrospective"] = "1"
        assert _add(client, qid, **data).status_code == 303
    s = qsvc.load_structure(db, qid)
    assert [q.kind for q in s.questions] == [k[2] for k in ALL_KINDS]
    assert s.questions[1].retrospective and s.questions[3].options == ("Tatap muka", "Daring", "Campuran")
    assert s.questions[5].max_length == 50 and not s.questions[4].required
    edit = client.get(f"/kuesioner/{qid}")
    assert edit.status_code == 200 and "Tambah pertanyaan" in edit.text
    preview = client.get(f"/kuesioner/{qid}/pratinjau")
    assert preview.status_code == 200
    assert "Pratinjau" in preview.text and "Sangat tidak setuju" in preview.text and "Studi kasus" in preview.text
    assert "/jawaban/" not in preview.text, "the preview never saves"
    for q in s.questions:
        assert f'id="pertanyaan-{q.id}"' in preview.text


def test_question_form_validation(client, db):
    login(client, DEMO["hr"])
    qid = _new(client)
    cases = [
        ({"text": ""}, "Isi teks pertanyaan."),
        ({"text": "Pilih satu", "kind": "single", "options": "Hanya satu"}, "paling sedikit dua pilihan"),
        ({"text": "Pilih", "kind": "multi", "options": "A\na"}, "pilihan yang sama"),
        ({"text": "Saran", "kind": "text", "max_length": "5"}, "Batas karakter"),
        ({"text": "Saran", "kind": "text", "retrospective": "1"}, "sebelum/sesudah"),
        ({"text": "X", "kind": "essay"}, "Pilih jenis pertanyaan."),
        ({"text": "X", "dimension": "rahasia"}, "Pilih dimensi."),
    ]
    for data, message in cases:
        resp = _add(client, qid, **data)
        assert resp.status_code == 422, data
        assert message in resp.text, (data, text_of(resp.text)[:500])
        assert 'class="error-summary"' in resp.text
    assert db.execute(select(func.count()).select_from(Question).where(Question.questionnaire_id == qid)).scalar_one() == 0


def test_reorder_questions_through_htmx(client, db):
    login(client, DEMO["hr"])
    qid = _new(client)
    for i in range(3):
        _add(client, qid, text=f"Pertanyaan {i}")
    _add(client, qid, text="Di bagian lain", section="Lain")
    a, b, c, d = _order(db, qid)
    resp = post(client, f"/kuesioner/{qid}/pertanyaan/{c}/pindah", {"arah": "naik"}, htmx=True)
    assert resp.status_code == 200
    assert resp.text.lstrip().startswith('<div id="daftar-pertanyaan"'), "an htmx request gets the list fragment only"
    assert "<html" not in resp.text and "Urutan disimpan." in resp.text
    assert _order(db, qid) == [a, c, b, d]
    # the first question of a section cannot go up; the list says so
    resp = post(client, f"/kuesioner/{qid}/pertanyaan/{a}/pindah", {"arah": "naik"}, htmx=True)
    assert "sudah di ujung" in resp.text and _order(db, qid) == [a, c, b, d]
    # questions never leave their section by moving
    post(client, f"/kuesioner/{qid}/pertanyaan/{b}/pindah", {"arah": "turun"}, htmx=True)
    assert _order(db, qid) == [a, c, b, d]
    # sections move as a whole
    resp = post(client, f"/kuesioner/{qid}/bagian/pindah", {"bagian": "Lain", "arah": "naik"}, htmx=True)
    assert resp.status_code == 200 and _order(db, qid) == [d, a, c, b]
    # without htmx the same form redirects back
    plain = post(client, f"/kuesioner/{qid}/pertanyaan/{b}/pindah", {"arah": "naik"})
    assert plain.status_code == 303 and _order(db, qid) == [d, a, b, c]
    # a question id of another questionnaire
    other = make_questionnaire(db, ALL_KINDS[:1])
    foreign = _order(db, other)[0]
    assert post(client, f"/kuesioner/{qid}/pertanyaan/{foreign}/pindah", {"arah": "naik"}, htmx=True).status_code == 404


def test_edit_and_delete_question_bump_revision(client, db):
    login(client, DEMO["hr"])
    qid = _new(client)
    _add(client, qid, text="Asli")
    _add(client, qid, text="Kedua")
    pid = _order(db, qid)[0]
    rev = qsvc.load_structure(db, qid).revision
    page = client.get(f"/kuesioner/{qid}/pertanyaan/{pid}")
    assert page.status_code == 200 and "Asli" in page.text
    resp = post(client, f"/kuesioner/{qid}/pertanyaan/{pid}", {"text": "Diubah", "kind": "single", "options": "Ya\nTidak", "dimension": "sarana", "section": "Baru"})
    assert resp.status_code == 303
    s = qsvc.load_structure(db, qid)
    assert s.revision > rev
    assert s.by_id[pid].text == "Diubah" and s.by_id[pid].options == ("Ya", "Tidak") and not s.by_id[pid].required
    assert s.questions[-1].id == pid, "moved to the end, into its new section"
    resp = post(client, f"/kuesioner/{qid}/pertanyaan/{pid}/hapus", htmx=True)
    assert resp.status_code == 200 and "Pertanyaan dihapus." in resp.text
    assert _order(db, qid) != [] and pid not in _order(db, qid)


def test_deleting_a_question_removes_draft_answers_to_it(client, db):
    s = make_survey(db)
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    q = s["structure"].questions[0]
    assert autosave(client, inv, q, "3").status_code == 200
    login(client, DEMO["hr"])
    assert post(client, f"/kuesioner/{s['questionnaire_id']}/pertanyaan/{q.id}/hapus").status_code == 303
    assert db.execute(select(func.count()).select_from(DraftAnswer).where(DraftAnswer.question_id == q.id)).scalar_one() == 0
    # the employee's form follows the new revision
    login(client, DEMO["employee"])
    page = client.get(f"/survei/{inv}")
    assert f'id="pertanyaan-{q.id}"' not in page.text


def test_questionnaire_locks_at_first_response_and_edits_are_refused(client, db):
    s = make_survey(db)
    qid = s["questionnaire_id"]
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["hr"])
    assert _add(client, qid, text="Masih bisa ditambah").status_code == 303
    login(client, DEMO["employee"])
    structure = qsvc.load_structure(db, qid)
    fill_all(client, inv, structure)
    assert submit(client, inv).status_code == 200
    db.expire_all()
    assert db.execute(select(Questionnaire.locked).where(Questionnaire.id == qid)).scalar_one()
    login(client, DEMO["hr"])
    pid = structure.questions[0].id
    attempts = [
        post(client, f"/kuesioner/{qid}/pertanyaan", {"text": "Baru", "kind": "likert5", "dimension": "materi"}),
        post(client, f"/kuesioner/{qid}/pertanyaan/{pid}", {"text": "Ubah", "kind": "likert5", "dimension": "materi"}),
        post(client, f"/kuesioner/{qid}/pertanyaan/{pid}/hapus"),
        post(client, f"/kuesioner/{qid}", {"title": "Judul baru", "purpose": "reaction"}),
        post(client, f"/kuesioner/{qid}/pertanyaan/{structure.questions[1].id}/pindah", {"arah": "naik"}, htmx=True),
    ]
    for resp in attempts:
        assert resp.status_code == 409, resp.text[:300]
        assert "Salin ke versi baru" in resp.text and f'action="/kuesioner/{qid}/salin"' in resp.text
    after = qsvc.load_structure(db, qid)
    assert [(q.id, q.text, q.kind) for q in after.questions] == [(q.id, q.text, q.kind) for q in structure.questions]
    page = client.get(f"/kuesioner/{qid}")
    assert "terkunci" in page.text and "Tambah pertanyaan" not in page.text


def test_copy_into_new_version_keeps_old_answers_meaning(client, db):
    s = make_survey(db)
    qid = s["questionnaire_id"]
    inv = s["invitations"][DEMO["employee"]]
    login(client, DEMO["employee"])
    fill_all(client, inv, s["structure"])
    submit(client, inv)
    login(client, DEMO["hr"])
    resp = post(client, f"/kuesioner/{qid}/salin")
    assert resp.status_code == 303
    new_id = int(resp.headers["location"].rsplit("/", 1)[1])
    assert new_id != qid
    new = db.get(Questionnaire, new_id)
    old = db.get(Questionnaire, qid)
    assert new.version == old.version + 1 and new.previous_id == qid and not new.locked and old.locked
    new_s = qsvc.load_structure(db, new_id)
    assert [(q.section, q.text, q.kind, q.options, q.required, q.dimension, q.retrospective, q.max_length) for q in new_s.questions] == [
        (q.section, q.text, q.kind, q.options, q.required, q.dimension, q.retrospective, q.max_length) for q in s["structure"].questions
    ]
    assert not set(new_s.by_id) & set(s["structure"].by_id), "the new version has its own question rows"
    # the new version can be edited; the old answers still point at the old questions
    first = new_s.questions[0].id
    assert post(client, f"/kuesioner/{new_id}/pertanyaan/{first}", {"text": "Teks versi 2", "kind": "likert5", "dimension": "materi", "required": "1", "section": "Materi"}).status_code == 303
    answered = set(db.execute(select(Answer.question_id).join(SurveyResponse, SurveyResponse.id == Answer.response_id).where(SurveyResponse.questionnaire_id == qid)).scalars())
    assert answered <= set(s["structure"].by_id)
    assert qsvc.load_structure(db, qid).questions[0].text == ALL_KINDS[0][3]
    listing = client.get("/kuesioner")
    assert re.search(r"v1</span>", listing.text) and re.search(r"v2</span>", listing.text)


def test_builder_ids_of_other_questionnaires_are_404(client, db):
    a = make_questionnaire(db, ALL_KINDS[:2])
    b = make_questionnaire(db, ALL_KINDS[:2])
    qb = _order(db, b)[0]
    login(client, DEMO["hr"])
    assert client.get(f"/kuesioner/{a}/pertanyaan/{qb}").status_code == 404
    assert post(client, f"/kuesioner/{a}/pertanyaan/{qb}", {"text": "x", "kind": "likert5", "dimension": "materi"}).status_code == 404
    assert post(client, f"/kuesioner/{a}/pertanyaan/{qb}/hapus").status_code == 404
    assert client.get("/kuesioner/999999").status_code == 404
    assert client.get("/kuesioner/999999/pratinjau").status_code == 404
    assert complete_answers(qsvc.load_structure(db, b))


def test_the_list_counts_responses_per_questionnaire_from_the_invitation_summary(db):
    """The questionnaire list reads its response counts from the invitation-count summary (flat at any
    number of responses): they equal a count of the stored responses, anonymous and attributed alike."""
    from portal import clock
    from portal.services import surveys as svc

    anonymous = make_survey(db, nips=(DEMO["employee"], *PEERS), code="QCOUNT-A")
    attributed = make_survey(db, nips=(DEMO["employee"], PEERS[0]), anonymous=False, code="QCOUNT-B")
    for s, nips in ((anonymous, (DEMO["employee"], *PEERS[:2])), (attributed, (PEERS[0],))):
        for nip in nips:
            inv_id, emp_id = s["invitations"][nip], s["employees"][nip]
            inv = svc.load_invitation(db, inv_id, emp_id)[0]
            assert svc.save_many(db, inv, s["structure"], complete_answers(s["structure"])) == {}
            assert svc.submit(db, inv_id, emp_id, clock.today(), anonymous=s["structure"].anonymous).status == "submitted"
    stored = dict(db.execute(select(SurveyResponse.questionnaire_id, func.count()).group_by(SurveyResponse.questionnaire_id)).all())
    listed = {q["id"]: q["responses"] for q in qsvc.list_questionnaires(db)}
    assert listed[anonymous["questionnaire_id"]] == 3 and listed[attributed["questionnaire_id"]] == 1
    assert listed == {qid: stored.get(qid, 0) for qid in listed}
    assert qsvc.response_count(db, anonymous["questionnaire_id"]) == 3
