"""Data Master forms for people and the organisation (SQLite and PostgreSQL): an employee's page and
form (NIP by structure and unique, supervisor by NIP without loops, deactivation that asks first and
keeps the person's history in the reports), the unit tree and its form (no parent loops), positions
with their competency standard (levels 1-5, class defaults, the holders' gaps kept equal to their
recount), HR only, audited, and bounded queries on every list."""

from __future__ import annotations

import threading
from dataclasses import asdict

import pytest
from sqlalchemy import func, insert, select
from sqlmodel import Session

from portal import clock
from portal.models import AssessmentGap, AuditEvent, Competency, Employee, Enrollment, Position, PositionStandard, Training, Unit
from portal.rules import MANAGERIAL_DEFAULT_LEVEL
from portal.services import reports
from portal.services.master import people
from tests.conftest import DEMO, login, post, text_of
from tests.rig import QueryCounter
from tests.test_summaries import recounted, snapshot

NEW_NIP = "199001152015031001"  # born 15 Jan 1990, appointed Mar 2015, male, serial 001
PEGAWAI = "/data-master/pegawai"


def hr(client) -> None:  # noqa: ANN001
    login(client, DEMO["hr"])


def person(db: Session, nip: str) -> Employee:
    db.expire_all()
    found = db.execute(select(Employee).where(Employee.nip == nip)).scalar_one()
    return found


def edit_data(db: Session, employee_id: int, **changes: str) -> dict[str, str]:
    """The edit form as the browser posts it: the stored values, with `changes`."""
    stored = people.profile(db, employee_id)
    assert stored is not None
    data = asdict(people.form_of(stored))
    data.pop("nip")
    return data | changes


def audits(db: Session, action: str, target: str) -> list[AuditEvent]:
    db.expire_all()
    return list(db.execute(select(AuditEvent).where(AuditEvent.action == action, AuditEvent.target == target)).scalars())


def gaps_of(db: Session, subject_id: int) -> dict[int, tuple[int | None, int]]:
    rows = db.execute(select(AssessmentGap.competency_id, AssessmentGap.position_id, AssessmentGap.gap).where(AssessmentGap.subject_id == subject_id))
    return {r.competency_id: (r.position_id, r.gap) for r in rows}


def errors_of(html: str) -> str:
    text = text_of(html)
    assert "Ada yang perlu diperbaiki" in text, text[:2000]
    return text


# --------------------------------------------------------------------------- employees


def test_the_employee_list_links_to_each_person_and_their_page_shows_them(client, db):
    hr(client)
    ratna = person(db, DEMO["supervisor"])
    page = client.get(PEGAWAI + "?q=Ratna")
    assert f'href="{PEGAWAI}/{ratna.id}"' in page.text
    shown = text_of(client.get(f"{PEGAWAI}/{ratna.id}").text)
    assert "drg. Ratna Juwita Panjaitan" in shown and DEMO["supervisor"] in shown
    assert "UPTD Puskesmas Batu 10" in shown and "Kepala UPTD Puskesmas Batu 10" in shown
    assert "6 aktif dari 6" in shown and "Putri Wulandari" in shown  # direct reports
    assert "dr. Rustam Effendi Simanjuntak" in shown  # her supervisor
    assert client.get(f"{PEGAWAI}/{ratna.id}/ubah").status_code == 200


def test_unknown_ids_are_not_found(client):
    hr(client)
    for url in (f"{PEGAWAI}/987654", f"{PEGAWAI}/987654/ubah", "/data-master/unit/987654", "/data-master/jabatan/987654"):
        assert client.get(url).status_code == 404, url
    for url in (f"{PEGAWAI}/987654/ubah", "/data-master/unit/987654", "/data-master/jabatan/987654"):
        assert post(client, url, {"name": "X"}).status_code == 404, url


