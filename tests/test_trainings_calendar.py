"""HR's trainings area (/pelatihan) through HTTP and its services, on SQLite and PostgreSQL: the year list
and the month calendar (bounded queries), creating and editing a training with every validation error
(a duplicate code as a field error, also under a race), the JP summary equal to its recount after edits
that move a year or change JP and after attendance changes, the roster (present invites to an open
survey, absent withdraws an unsubmitted invitation, a submitted person stays a participant), adding
by search and by unit, removing, 404 for unknown ids and 403 for everyone but HR."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from portal import clock
from portal.models import AuditEvent, Competency, Employee, EmployeeJp, Enrollment, SurveyInvitation, Training, TrainingCompetency, Unit
from portal.services import questionnaires as qsvc
from portal.services import summaries, trainings
from portal.services.trainings import editing, enrollments
from tests.conftest import DEMO, login, post, text_of
from tests.rig import QueryCounter
from tests.test_summaries import recounted, snapshot

TODAY = clock.today()


# --------------------------------------------------------------------------- helpers


def valid_form(**overrides: str | list[str]) -> dict:
    form = {
        "code": "PLT-UJI-001",
        "title": "Pelatihan Penulisan Naskah Dinas",
        "kind": "pelatihan",
        "mode": "",
        "provider": "BPSDM Provinsi Kepulauan Riau",
        "starts_on": date(TODAY.year, 3, 15).isoformat(),
        "ends_on": date(TODAY.year, 3, 18).isoformat(),
        "jp": "32",
        "cost": "2.500.000",
        "description": "Tata naskah dinas elektronik.",
    }
    form.update(overrides)
    return form


def make_training(db, code: str, *, starts_on: date, ends_on: date | None = None, jp: int = 16, title: str | None = None) -> int:
    tid = db.execute(
        insert(Training)
        .values(code=code, title=title or f"Pelatihan {code}", kind="pelatihan", mode="klasikal", provider="", description="",
                starts_on=starts_on, ends_on=ends_on or starts_on, jp=jp)
        .returning(Training.id)
    ).scalar_one()
    db.commit()
    return int(tid)


def people(db, n: int, *, skip: int = 0) -> list[int]:
    return list(db.execute(select(Employee.id).where(Employee.is_active.is_(True)).order_by(Employee.id).offset(skip).limit(n)).scalars())


def enrol(db, tid: int, employee_ids: list[int], status: str = "registered", jp: int = 0) -> dict[int, int]:
    """{employee: enrolment id}"""
    found = {e: enrollments.enrol(db, tid, e, status=status, jp_credited=jp) for e in employee_ids}
    db.commit()
    return found


def status_of(db, tid: int) -> dict[int, tuple[str, int]]:
    db.expire_all()
    return {r.employee_id: (r.status, r.jp_credited) for r in db.execute(select(Enrollment).where(Enrollment.training_id == tid)).scalars()}


def invited(db, tid: int) -> set[int]:
    return set(db.execute(select(SurveyInvitation.employee_id).where(SurveyInvitation.training_id == tid)).scalars())


def summaries_equal_recount(db) -> None:
    db.expire_all()
    stored, fresh = snapshot(db), recounted(db)
    assert stored["jp"] == fresh["jp"], "the JP summary differs from its recount"
    assert stored["invitations"] == fresh["invitations"], "the invitation counts differ from their recount"


def with_open_survey(db, tid: int) -> int:
    qid = qsvc.standard_l1_id(db)
    result = trainings.attach(db, None, tid, qid, TODAY - timedelta(days=1), TODAY + timedelta(days=10), today=TODAY)
    assert result.ok, result.errors
    return qid


def hr(client) -> None:
    login(client, DEMO["hr"])


# --------------------------------------------------------------------------- year list and calendar


def test_year_list_shows_trainings_with_participants_and_survey_state(client, db):
    tid = make_training(db, "DAFTAR-1", starts_on=date(TODAY.year + 1, 2, 3), jp=24, title="Pelatihan Daftar Tahunan")
    staff = people(db, 3)
    enrol(db, tid, staff[:2], "attended", 24)
    enrol(db, tid, staff[2:], "registered")
    hr(client)
    page = client.get(f"/pelatihan?tahun={TODAY.year + 1}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"Pelatihan {TODAY.year + 1}" in text and "Pelatihan Daftar Tahunan" in text
    row = re.search(rf'<tr id="pelatihan-{tid}">(.*?)</tr>', page.text, re.S).group(1)
    assert "2 / 3" in text_of(row) and "24" in text_of(row) and "Belum dipasang" in text_of(row)
    for link in (f"/pelatihan/{tid}/ubah", f"/pelatihan/{tid}/peserta", f"/pelatihan/{tid}/survei"):
        assert link in row
    assert 'href="/pelatihan/baru"' in page.text
    # the demo's trainings with their survey of this year
    this_year = text_of(client.get("/pelatihan").text)
    assert "Pelatihan Manajemen Antrean Pelayanan" in this_year and "Dibuka" in this_year
    # an empty year, a mistyped one
    empty = client.get("/pelatihan?tahun=2001")
    assert empty.status_code == 200 and "Belum ada pelatihan pada tahun 2001" in text_of(empty.text)
    assert f"Pelatihan {TODAY.year}" in text_of(client.get("/pelatihan?tahun=abcd&page=x").text)


def test_a_training_across_new_year_is_listed_in_both_years_and_months(client, db):
    tid = make_training(db, "LINTAS-1", starts_on=date(TODAY.year + 2, 12, 30), ends_on=date(TODAY.year + 3, 1, 2), title="Pelatihan Lintas Tahun")
    hr(client)
    for year in (TODAY.year + 2, TODAY.year + 3):
        assert "Pelatihan Lintas Tahun" in client.get(f"/pelatihan?tahun={year}").text
    december = client.get(f"/pelatihan/kalender?bulan={TODAY.year + 2}-12")
    january = client.get(f"/pelatihan/kalender?bulan={TODAY.year + 3}-01")
    assert december.status_code == january.status_code == 200
    assert f'href="/pelatihan/{tid}/peserta"' in december.text and f'href="/pelatihan/{tid}/peserta"' in january.text
    assert "Sudah berlangsung sejak bulan sebelumnya" in january.text
    assert "Sudah berlangsung sejak bulan sebelumnya" not in december.text


def test_month_calendar_lists_the_month_with_previous_and_next(client, db):
    make_training(db, "KAL-1", starts_on=date(TODAY.year + 1, 5, 6), ends_on=date(TODAY.year + 1, 5, 8), title="Pelatihan Kalender Mei")
    make_training(db, "KAL-2", starts_on=date(TODAY.year + 1, 6, 1), title="Pelatihan Kalender Juni")
    hr(client)
    page = client.get(f"/pelatihan/kalender?bulan={TODAY.year + 1}-05")
    text = text_of(page.text)
    assert page.status_code == 200
    assert "Pelatihan Kalender Mei" in text and "Pelatihan Kalender Juni" not in text
    assert f'href="/pelatihan/kalender?bulan={TODAY.year + 1}-04" rel="prev"' in page.text
    assert f'href="/pelatihan/kalender?bulan={TODAY.year + 1}-06" rel="next"' in page.text
    weekday = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")[date(TODAY.year + 1, 5, 6).weekday()]
    assert f"{weekday}, 6 Mei" in text  # the agenda by the day a training starts
    # the month grid: the training on each of its three days (hidden from screen readers, who have the agenda)
    grid = re.search(r'<table class="cal-grid" aria-hidden="true">(.*?)</table>', page.text, re.S).group(1)
    assert grid.count("Pelatihan Kalender Mei</a>") == 3
    for bad in ("2026-13", "abc", "99999-01", ""):
        other = client.get(f"/pelatihan/kalender?bulan={bad}")
        assert other.status_code == 200 and f"{TODAY.year}" in text_of(other.text)
    empty = client.get("/pelatihan/kalender?bulan=2001-02")
    assert "Tidak ada pelatihan pada" in text_of(empty.text)


def test_year_list_and_calendar_make_a_bounded_number_of_queries(client, db, engine):
    year = TODAY.year + 4
    hr(client)

    def count(url: str) -> int:
        client.get(url)  # warm: templates, the session
        with QueryCounter(engine) as qc:
            assert client.get(url).status_code == 200
        return qc.count

    make_training(db, "BATAS-0", starts_on=date(year, 1, 5))
    few_list, few_month = count(f"/pelatihan?tahun={year}"), count(f"/pelatihan/kalender?bulan={year}-01")
    staff = people(db, 6)
    for i in range(1, 30):
        tid = make_training(db, f"BATAS-{i}", starts_on=date(year, 1, 1 + i % 28))
        enrol(db, tid, staff[: 1 + i % 6], "attended" if i % 2 else "registered")
        if i % 3 == 0:
            with_open_survey(db, tid)
    many_list, many_month = count(f"/pelatihan?tahun={year}"), count(f"/pelatihan/kalender?bulan={year}-01")
    assert many_list == few_list, f"the year list makes {many_list} queries for 25 trainings, {few_list} for one"
    assert many_month == few_month
    assert many_list <= 6 and many_month <= 3  # the session, then 4 (year) or 1 (month) of the page


# --------------------------------------------------------------------------- create and edit


def test_hr_creates_a_training_with_cost_and_competencies(client, db):
    hr(client)
    assert client.get("/pelatihan/baru").status_code == 200
    comp_ids = [str(c) for c in db.execute(select(Competency.id).order_by(Competency.id).limit(2)).scalars()]
    resp = post(client, "/pelatihan/baru", valid_form(kind="coaching", kompetensi=comp_ids))
    assert resp.status_code == 303, text_of(resp.text)[:500]
    db.expire_all()
    t = db.execute(select(Training).where(Training.code == "PLT-UJI-001")).scalar_one()
    assert resp.headers["location"] == f"/pelatihan/{t.id}/peserta"
    assert (t.kind, t.mode, t.cost, t.jp, t.provider) == ("coaching", "non_klasikal", 2_500_000, 32, "BPSDM Provinsi Kepulauan Riau")
    assert sorted(str(c) for c in db.execute(select(TrainingCompetency.competency_id).where(TrainingCompetency.training_id == t.id)).scalars()) == comp_ids
    event = db.execute(select(AuditEvent).where(AuditEvent.action == "training.create")).scalars().all()[-1]
    assert event.target == f"training:{t.id}" and "PLT-UJI-001" in event.detail
    roster = client.get(f"/pelatihan/{t.id}/peserta")
    assert "Pelatihan Penulisan Naskah Dinas disimpan" in text_of(roster.text) and "Belum ada peserta" in text_of(roster.text)
    # an explicit mode wins over the kind's
    assert post(client, "/pelatihan/baru", valid_form(code="PLT-UJI-002", kind="coaching", mode="klasikal", cost="")).status_code == 303
    db.expire_all()
    second = db.execute(select(Training).where(Training.code == "PLT-UJI-002")).scalar_one()
    assert (second.mode, second.cost) == ("klasikal", None)


INVALID = [
    ("code", {"code": ""}, "Isi kode pelatihan"),
    ("code", {"code": "X" * 41}, "paling banyak 40 karakter"),
    ("code", {"code": "PLT-ANT-01"}, "sudah dipakai pelatihan lain"),
    ("title", {"title": "  "}, "Isi judul pelatihan"),
    ("title", {"title": "J" * 251}, "paling banyak 250 karakter"),
    ("kind", {"kind": "piknik"}, "Pilih metode"),
    ("mode", {"mode": "campuran"}, "klasikal atau non-klasikal"),
    ("provider", {"provider": "P" * 201}, "paling banyak 200 karakter"),
    ("starts_on", {"starts_on": ""}, "Isi tanggal mulai"),
    ("starts_on", {"starts_on": "31/02/2027"}, "Tulis tanggal"),
    ("starts_on", {"starts_on": "1899-01-01"}, "Tahun harus antara"),
    ("ends_on", {"ends_on": ""}, "Isi tanggal selesai"),
    ("ends_on", {"starts_on": f"{TODAY.year}-03-18", "ends_on": f"{TODAY.year}-03-15"}, "tidak boleh sebelum tanggal mulai"),
    ("jp", {"jp": ""}, "Isi jumlah JP"),
    ("jp", {"jp": "dua"}, "bilangan bulat"),
    ("jp", {"jp": "1001"}, "bilangan bulat"),
    ("jp", {"jp": "-4"}, "bilangan bulat"),
    ("cost", {"cost": "2,5 juta"}, "rupiah tanpa sen"),
    ("cost", {"cost": "2.500.000,50"}, "rupiah tanpa sen"),
    ("cost", {"cost": "1.000.000.000.000"}, "rupiah tanpa sen"),
    ("description", {"description": "k" * 4001}, "4.000 karakter"),
    ("competencies", {"kompetensi": ["999999"]}, "tidak dikenal"),
]


def test_each_validation_error_is_shown_next_to_its_field_and_in_the_summary(client, db):
    hr(client)
    before = db.execute(select(func.count()).select_from(Training)).scalar_one()
    tid = make_training(db, "UBAH-VAL", starts_on=date(TODAY.year, 4, 1))
    for field, overrides, message in INVALID:
        for url in ("/pelatihan/baru", f"/pelatihan/{tid}/ubah"):
            form = valid_form(**overrides)
            resp = post(client, url, form)
            where = f"{url} {field}={overrides}"
            assert resp.status_code == 422, where
            html = resp.text
            summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
            assert f'href="#{field}"' in summary and message in text_of(summary), where
            assert f'id="{field}-error"' in html and message in text_of(html.split(f'id="{field}-error"')[1][:600]), where
            # nothing typed is lost
            assert f'value="{form["code"]}"' in html or field == "code", where
            assert 'value="2.500.000"' in html or field == "cost", where
            assert "Tata naskah dinas elektronik." in html or field == "description", where
    db.expire_all()
    assert db.execute(select(func.count()).select_from(Training)).scalar_one() == before + 1
    assert db.get(Training, tid).code == "UBAH-VAL"


def test_a_checked_competency_stays_checked_after_an_error(client, db):
    hr(client)
    cid = db.execute(select(Competency.id).order_by(Competency.id)).scalars().first()
    html = post(client, "/pelatihan/baru", valid_form(title="", kompetensi=[str(cid)])).text
    assert re.search(rf'<input type="checkbox" name="kompetensi" value="{cid}" id="kompetensi-{cid}" checked>', html)


def test_duplicate_code_under_a_race_is_a_field_error(db, monkeypatch):
    """Two people save the same new code at once: the check passes for both, the database refuses the
    second insert, and the loser gets the same field error as the check gives."""
    real = editing.code_taken
    calls = {"n": 0}

    def first_check_misses(session, code, training_id=None):
        calls["n"] += 1
        return False if calls["n"] == 1 else real(session, code, training_id)

    monkeypatch.setattr(editing, "code_taken", first_check_misses)
    result = editing.create(db, None, editing.form_from(valid_form(code="PLT-ANT-01")))
    assert not result.ok and "sudah dipakai" in result.errors["code"]
    other = make_training(db, "RACE-2", starts_on=date(TODAY.year, 5, 1))
    calls["n"] = 0
    result = editing.update(db, None, other, editing.form_from(valid_form(code="PLT-ANT-01")))
    assert not result.ok and "sudah dipakai" in result.errors["code"]
    db.expire_all()
    assert db.get(Training, other).code == "RACE-2"


def test_edit_keeps_typed_values_and_audits(client, db):
    tid = make_training(db, "UBAH-1", starts_on=date(TODAY.year, 6, 1), jp=8)
    hr(client)
    page = client.get(f"/pelatihan/{tid}/ubah")
    assert page.status_code == 200 and 'value="UBAH-1"' in page.text
    resp = post(client, f"/pelatihan/{tid}/ubah", valid_form(code="UBAH-1B", title="Pelatihan Diubah", jp="8", cost="Rp 1.250.000"))
    assert resp.status_code == 303 and resp.headers["location"] == f"/pelatihan?tahun={TODAY.year}"
    db.expire_all()
    t = db.get(Training, tid)
    assert (t.code, t.title, t.cost, t.starts_on) == ("UBAH-1B", "Pelatihan Diubah", 1_250_000, date(TODAY.year, 3, 15))
    event = db.execute(select(AuditEvent).where(AuditEvent.action == "training.update", AuditEvent.target == f"training:{tid}")).scalar_one()
    assert "code: UBAH-1 -> UBAH-1B" in event.detail


def test_edit_that_moves_the_year_keeps_the_jp_summary(client, db):
    year = TODAY.year
    tid = make_training(db, "PINDAH-1", starts_on=date(year, 12, 20), ends_on=date(year, 12, 22), jp=24)
    staff = people(db, 4, skip=10)
    enrol(db, tid, staff[:3], "completed", 24)
    enrol(db, tid, staff[3:], "absent")
    summaries_equal_recount(db)
    hr(client)
    resp = post(client, f"/pelatihan/{tid}/ubah", valid_form(code="PINDAH-1", jp="24", starts_on=f"{year}-12-29", ends_on=f"{year + 1}-01-03"))
    assert resp.status_code == 303
    summaries_equal_recount(db)
    moved = dict(db.execute(select(EmployeeJp.year, func.sum(EmployeeJp.jp)).where(EmployeeJp.employee_id.in_(staff[:3])).group_by(EmployeeJp.year)).all())
    assert moved.get(year + 1, 0) >= 3 * 24
    # and back
    assert post(client, f"/pelatihan/{tid}/ubah", valid_form(code="PINDAH-1", jp="24", starts_on=f"{year}-12-20", ends_on=f"{year}-12-22")).status_code == 303
    summaries_equal_recount(db)


def test_edit_that_changes_jp_carries_it_to_participants_credited_with_the_old_jp(client, db):
    tid = make_training(db, "JP-1", starts_on=date(TODAY.year, 7, 1), jp=16)
    staff = people(db, 5, skip=20)
    enrol(db, tid, staff[:2], "attended", 16)
    enrol(db, tid, staff[2:3], "completed", 10)  # credited by hand: stays
    enrol(db, tid, staff[3:4], "absent")
    enrol(db, tid, staff[4:], "registered")
    hr(client)
    resp = post(client, f"/pelatihan/{tid}/ubah", valid_form(code="JP-1", jp="24", starts_on=f"{TODAY.year}-07-01", ends_on=f"{TODAY.year}-07-01"))
    assert resp.status_code == 303
    assert "JP diakui 2 peserta disesuaikan" in text_of(client.get(resp.headers["location"]).text)
    now = status_of(db, tid)
    assert [now[e][1] for e in staff] == [24, 24, 10, 0, 0]
    summaries_equal_recount(db)


def test_unknown_training_is_not_found(client, db):
    hr(client)
    for url in ("/pelatihan/999999/ubah", "/pelatihan/999999/peserta", "/pelatihan/999999/peserta/tambah", "/pelatihan/999999/peserta/unit?unit=1",
                "/pelatihan/999999/peserta/1/hapus", "/pelatihan/999999/survei"):
        assert client.get(url).status_code == 404, url
    for url in ("/pelatihan/999999/ubah", "/pelatihan/999999/peserta", "/pelatihan/999999/peserta/tambah", "/pelatihan/999999/peserta/1/hapus"):
        assert post(client, url, valid_form(pegawai="1", konfirmasi="ya")).status_code == 404, url
    # an enrolment of another training
    a = make_training(db, "NF-A", starts_on=TODAY)
    b = make_training(db, "NF-B", starts_on=TODAY)
    eid = enrol(db, a, people(db, 1))
    only = next(iter(eid.values()))
    assert client.get(f"/pelatihan/{b}/peserta/{only}/hapus").status_code == 404
    assert post(client, f"/pelatihan/{b}/peserta/{only}/hapus", {"konfirmasi": "ya"}).status_code == 404
    assert len(status_of(db, a)) == 1


@pytest.mark.parametrize("who", ["employee", "supervisor"])
def test_only_hr_may_use_the_trainings_area(client, db, who):
    tid = make_training(db, "GUARD-1", starts_on=TODAY)
    eid = next(iter(enrol(db, tid, people(db, 1)).values()))
    login(client, DEMO[who])
    for url in ("/pelatihan", "/pelatihan/kalender", "/pelatihan/baru", f"/pelatihan/{tid}/ubah", f"/pelatihan/{tid}/peserta",
                f"/pelatihan/{tid}/peserta/tambah?q=put", f"/pelatihan/{tid}/peserta/unit?unit=1", f"/pelatihan/{tid}/peserta/{eid}/hapus",
                "/data-master/pelatihan"):
        assert client.get(url).status_code == 403, url
    for url in ("/pelatihan/baru", f"/pelatihan/{tid}/ubah", f"/pelatihan/{tid}/peserta", f"/pelatihan/{tid}/peserta/tambah",
                f"/pelatihan/{tid}/peserta/unit", f"/pelatihan/{tid}/peserta/{eid}/hapus"):
        assert post(client, url, valid_form(pegawai="1", konfirmasi="ya", unit="1", **{f"status-{eid}": "attended"})).status_code == 403, url
    assert status_of(db, tid) and next(iter(status_of(db, tid).values())) == ("registered", 0)
    assert db.execute(select(func.count()).select_from(Training).where(Training.code == "PLT-UJI-001")).scalar_one() == 0


# --------------------------------------------------------------------------- roster


def test_marking_present_invites_to_an_open_survey_and_absent_withdraws(client, db):
    tid = make_training(db, "HADIR-1", starts_on=TODAY - timedelta(days=3), ends_on=TODAY - timedelta(days=2), jp=12)
    staff = people(db, 3, skip=5)
    ids = enrol(db, tid, staff)
    with_open_survey(db, tid)
    assert invited(db, tid) == set()
    hr(client)
    page = client.get(f"/pelatihan/{tid}/peserta")
    assert page.status_code == 200
    for eid in ids.values():
        assert re.search(rf'<label class="visually-hidden" for="st-{eid}">Kehadiran ', page.text)
    a, b, c = staff
    resp = post(client, f"/pelatihan/{tid}/peserta", {f"status-{ids[a]}": "attended", f"status-{ids[b]}": "completed", f"status-{ids[c]}": "registered"})
    assert resp.status_code == 303
    assert "2 peserta berubah" in text_of(client.get(resp.headers["location"]).text)
    assert status_of(db, tid) == {a: ("attended", 12), b: ("completed", 12), c: ("registered", 0)}
    assert invited(db, tid) == {a, b}
    summaries_equal_recount(db)
    resp = post(client, f"/pelatihan/{tid}/peserta", {f"status-{ids[a]}": "absent", f"status-{ids[b]}": "completed"})
    assert resp.status_code == 303
    assert "1 undangan survei yang belum diisi ditarik" in text_of(client.get(resp.headers["location"]).text)
    assert status_of(db, tid)[a] == ("absent", 0)
    assert invited(db, tid) == {b}
    summaries_equal_recount(db)
    event = db.execute(select(AuditEvent).where(AuditEvent.action == "training.attendance", AuditEvent.target == f"training:{tid}")).scalars().all()
    assert len(event) == 2


def test_a_person_who_submitted_the_survey_cannot_be_marked_absent(client, db):
    tid = make_training(db, "KIRIM-1", starts_on=TODAY - timedelta(days=3), ends_on=TODAY - timedelta(days=2), jp=12)
    staff = people(db, 2, skip=30)
    ids = enrol(db, tid, staff[:1], "attended", 12) | enrol(db, tid, staff[1:])
    with_open_survey(db, tid)
    done, other = staff
    db.execute(update(SurveyInvitation).where(SurveyInvitation.training_id == tid, SurveyInvitation.employee_id == done).values(status="submitted"))
    summaries.invitations.apply_training(db.connection(), tid)
    db.commit()
    hr(client)
    page = client.get(f"/pelatihan/{tid}/peserta")
    select_of_done = re.search(rf'<select id="st-{ids[done]}".*?</select>', page.text, re.S).group(0)
    assert 'value="absent"' not in select_of_done and 'value="registered"' not in select_of_done
    assert "Sudah mengirim survei" in text_of(page.text)
    before = status_of(db, tid)
    for status in ("absent", "registered"):
        resp = post(client, f"/pelatihan/{tid}/peserta", {f"status-{ids[done]}": status, f"status-{ids[other]}": "attended"})
        assert resp.status_code == 422
        assert f'href="#st-{ids[done]}"' in resp.text
        assert f'id="st-{ids[done]}-error"' in resp.text and "Sudah mengirim survei" in resp.text
        # what was typed for the other row is kept, nothing was saved
        other_select = re.search(rf'<select id="st-{ids[other]}".*?</select>', resp.text, re.S).group(0)
        assert '<option value="attended" selected>' in other_select
        assert status_of(db, tid) == before
    assert invited(db, tid) == {done}
    # the service refuses it too (what a stale form would send)
    result = trainings.participants.save_attendance(db, None, tid, {ids[done]: "absent"}, today=TODAY)
    assert not result.ok and ids[done] in result.errors
    # and such a person cannot be removed
    assert post(client, f"/pelatihan/{tid}/peserta/{ids[done]}/hapus", {"konfirmasi": "ya"}).status_code == 409
    summaries_equal_recount(db)


def test_an_unknown_status_refuses_the_form(client, db):
    tid = make_training(db, "STATUS-X", starts_on=TODAY)
    ids = enrol(db, tid, people(db, 1))
    eid = next(iter(ids.values()))
    hr(client)
    resp = post(client, f"/pelatihan/{tid}/peserta", {f"status-{eid}": "hadir-dong"})
    assert resp.status_code == 422 and "Pilih status kehadiran" in resp.text
    assert next(iter(status_of(db, tid).values())) == ("registered", 0)


def test_roster_makes_a_bounded_number_of_queries_and_pages_past_100(client, db, engine):
    tid = make_training(db, "ROSTER-Q", starts_on=TODAY)
    hr(client)

    def count(url: str) -> int:
        client.get(url)
        with QueryCounter(engine) as qc:
            assert client.get(url).status_code == 200
        return qc.count

    enrol(db, tid, people(db, 2))
    few = count(f"/pelatihan/{tid}/peserta")
    # more than a page: 130 people (the demo has 60; add employees)
    unit = db.execute(select(Unit.id)).scalars().first()
    base = 199001012015011000
    db.execute(insert(Employee), [{"nip": str(base + i), "name": f"Pegawai Uji {i:03d}", "unit_id": unit, "is_active": True} for i in range(1, 131)])
    db.commit()
    new_people = list(db.execute(select(Employee.id).where(Employee.name.like("Pegawai Uji %"))).scalars())
    enrollments.enrol_many(db, [{"training_id": tid, "employee_id": e, "status": "registered", "jp_credited": 0} for e in new_people])
    db.commit()
    many = count(f"/pelatihan/{tid}/peserta")
    assert many == few and many <= 5, (few, many)  # the session, then 3
    first = client.get(f"/pelatihan/{tid}/peserta")
    assert first.text.count('<select id="st-') == 100 and "Halaman 1 dari 2" in text_of(first.text)
    second = client.get(f"/pelatihan/{tid}/peserta?page=2")
    assert second.text.count('<select id="st-') == 32 and '<input type="hidden" name="page" value="2">' in second.text
    # the form of page 2 saves its rows only and comes back to page 2
    eids = re.findall(r'<select id="st-(\d+)"', second.text)
    resp = post(client, f"/pelatihan/{tid}/peserta", {"page": "2", **{f"status-{e}": "attended" for e in eids}})
    assert resp.status_code == 303 and resp.headers["location"] == f"/pelatihan/{tid}/peserta?page=2"
    assert sum(1 for s, _jp in status_of(db, tid).values() if s == "attended") == 32
    summaries_equal_recount(db)


# --------------------------------------------------------------------------- adding and removing people


def test_search_and_add_one_person_with_and_without_htmx(client, db):
    tid = make_training(db, "CARI-1", starts_on=TODAY + timedelta(days=30))
    putri = db.execute(select(Employee.id).where(Employee.nip == DEMO["employee"])).scalar_one()
    hr(client)
    short = client.get(f"/pelatihan/{tid}/peserta/tambah?q=p")
    assert short.status_code == 200 and "Putri Wulandari" not in short.text
    fragment = client.get(f"/pelatihan/{tid}/peserta/tambah?q=putri", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="calon"' in fragment.text
    assert "Putri Wulandari" in fragment.text and "HX-Request" in fragment.headers.get("vary", "")
    by_nip = client.get(f"/pelatihan/{tid}/peserta/tambah?q={DEMO['employee'][:10]}")
    assert "Putri Wulandari" in by_nip.text and "<html" in by_nip.text
    added = post(client, f"/pelatihan/{tid}/peserta/tambah", {"pegawai": str(putri), "q": "putri"}, htmx=True)
    assert added.status_code == 200 and "Putri Wulandari, A.Md. ditambahkan sebagai peserta" in text_of(added.text)
    assert "Sudah terdaftar" in added.text and "1 pegawai terdaftar" in text_of(added.text)
    assert status_of(db, tid) == {putri: ("registered", 0)}
    # again (a second click, another tab): nothing doubles
    again = post(client, f"/pelatihan/{tid}/peserta/tambah", {"pegawai": str(putri), "q": "putri"})
    assert again.status_code == 303 and again.headers["location"] == f"/pelatihan/{tid}/peserta/tambah?q=putri"
    assert len(status_of(db, tid)) == 1
    # without JavaScript: a plain form, then back to the search
    other = people(db, 1, skip=40)[0]
    plain = post(client, f"/pelatihan/{tid}/peserta/tambah", {"pegawai": str(other), "q": ""})
    assert plain.status_code == 303 and plain.headers["location"] == f"/pelatihan/{tid}/peserta/tambah"
    assert "ditambahkan sebagai peserta" in text_of(client.get(plain.headers["location"]).text)
    assert set(status_of(db, tid)) == {putri, other}
    # an inactive employee is neither found nor added
    db.execute(update(Employee).where(Employee.id == other).values(is_active=False))
    gone = people(db, 1, skip=41)[0]
    db.execute(update(Employee).where(Employee.id == gone).values(is_active=False))
    db.commit()
    nip = db.get(Employee, gone).nip
    assert "Tidak ada pegawai aktif yang cocok" in text_of(client.get(f"/pelatihan/{tid}/peserta/tambah?q={nip}").text)
    post(client, f"/pelatihan/{tid}/peserta/tambah", {"pegawai": str(gone)})
    assert gone not in status_of(db, tid)
    assert post(client, f"/pelatihan/{tid}/peserta/tambah", {}).status_code == 422


def test_add_by_unit_adds_exactly_the_active_employees_of_the_unit_not_yet_enrolled(client, db):
    tid = make_training(db, "UNIT-1", starts_on=TODAY + timedelta(days=40))
    unit = db.execute(select(Employee.unit_id).group_by(Employee.unit_id).order_by(func.count().desc())).scalars().first()
    members = list(db.execute(select(Employee.id).where(Employee.unit_id == unit).order_by(Employee.id)).scalars())
    assert len(members) >= 4
    inactive, already = members[0], members[1]
    db.execute(update(Employee).where(Employee.id == inactive).values(is_active=False))
    db.commit()
    enrol(db, tid, [already], "attended", 16)
    outsider = db.execute(select(Employee.id).where(Employee.unit_id != unit)).scalars().first()
    enrol(db, tid, [outsider])
    expected = set(members) - {inactive, already}
    hr(client)
    preview = client.get(f"/pelatihan/{tid}/peserta/unit?unit={unit}")
    assert preview.status_code == 200
    assert f"{len(expected)} dari {len(members) - 1} pegawai aktif unit ini belum terdaftar" in text_of(preview.text)
    # not confirmed: the question again, nothing added
    assert post(client, f"/pelatihan/{tid}/peserta/unit", {"unit": str(unit)}).status_code == 200
    assert set(status_of(db, tid)) == {already, outsider}
    resp = post(client, f"/pelatihan/{tid}/peserta/unit", {"unit": str(unit), "konfirmasi": "ya"})
    assert resp.status_code == 303 and resp.headers["location"] == f"/pelatihan/{tid}/peserta"
    assert f"{len(expected)} pegawai" in text_of(client.get(resp.headers["location"]).text)
    now = status_of(db, tid)
    assert set(now) == expected | {already, outsider}
    assert all(now[e] == ("registered", 0) for e in expected) and now[already] == ("attended", 16)
    # all there now: nothing more to add
    assert "sudah terdaftar" in text_of(client.get(f"/pelatihan/{tid}/peserta/unit?unit={unit}").text)
    assert client.get(f"/pelatihan/{tid}/peserta/unit?unit=999999").status_code == 422
    summaries_equal_recount(db)


def test_remove_someone_who_did_not_take_part_after_a_confirmation(client, db):
    tid = make_training(db, "HAPUS-1", starts_on=TODAY - timedelta(days=3), ends_on=TODAY - timedelta(days=2))
    staff = people(db, 2, skip=45)
    ids = enrol(db, tid, staff[:1], "absent") | enrol(db, tid, staff[1:], "attended", 16)
    gone, stays = staff
    hr(client)
    ask = client.get(f"/pelatihan/{tid}/peserta/{ids[gone]}/hapus")
    assert ask.status_code == 200 and "Ya, hapus dari peserta" in ask.text
    assert post(client, f"/pelatihan/{tid}/peserta/{ids[gone]}/hapus", {}).status_code == 200
    assert gone in status_of(db, tid)
    resp = post(client, f"/pelatihan/{tid}/peserta/{ids[gone]}/hapus", {"konfirmasi": "ya"})
    assert resp.status_code == 303 and gone not in status_of(db, tid)
    # someone who took part: the reason, no button, refused
    refused = client.get(f"/pelatihan/{tid}/peserta/{ids[stays]}/hapus")
    assert "tercatat ikut serta" in text_of(refused.text) and "Ya, hapus dari peserta" not in refused.text
    assert post(client, f"/pelatihan/{tid}/peserta/{ids[stays]}/hapus", {"konfirmasi": "ya"}).status_code == 409
    assert stays in status_of(db, tid)
    summaries_equal_recount(db)


def test_data_master_trainings_moved_to_the_trainings_area(client):
    hr(client)
    resp = client.get("/data-master/pelatihan?page=2", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/pelatihan"
    overview = client.get("/data-master")
    assert 'href="/pelatihan"' in overview.text and 'href="/data-master/pelatihan"' not in overview.text
