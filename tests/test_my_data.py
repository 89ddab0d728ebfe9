"""Data Saya (/data-saya) and correction requests (SQLite and PostgreSQL): the page and both downloads hold
the user's own data only, never an anonymous answer (not even their own: nothing links them to it), and
every section; views of someone's data by others show up there; a correction request reaches HR as a
Beranda task and a list entry, and HR's reply comes back to the employee. Bounded queries."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from portal.models import AuditEvent, CorrectionRequest, Employee
from portal.services.privacy import Me, my_data
from portal.web.audit_labels import action_label
from tests.conftest import DEMO, login, post, text_of
from tests.rig import QueryCounter
from tests.test_surveys import PEERS, fill_all, make_survey, submit

ANON_TEXT = "Rahasia anonim nomor 7"
ATTRIBUTED_TEXT = "Terbuka atas nama saya 8"
PEER_TEXT = "Jawaban rekan kerja 9"
SECTIONS = ("tentang", "profil", "akpk", "survei", "jawaban_survei", "penerapan", "dampak", "jp", "riwayat_masuk", "sesi", "akses", "koreksi")


def employee_id(db, nip: str) -> int:
    return db.execute(select(Employee.id).where(Employee.nip == nip)).scalar_one()


def answer_survey(client, s: dict, nip: str, text: str) -> int:
    """Log in as `nip` and submit their invitation of survey `s`, with `text` as the free-text answer."""
    inv = s["invitations"][nip]
    login(client, nip)
    fill_all(client, inv, s["structure"])
    q = next(q for q in s["structure"].questions if q.kind == "text")
    assert post(client, f"/survei/{inv}/jawaban/{q.id}", {f"q{q.id}": text}, htmx=True).status_code == 200
    resp = submit(client, inv)
    assert resp.status_code == 200 and "Terima kasih" in resp.text
    return inv


def test_data_saya_shows_own_data_and_attributed_answers_never_anonymous_ones(client, db):
    anon = make_survey(db, nips=(DEMO["employee"],), anonymous=True, code="PDP-ANON")
    attributed = make_survey(db, nips=(DEMO["employee"], PEERS[0]), anonymous=False, code="PDP-ATTR")
    answer_survey(client, anon, DEMO["employee"], ANON_TEXT)
    answer_survey(client, attributed, PEERS[0], PEER_TEXT)
    answer_survey(client, attributed, DEMO["employee"], ATTRIBUTED_TEXT)
    # the anonymous submission left no audit event (docs/anonymity.md), the attributed one did
    actions = db.execute(select(AuditEvent.action, AuditEvent.target)).all()
    assert ("survey.submit", f"invitation:{anon['invitations'][DEMO['employee']]}") not in actions
    assert ("survey.submit", f"invitation:{attributed['invitations'][DEMO['employee']]}") in actions

    page = client.get("/data-saya")
    assert page.status_code == 200
    body = text_of(page.text)
    me = db.execute(select(Employee).where(Employee.nip == DEMO["employee"])).scalar_one()
    assert me.name in body and DEMO["employee"] in body
    assert ATTRIBUTED_TEXT in body
    assert ANON_TEXT not in page.text and PEER_TEXT not in page.text and PEERS[0] not in page.text
    assert "Jawaban survei anonim tidak tampil di sini" in body
    assert 'href="/data-saya/unduh/json"' in page.text and 'href="/data-saya/unduh/xlsx"' in page.text

    resp = client.get("/data-saya/unduh/json")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/json")
    assert "attachment" in resp.headers["content-disposition"] and resp.headers["cache-control"] == "no-store"
    data = json.loads(resp.content)
    assert tuple(data) == SECTIONS
    assert data["profil"]["NIP"] == DEMO["employee"] and data["profil"]["Nama"] == me.name
    assert "anonim" in data["tentang"]["Catatan"]
    assert any(a["Jawaban"] == ATTRIBUTED_TEXT for a in data["jawaban_survei"])
    assert ANON_TEXT not in resp.text and PEER_TEXT not in resp.text and PEERS[0] not in resp.text
    assert data["jp"], "the demo employee has trainings"
    assert any(r["Kejadian"] == "Masuk" for r in data["riwayat_masuk"])

    xlsx = client.get("/data-saya/unduh/xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert book.sheetnames[:3] == ["Tentang", "Profil", "Penilaian kompetensi"]
    assert "Jawaban survei" in book.sheetnames and "Akses oleh orang lain" in book.sheetnames
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None}
    assert ATTRIBUTED_TEXT in cells and ANON_TEXT not in cells and PEER_TEXT not in cells
    book.close()

    db.expire_all()
    downloads = db.execute(select(AuditEvent.detail).where(AuditEvent.action == "mydata.download", AuditEvent.actor_id == me.id)).scalars().all()
    assert sorted(downloads) == ["format=json", "format=xlsx"]
    assert client.get("/data-saya/unduh/csv").status_code == 404


def test_each_user_sees_only_themself_and_who_else_looked(client, db):
    target = employee_id(db, DEMO["employee"])
    hr = db.execute(select(Employee).where(Employee.nip == DEMO["hr"])).scalar_one()
    login(client, DEMO["hr"])
    assert client.get(f"/data-master/pegawai/{target}").status_code == 200
    assert client.get(f"/data-master/pegawai/{target}").status_code == 200  # a reload within minutes: one event
    hr_page = client.get(f"/data-saya?pegawai={target}")
    assert DEMO["hr"] in hr_page.text and DEMO["employee"] not in hr_page.text, "HR's Data Saya is HR's own"
    views = db.execute(select(AuditEvent).where(AuditEvent.action == "view.person", AuditEvent.target == f"employee:{target}")).scalars().all()
    assert len(views) == 1 and views[0].actor_id == hr.id

    login(client, DEMO["employee"])
    page = client.get("/data-saya")
    akses = page.text.split('id="akses"', 1)[1].split("</section>", 1)[0]
    assert hr.name in akses and "Membuka data pegawai di Data Master" in akses
    rows = my_data.my_data(db, Me(hr.id, hr.nip), action_label).sections["akses"].rows
    assert all(r["actor"] != hr.name for r in rows), "one's own acts are not 'access by others'"


def test_data_saya_page_runs_a_bounded_number_of_queries(client, db, engine):
    login(client, DEMO["employee"])
    with QueryCounter(engine) as counter:
        assert client.get("/data-saya").status_code == 200
    assert counter.count <= 16, counter.statements


def test_correction_request_reaches_hr_and_the_reply_comes_back(client, db):
    login(client, DEMO["employee"])
    bad = post(client, "/data-saya/koreksi", {"bagian": "", "salah": "Jabatan <b>salah</b>", "seharusnya": ""})
    assert bad.status_code == 422
    assert "Pilih bagian data yang salah." in bad.text and "Tulis data yang benar menurut Anda." in bad.text
    assert "Jabatan &lt;b&gt;salah&lt;/b&gt;" in bad.text, "what was typed comes back, escaped"
    fragment = post(client, "/data-saya/koreksi", {"bagian": "profile", "salah": "", "seharusnya": "x"}, htmx=True)
    assert fragment.status_code == 422 and 'id="koreksi-form"' in fragment.text and "<html" not in fragment.text
    assert db.execute(select(CorrectionRequest)).first() is None

    ok = post(client, "/data-saya/koreksi", {"bagian": "profile", "salah": "Jabatan saya tertulis Analis", "seharusnya": "Pranata Komputer"})
    assert ok.status_code == 303
    request = db.execute(select(CorrectionRequest)).scalar_one()
    assert request.employee_id == employee_id(db, DEMO["employee"]) and request.status == "open"
    assert "Diajukan" in client.get("/data-saya").text
    assert client.get("/data-master/koreksi").status_code == 403
    assert post(client, f"/data-master/koreksi/{request.id}", {"catatan": "sudah"}).status_code == 403

    login(client, DEMO["hr"])
    home = text_of(client.get("/").text)
    assert "Tanggapi 1 permintaan koreksi data pegawai" in home
    listing = client.get("/data-master/koreksi")
    assert "Jabatan saya tertulis Analis" in listing.text and "Pranata Komputer" in listing.text
    empty = post(client, f"/data-master/koreksi/{request.id}", {"catatan": ""})
    assert empty.status_code == 422 and "Tulis apa yang sudah dikoreksi" in empty.text
    assert post(client, f"/data-master/koreksi/{request.id + 999}", {"catatan": "Sudah diperbaiki"}).status_code == 404
    done = post(client, f"/data-master/koreksi/{request.id}", {"catatan": "Jabatan sudah diperbaiki di Data Master."})
    assert done.status_code == 303
    again = post(client, f"/data-master/koreksi/{request.id}", {"catatan": "Sekali lagi"})
    assert again.status_code == 409
    assert "permintaan koreksi" not in text_of(client.get("/").text).lower().split("tugas anda", 1)[1].split("jam pelajaran", 1)[0]
    assert "Jabatan sudah diperbaiki di Data Master." in client.get("/data-master/koreksi?status=done").text
    db.expire_all()
    assert db.get(CorrectionRequest, request.id).status == "done"
    assert {a for (a,) in db.execute(select(AuditEvent.action).where(AuditEvent.action.like("correction.%")))} == {"correction.create", "correction.done"}

    login(client, DEMO["employee"])
    koreksi = client.get("/data-saya").text.split('id="koreksi"', 1)[1]
    assert "Jabatan sudah diperbaiki di Data Master." in koreksi and "Selesai" in koreksi