def test_everyone_but_hr_is_refused(client, db):
    ratna = person(db, DEMO["supervisor"])
    urls = [PEGAWAI + "/baru", f"{PEGAWAI}/{ratna.id}", f"{PEGAWAI}/{ratna.id}/ubah", "/data-master/unit/baru", "/data-master/jabatan",
            "/data-master/jabatan/baru"]
    for role in ("employee", "supervisor"):
        login(client, DEMO[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
        before = db.execute(select(Employee.supervisor_id, Employee.is_active).where(Employee.id == ratna.id)).one()
        assert post(client, f"{PEGAWAI}/{ratna.id}/ubah", edit_data(db, ratna.id, is_active="0", konfirmasi_nonaktif="1")).status_code == 403
        assert post(client, PEGAWAI + "/baru", {"nip": NEW_NIP, "name": "Penyusup"}).status_code == 403
        assert db.execute(select(Employee.supervisor_id, Employee.is_active).where(Employee.id == ratna.id)).one() == before
    assert db.execute(select(Employee.id).where(Employee.nip == NEW_NIP)).first() is None


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("12345", "NIP harus 18 angka"),
        ("1990011520150310O1", "NIP harus 18 angka"),
        ("199013152015031001", "8 angka pertama bukan tanggal lahir"),
        ("199001152015131001", "bukan bulan pengangkatan"),
        ("199001152005031001", "tidak cocok dengan tanggal lahir"),  # appointed at 15
        ("199001152015033001", "jenis kelamin"),
        ("199001152015031000", "nomor urut"),
        ("", "NIP wajib diisi"),
    ],
)
def test_a_new_employee_needs_a_nip_of_the_right_structure(client, db, nip, message):
    hr(client)
    resp = post(client, PEGAWAI + "/baru", {"nip": nip, "name": "Budi Santoso", "golongan": "iii a", "email": "budi@contoh.go.id"})
    assert resp.status_code == 422
    text = errors_of(resp.text)
    assert message in text
    assert 'href="#nip"' in resp.text and 'id="nip-error"' in resp.text and 'aria-invalid="true"' in resp.text
    assert 'value="Budi Santoso"' in resp.text and 'value="budi@contoh.go.id"' in resp.text  # what was typed
    assert db.execute(select(func.count()).select_from(Employee).where(Employee.name == "Budi Santoso")).scalar_one() == 0


def test_a_new_employee_is_added_once_per_nip_and_audited(client, db):
    hr(client)
    taken = post(client, PEGAWAI + "/baru", {"nip": DEMO["employee"], "name": "Orang Lain"})
    assert taken.status_code == 422 and "sudah terdaftar atas nama Putri Wulandari" in errors_of(taken.text)
    ratna = person(db, DEMO["supervisor"])
    unit = db.execute(select(Unit.id).where(Unit.code == "PKM-BATU10")).scalar_one()
    position = db.execute(select(Position.id).where(Position.code == "JAB-PERAWAT-TERAMPIL-BATU10")).scalar_one()
    data = {"nip": NEW_NIP[:8] + " " + NEW_NIP[8:], "name": "Budi  Santoso, A.Md.Kep.", "golongan": "ii c", "email": "Budi@Contoh.go.id",
            "phone": "0812-3456-7890", "unit_id": str(unit), "position_id": str(position), "supervisor_nip": DEMO["supervisor"]}
    resp = post(client, PEGAWAI + "/baru", data)
    assert resp.status_code == 303
    budi = person(db, NEW_NIP)
    assert resp.headers["location"] == f"{PEGAWAI}/{budi.id}"
    assert (budi.name, budi.golongan, budi.email, budi.phone) == ("Budi Santoso, A.Md.Kep.", "II/c", "budi@contoh.go.id", "081234567890")
    assert (budi.unit_id, budi.position_id, budi.supervisor_id, budi.is_active, budi.password_hash) == (unit, position, ratna.id, True, None)
    [event] = audits(db, "employee.create", f"employee:{budi.id}")
    assert "supervisor_id: " + DEMO["supervisor"] in event.detail and "budi@" not in event.detail  # contact data not in the log
    assert "Budi Santoso" in text_of(client.get(resp.headers["location"]).text)
    again = post(client, PEGAWAI + "/baru", data)
    assert again.status_code == 422 and "sudah terdaftar" in errors_of(again.text)


def test_each_field_of_the_employee_form_is_checked(client, db):
    hr(client)
    putri = person(db, DEMO["employee"])
    resp = post(client, f"{PEGAWAI}/{putri.id}/ubah", edit_data(
        db, putri.id, name="", email="putri@", phone="12ab", golongan="V/a", unit_id="999999", position_id="abc", is_active="x"))
    assert resp.status_code == 422
    text = errors_of(resp.text)
    for message in ("Isi nama pegawai", "Alamat email tidak sah", "Nomor telepon tidak sah", "Golongan tidak dikenal",
                    "Pilih unit kerja dari daftar", "Pilih jabatan dari daftar", "Pilih status pegawai"):
        assert message in text, message
    for field in ("name", "email", "phone", "golongan", "unit_id", "position_id", "is_active"):
        assert f'href="#{field}"' in resp.text and f'id="{field}"' in resp.text, field
    assert 'value="putri@"' in resp.text
    assert person(db, DEMO["employee"]).name == putri.name


@pytest.mark.parametrize(
    ("who", "supervisor", "message"),
    [
        ("employee", "199001152015031001", "Tidak ada pegawai dengan NIP 199001152015031001"),
        ("employee", "1990", "NIP harus 18 angka"),
        ("employee", DEMO["employee"], "tidak dapat menjadi atasannya sendiri"),
        # a loop through stored data: Ratna's supervisor is Rustam, Putri's is Ratna
        ("supervisor", DEMO["employee"], "Atasan melingkar (drg. Ratna Juwita Panjaitan, M.K.M. → Putri Wulandari, A.Md. → drg. Ratna"),
        ("rustam", DEMO["employee"], "Atasan melingkar (dr. Rustam Effendi Simanjuntak, M.Kes. → Putri Wulandari, A.Md. → drg. Ratna"),
    ],
)
def test_a_supervisor_must_exist_not_be_themself_and_make_no_loop(client, db, who, supervisor, message):
    hr(client)
    nip = {"rustam": "197104101998121003"}.get(who) or DEMO[who]
    subject = person(db, nip)
    before = subject.supervisor_id
    resp = post(client, f"{PEGAWAI}/{subject.id}/ubah", edit_data(db, subject.id, supervisor_nip=supervisor))
    assert resp.status_code == 422
    assert message in errors_of(resp.text)
    assert f'value="{supervisor}"' in resp.text and 'href="#supervisor_nip"' in resp.text
    assert person(db, nip).supervisor_id == before
    assert not audits(db, "employee.update", f"employee:{subject.id}")


def test_an_inactive_supervisor_is_refused_but_a_valid_one_is_saved_and_audited(client, db):
    hr(client)
    putri, rahmat = person(db, DEMO["employee"]), person(db, "198901302011011027")
    assert post(client, f"{PEGAWAI}/{rahmat.id}/ubah", edit_data(db, rahmat.id, is_active="0")).status_code == 303
    resp = post(client, f"{PEGAWAI}/{putri.id}/ubah", edit_data(db, putri.id, supervisor_nip=rahmat.nip))
    assert resp.status_code == 422 and "Rahmat Hidayat sudah nonaktif" in errors_of(resp.text)
    ok = post(client, f"{PEGAWAI}/{putri.id}/ubah", edit_data(db, putri.id, supervisor_nip="197803022003121008"))
    assert ok.status_code == 303
    assert person(db, DEMO["employee"]).supervisor_id == person(db, "197803022003121008").id
    [event] = audits(db, "employee.update", f"employee:{putri.id}")
    assert event.detail == f"supervisor_id: {DEMO['supervisor']} → 197803022003121008"
    assert "Data Putri Wulandari, A.Md. disimpan" in text_of(client.get(ok.headers["location"]).text)


def test_two_edits_that_make_a_loop_together_cannot_both_pass(engine, monkeypatch):
    """A under B and B under A, saved at the same moment: the second waits for the first, then sees the loop."""
    with Session(engine) as db:
        a, b = person(db, "198408122009011041"), person(db, "198802232011012042")  # Eko; Nurbaiti reports to Eko
        b_to_other = edit_data(db, b.id, supervisor_nip="197907072005012040")  # Nurbaiti under Hasnah first
        assert people.update_employee(db, 1, b.id, b_to_other, clock.today()).ok
        a_under_b, b_under_a = edit_data(db, a.id, supervisor_nip=b.nip), edit_data(db, b.id, supervisor_nip=a.nip)
    inside, release = threading.Event(), threading.Event()
    real_audit = people.audit

    def slow_audit(session, *args):  # noqa: ANN001, ANN002
        if not inside.is_set():
            inside.set()
            release.wait(10)
        real_audit(session, *args)

    monkeypatch.setattr(people, "audit", slow_audit)
    results: dict[str, people.EmployeeOutcome | BaseException] = {}

    def run(name: str, employee_id: int, data: dict) -> None:
        try:
            with Session(engine, expire_on_commit=False) as session:
                results[name] = people.update_employee(session, 1, employee_id, data, clock.today())  # type: ignore[assignment]
        except BaseException as exc:  # noqa: BLE001
            results[name] = exc

    first = threading.Thread(target=run, args=("first", a.id, a_under_b))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=run, args=("second", b.id, b_under_a))
    second.start()
    second.join(0.7)
    assert second.is_alive(), "the second edit did not wait for the first"
    release.set()
    first.join(20)
    second.join(20)
    assert isinstance(results["first"], people.EmployeeOutcome) and results["first"].ok, results
    outcome = results["second"]
    assert isinstance(outcome, people.EmployeeOutcome), outcome
    assert "Atasan melingkar" in outcome.errors.by_field["supervisor_nip"]
    with Session(engine) as db:
        assert person(db, b.nip).supervisor_id == person(db, "197907072005012040").id


def test_deactivating_asks_first_while_they_have_active_reports(client, db):
    hr(client)
    ratna = person(db, DEMO["supervisor"])
    url = f"{PEGAWAI}/{ratna.id}/ubah"
    ask = post(client, url, edit_data(db, ratna.id, is_active="0"))
    assert ask.status_code == 200
    text = text_of(ask.text)
    assert "masih menjadi atasan langsung 6 pegawai aktif" in text and "Putri Wulandari" in text and "Ya, nonaktifkan" in text
    assert 'name="konfirmasi_nonaktif" value="1"' in ask.text
    assert person(db, DEMO["supervisor"]).is_active is True
    done = post(client, url, edit_data(db, ratna.id, is_active="0", konfirmasi_nonaktif="1"))
    assert done.status_code == 303
    assert person(db, DEMO["supervisor"]).is_active is False
    [event] = audits(db, "employee.deactivate", f"employee:{ratna.id}")
    assert event.detail == "is_active: True → False"
    page = text_of(client.get(done.headers["location"]).text)
    assert "nonaktif dan tidak dapat masuk" in page and "masih tercatat sebagai atasan langsung 6 pegawai aktif" in page
    # never deleted: back to active with one save
    assert post(client, url, edit_data(db, ratna.id, is_active="1")).status_code == 303
    assert person(db, DEMO["supervisor"]).is_active is True and audits(db, "employee.reactivate", f"employee:{ratna.id}")


def test_hr_cannot_deactivate_themself(client, db):
    hr(client)
    me = person(db, DEMO["hr"])
    resp = post(client, f"{PEGAWAI}/{me.id}/ubah", edit_data(db, me.id, is_active="0", konfirmasi_nonaktif="1"))
    assert resp.status_code == 422 and "tidak dapat menonaktifkan akun Anda sendiri" in errors_of(resp.text)
    assert person(db, DEMO["hr"]).is_active is True


def test_a_deactivated_person_keeps_their_history_in_the_reports(client, db):
    hr(client)
    putri = person(db, DEMO["employee"])
    today = clock.today()
    year = db.execute(  # the year of her latest credited training
        select(func.max(Training.ends_on)).join(Enrollment, Enrollment.training_id == Training.id)
        .where(Enrollment.employee_id == putri.id, Enrollment.jp_credited > 0)
    ).scalar_one().year

    def figures() -> tuple:
        db.expire_all()
        units = reports.unit_options(db)
        d = reports.dashboard(db, reports.parse_filters({"periode": str(year)}, today, units), today, 5, with_participants=True)
        enrolled = db.execute(select(func.count(), func.sum(Enrollment.jp_credited)).where(Enrollment.employee_id == putri.id)).one()
        return d.participants, d.jp_delivered, {t.id: t.participants for t in d.trainings}, tuple(enrolled)

    before = figures()
    assert before[3][0] > 0 and before[1] > 0
    assert post(client, f"{PEGAWAI}/{putri.id}/ubah", edit_data(db, putri.id, is_active="0")).status_code == 303
    assert person(db, DEMO["employee"]).is_active is False
    assert figures() == before
    assert snapshot(db) == recounted(db)
    # the list still finds her, marked inactive
    listed = text_of(client.get(PEGAWAI + "?q=Putri").text)
    assert "Putri Wulandari" in listed and "nonaktif" in listed


def test_moving_a_person_measures_their_gaps_again(client, db):
    hr(client)
    putri = person(db, DEMO["employee"])
    before = gaps_of(db, putri.id)
    assert before, "the demo person has AKPK gaps"
    doctor = db.execute(select(Position.id).where(Position.code == "JAB-DOKTER-PERTAMA-BATU10")).scalar_one()
    resp = post(client, f"{PEGAWAI}/{putri.id}/ubah", edit_data(db, putri.id, position_id=str(doctor)))
    assert resp.status_code == 303
    after = gaps_of(db, putri.id)
    assert {pos for pos, _ in after.values()} == {doctor}
    assert after != before
    assert snapshot(db) == recounted(db)
    [event] = audits(db, "employee.update", f"employee:{putri.id}")
    assert event.detail == "position_id: JAB-PETUGAS-PENDAFTARAN-BATU10 → JAB-DOKTER-PERTAMA-BATU10"


def test_saving_without_a_change_writes_nothing(client, db):
    hr(client)
    putri = person(db, DEMO["employee"])
    resp = post(client, f"{PEGAWAI}/{putri.id}/ubah", edit_data(db, putri.id))
    assert resp.status_code == 303
    assert "Tidak ada yang berubah" in text_of(client.get(resp.headers["location"]).text)
    assert not audits(db, "employee.update", f"employee:{putri.id}")


# --------------------------------------------------------------------------- units


def unit_id(db: Session, code: str) -> int:
    return db.execute(select(Unit.id).where(Unit.code == code)).scalar_one()


def test_the_unit_tree_shows_each_unit_under_its_parent_with_its_active_employees(client, db):
    hr(client)
    page = client.get("/data-master/unit").text
    dinkes, batu10 = page.index(">Dinas Kesehatan<"), page.index(">UPTD Puskesmas Batu 10<")
    assert dinkes < batu10 and page.count('class="unit-tree"') == 1
    nested = page[dinkes:batu10]
    assert "<ul>" in nested  # Batu 10 in the list under Dinas Kesehatan
    text = text_of(page)
    assert "UPTD Puskesmas Batu 10 PKM-BATU10 7 pegawai aktif" in text
    assert "Dinas Kesehatan DINKES 5 pegawai aktif · 18 dengan sub-unit" in text


def test_a_unit_is_added_and_changed_with_a_unique_code(client, db):
    hr(client)
    dinkes = unit_id(db, "DINKES")
    taken = post(client, "/data-master/unit/baru", {"code": "DINKES", "name": "Dinas Lain", "parent_id": ""})
    assert taken.status_code == 422 and "Kode DINKES sudah dipakai oleh Dinas Kesehatan" in errors_of(taken.text)
    empty = post(client, "/data-master/unit/baru", {"code": "", "name": "", "parent_id": "999999"})
    text = errors_of(empty.text)
    assert empty.status_code == 422 and "Isi kode unit" in text and "Isi nama unit" in text and "Pilih unit induk dari daftar" in text
    ok = post(client, "/data-master/unit/baru", {"code": "PKM-TPI", "name": "UPTD Puskesmas Tanjungpinang", "parent_id": str(dinkes)})
    assert ok.status_code == 303
    new = unit_id(db, "PKM-TPI")
    assert audits(db, "unit.create", f"unit:{new}")
    tree = text_of(client.get("/data-master/unit").text)
    assert "UPTD Puskesmas Tanjungpinang PKM-TPI 0 pegawai aktif" in tree
    renamed = post(client, f"/data-master/unit/{new}", {"code": "PKM-TPI", "name": "UPTD Puskesmas Kota", "parent_id": str(dinkes)})
    assert renamed.status_code == 303
    db.expire_all()
    assert db.get(Unit, new).name == "UPTD Puskesmas Kota"
    [event] = audits(db, "unit.update", f"unit:{new}")
    assert event.detail == "name: UPTD Puskesmas Tanjungpinang → UPTD Puskesmas Kota"
    dup = post(client, f"/data-master/unit/{new}", {"code": "PKM-BATU10", "name": "X", "parent_id": ""})
    assert dup.status_code == 422 and "sudah dipakai oleh UPTD Puskesmas Batu 10" in errors_of(dup.text)


@pytest.mark.parametrize(("parent", "message"), [
    ("DINKES", "Unit tidak dapat menjadi induknya sendiri"),
    ("PKM-BATU10", "melingkar: Dinas Kesehatan → UPTD Puskesmas Batu 10 → Dinas Kesehatan"),
])
def test_a_unit_never_goes_under_itself_or_one_of_its_sub_units(client, db, parent, message):
    hr(client)
    dinkes, chosen = unit_id(db, "DINKES"), unit_id(db, parent)
    resp = post(client, f"/data-master/unit/{dinkes}", {"code": "DINKES", "name": "Dinas Kesehatan", "parent_id": str(chosen)})
    assert resp.status_code == 422
    assert message in errors_of(resp.text)
    assert f'<option value="{chosen}" selected>' in resp.text  # the refused choice is shown again
    db.expire_all()
    assert db.get(Unit, dinkes).parent_id == unit_id(db, "PEMKOT")
    # the edit form does not offer the unit itself or its sub-units
    form = client.get(f"/data-master/unit/{dinkes}").text
    assert f'<option value="{unit_id(db, "PKM-BATU10")}"' not in form and f'<option value="{dinkes}"' not in form
    assert f'<option value="{unit_id(db, "BKPSDM")}"' in form


# --------------------------------------------------------------------------- positions


def position_of(db: Session, code: str) -> Position:
    db.expire_all()
    return db.execute(select(Position).where(Position.code == code)).scalar_one()


def competency(db: Session, code: str) -> int:
    return db.execute(select(Competency.id).where(Competency.code == code)).scalar_one()


def standard_of(db: Session, position_id: int) -> dict[int, int]:
    db.expire_all()
    rows = db.execute(select(PositionStandard.competency_id, PositionStandard.required_level).where(PositionStandard.position_id == position_id))
    return dict(rows.all())


def position_data(client, url: str) -> dict[str, str]:  # noqa: ANN001
    """The position form as the browser posts it, read from the page: every field with its selected value."""
    import re

    html = client.get(url).text
    data = {m.group(1): m.group(2) for m in re.finditer(r'<input type="text" id="(\w+)" name="\w+" value="([^"]*)"', html)}
    for name, body in re.findall(r'<select id="([\w-]+)" name="[\w-]+"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_the_positions_list_shows_code_class_unit_and_holders(client, db):
    hr(client)
    text = text_of(client.get("/data-master/jabatan?q=pendaftaran+pasien").text)
    assert "2 jabatan" in text
    assert "Petugas Pendaftaran Pasien JAB-PETUGAS-PENDAFTARAN-BATU10 Pelaksana · 2 pemangku aktif UPTD Puskesmas Batu 10" in text
    assert "Jabatan" in text_of(client.get("/data-master").text) and 'href="/data-master/jabatan"' in client.get("/data-master").text


def test_a_standard_change_measures_the_holders_gaps_again(client, db):
    hr(client)
    position = position_of(db, "JAB-PETUGAS-PENDAFTARAN-BATU10")
    url = f"/data-master/jabatan/{position.id}"
    data = position_data(client, url)
    m1, tek = competency(db, "M1"), competency(db, "T-KES-1")
    assert data[f"level-{m1}"] == ""  # the class default (pelaksana: 1), shown as "Bawaan"
    putri = person(db, DEMO["employee"])
    before = gaps_of(db, putri.id)
    assert snapshot(db) == recounted(db)
    resp = post(client, url, data | {f"level-{m1}": "4", f"level-{tek}": "3"})
    assert resp.status_code == 303
    assert standard_of(db, position.id)[m1] == 4 and standard_of(db, position.id)[tek] == 3
    after = gaps_of(db, putri.id)
    assert after[m1][1] == before[m1][1] + 3
    assert snapshot(db) == recounted(db)
    [event] = audits(db, "position.update", f"position:{position.id}")
    assert "M1: 1 → 4" in event.detail and "T-KES-1: " in event.detail
    assert "sudah dihitung ulang" in text_of(client.get(resp.headers["location"]).text)


@pytest.mark.parametrize("level", ["0", "6", "abc", "3.5"])
def test_a_required_level_is_1_to_5(client, db, level):
    hr(client)
    position = position_of(db, "JAB-PETUGAS-PENDAFTARAN-BATU10")
    url = f"/data-master/jabatan/{position.id}"
    before = standard_of(db, position.id)
    m2 = competency(db, "M2")
    resp = post(client, url, position_data(client, url) | {f"level-{m2}": level})
    assert resp.status_code == 422
    assert "Level Kerja Sama harus 1 sampai 5" in errors_of(resp.text)
    assert f'href="#level-{m2}"' in resp.text and f'id="level-{m2}-error"' in resp.text
    assert standard_of(db, position.id) == before


def test_a_new_position_takes_the_defaults_of_its_class_and_a_unique_code(client, db):
    hr(client)
    taken = post(client, "/data-master/jabatan/baru", {"code": "JAB-SEKDA", "name": "Sekda Lain", "position_class": "jpt_madya"})
    assert taken.status_code == 422 and "Kode JAB-SEKDA sudah dipakai oleh jabatan Sekretaris Daerah" in errors_of(taken.text)
    empty = post(client, "/data-master/jabatan/baru", {"code": "", "name": "", "position_class": "raja"})
    text = errors_of(empty.text)
    assert empty.status_code == 422 and "Isi kode jabatan" in text and "Isi nama jabatan" in text and "Pilih kelas jabatan" in text
    tek = competency(db, "T-KES-2")
    resp = post(client, "/data-master/jabatan/baru", {
        "code": "JAB-KASUBBAG-TU-DINKES", "name": "Kepala Subbagian Tata Usaha", "position_class": "pengawas",
        "unit_id": str(unit_id(db, "DINKES")), f"level-{tek}": "2"})
    assert resp.status_code == 303
    created = position_of(db, "JAB-KASUBBAG-TU-DINKES")
    assert resp.headers["location"] == f"/data-master/jabatan/{created.id}"
    groups = dict(db.execute(select(Competency.id, Competency.group_name)).all())
    expected = {cid: MANAGERIAL_DEFAULT_LEVEL["pengawas"] for cid, g in groups.items() if g != "teknis"} | {tek: 2}
    assert standard_of(db, created.id) == expected
    assert audits(db, "position.create", f"position:{created.id}")


def test_default_levels_follow_a_change_of_class(client, db):
    hr(client)
    position = position_of(db, "JAB-PETUGAS-PENDAFTARAN-BATU10")
    url = f"/data-master/jabatan/{position.id}"
    m1, m3 = competency(db, "M1"), competency(db, "M3")
    data = position_data(client, url) | {f"level-{m3}": "2"}  # one managerial level of its own
    assert post(client, url, data).status_code == 303
    assert post(client, url, position_data(client, url) | {"position_class": "administrator"}).status_code == 303
    after = standard_of(db, position.id)
    assert after[m1] == MANAGERIAL_DEFAULT_LEVEL["administrator"] and after[m3] == 2
    assert position_of(db, "JAB-PETUGAS-PENDAFTARAN-BATU10").position_class == "administrator"
    assert snapshot(db) == recounted(db)


# --------------------------------------------------------------------------- bounded queries


def _queries(engine, client, url: str) -> int:  # noqa: ANN001
    with QueryCounter(engine) as qc:
        assert client.get(url).status_code == 200, url
    return qc.count


def test_master_pages_run_a_fixed_number_of_queries_whatever_the_data(client, db, engine):
    hr(client)
    ratna = person(db, DEMO["supervisor"])
    position = position_of(db, "JAB-PETUGAS-PENDAFTARAN-BATU10")
    pages = {
        "employees": PEGAWAI, "person": f"{PEGAWAI}/{ratna.id}", "edit": f"{PEGAWAI}/{ratna.id}/ubah", "new": PEGAWAI + "/baru",
        "units": "/data-master/unit", "unit": f"/data-master/unit/{unit_id(db, 'DINKES')}", "positions": "/data-master/jabatan",
        "position": f"/data-master/jabatan/{position.id}",
    }
    for url in pages.values():
        client.get(url)  # warm caches
    small = {k: _queries(engine, client, u) for k, u in pages.items()}
    # more units (nested), positions, employees and reports
    parent = unit_id(db, "DINKES")
    for i in range(12):
        db.execute(insert(Unit).values(code=f"X-{i}", name=f"Unit X {i}", parent_id=parent))
        parent = unit_id(db, f"X-{i}") if i % 3 else unit_id(db, "DINKES")
    db.execute(insert(Position), [{"code": f"JX-{i}", "name": f"Jabatan X {i}", "position_class": "pelaksana", "unit_id": parent} for i in range(30)])
    db.execute(insert(Employee), [
        {"nip": f"19900115201503{1000 + i}", "name": f"Pegawai X {i}", "unit_id": parent, "supervisor_id": ratna.id, "is_active": i % 4 != 0}
        for i in range(40)])
    db.commit()
    large = {k: _queries(engine, client, u) for k, u in pages.items()}
    assert small == large, (small, large)
    assert max(large.values()) <= 12, large
