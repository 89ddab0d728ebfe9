"""Master-data imports on SQLite and PostgreSQL: preview changes nothing, apply writes in one go (or
only the valid rows), re-importing changes nothing, every summary stays equal to its recount, and an
import is undone while nothing depends on it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from portal.models import (
    AuditEvent,
    Employee,
    EmployeeJp,
    Enrollment,
    ImportBatch,
    Position,
    PositionStandard,
    SurveyInvitation,
    Training,
    TrainingCompetency,
    Unit,
)
from portal.services import imports
from portal.services.imports import templates
from tests.conftest import DEMO
from tests.test_import_files import xlsx
from tests.test_summaries import recounted, snapshot

TODAY = date(2026, 12, 7)
MB = 1_048_576
NEW = ["198501012010011003", "199002022015022004", "199503032019031005"]


def hr_id(db) -> int:
    return db.execute(select(Employee.id).where(Employee.nip == DEMO["hr"])).scalar_one()


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def preview(db, kind: str, content: bytes, name: str = "berkas.csv") -> int:
    return imports.preview(db, kind, content, name, hr_id(db), TODAY, 10 * MB)


def apply(db, batch_id: int, kind: str, only_valid: bool = False) -> dict[str, int]:
    return imports.apply(db, batch_id, kind, only_valid, hr_id(db), TODAY, 10 * MB)


def counts(db, batch_id: int, kind: str) -> tuple[int, int, int, int]:
    b = imports.batch(db, batch_id, kind)
    assert b is not None
    return b.n_create, b.n_update, b.n_unchanged, b.n_reject


def people(db) -> int:
    return db.execute(select(func.count()).select_from(Employee)).scalar_one()


EMPLOYEES = csv(
    "NIP;Nama;Kode Unit;NIP Atasan;Golongan;Email;Aktif",
    f"{NEW[0]};Budi Santoso, S.E.;DINKES;;III/c;budi@contoh.go.id;Ya",
    f"{NEW[1]};Siti Aminah;DINKES;{NEW[0]};II/b;;Ya",
    f"{NEW[2]};Rina Marlina;PKM-BATU10;{NEW[1]};ii a;;Ya",
)


def test_preview_changes_nothing_and_apply_writes_the_rows(db):
    before = people(db)
    batch_id = preview(db, "pegawai", EMPLOYEES)
    assert counts(db, batch_id, "pegawai") == (3, 0, 0, 0)
    assert people(db) == before
    written = apply(db, batch_id, "pegawai")
    assert written["create"] == 3
    db.expire_all()
    assert people(db) == before + 3
    rina = db.execute(select(Employee).where(Employee.nip == NEW[2])).scalar_one()
    siti = db.execute(select(Employee).where(Employee.nip == NEW[1])).scalar_one()
    assert rina.supervisor_id == siti.id and rina.golongan == "II/a" and rina.is_active
    assert db.execute(select(ImportBatch.content, ImportBatch.status).where(ImportBatch.id == batch_id)).one() == (None, "applied")
    assert db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import.apply")).scalar_one() == 1


def test_reimporting_the_same_file_changes_nothing(db):
    apply(db, preview(db, "pegawai", EMPLOYEES), "pegawai")
    again = preview(db, "pegawai", EMPLOYEES)
    assert counts(db, again, "pegawai") == (0, 0, 3, 0)
    assert apply(db, again, "pegawai")["unchanged"] == 3


def test_an_update_deactivates_and_moves_a_person_and_their_gaps_follow(db):
    putri = db.execute(select(Employee).where(Employee.nip == DEMO["employee"])).scalar_one()
    content = csv("NIP;Nama;Kode Unit;Aktif", f"{DEMO['employee']};{putri.name};PKM-SEIJANG;Tidak")
    batch_id = preview(db, "pegawai", content)
    assert counts(db, batch_id, "pegawai") == (0, 1, 0, 0)
    apply(db, batch_id, "pegawai")
    db.expire_all()
    moved = db.get(Employee, putri.id)
    assert not moved.is_active and moved.supervisor_id == putri.supervisor_id  # the column was not in the file
    assert db.execute(select(Unit.code).where(Unit.id == moved.unit_id)).scalar_one() == "PKM-SEIJANG"
    assert snapshot(db) == recounted(db)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([f"{NEW[0]};A;;", f"{NEW[0]};B;;"], "sudah ada di baris 2"),
        ([f"{NEW[0]};A;;{NEW[1]}"], "tidak ada di portal maupun di berkas"),
        ([f"{NEW[0]};A;;{NEW[0]}"], "atasannya sendiri"),
        ([f"{NEW[0]};A;;{NEW[1]}", f"{NEW[1]};B;;{NEW[0]}"], "melingkar"),
        ([f"{NEW[0]};A;TIDAK-ADA;"], "Kode unit TIDAK-ADA tidak dikenal"),
        (["1.98501E+17;A;;"], "notasi ilmiah"),
        ([f"{NEW[0]};;;"], "Wajib diisi"),
    ],
)
def test_rejected_rows_name_the_row_the_column_and_the_reason(db, lines, message):
    batch_id = preview(db, "pegawai", csv("NIP;Nama;Kode Unit;NIP Atasan", *lines))
    rejects, _ignored = imports.rejected_rows(db, batch_id)
    assert rejects and any(message in text for r in rejects for _column, text in r["errors"]), rejects
    assert all(r["number"] >= 2 for r in rejects)


def test_a_loop_through_a_stored_supervisor_is_refused(db):
    """The putri -> ratna chain is stored; making ratna report to putri would close a loop."""
    ratna = db.execute(select(Employee.name).where(Employee.nip == DEMO["supervisor"])).scalar_one()
    batch_id = preview(db, "pegawai", csv("NIP;Nama;NIP Atasan", f"{DEMO['supervisor']};{ratna};{DEMO['employee']}"))
    rejects, _ = imports.rejected_rows(db, batch_id)
    assert "melingkar" in rejects[0]["errors"][0][1]


def test_apply_with_rejected_rows_needs_the_choice_of_only_the_valid_ones(db):
    content = csv("NIP;Nama", f"{NEW[0]};Budi", "1.99E+17;Rusak", f"{NEW[1]};Siti")
    batch_id = preview(db, "pegawai", content)
    assert counts(db, batch_id, "pegawai") == (2, 0, 0, 1)
    before = people(db)
    with pytest.raises(imports.ImportRefused):
        apply(db, batch_id, "pegawai")
    assert people(db) == before
    assert imports.batch(db, batch_id, "pegawai").status == "preview"
    assert apply(db, batch_id, "pegawai", only_valid=True)["create"] == 2
    assert people(db) == before + 2


def test_a_second_apply_of_the_same_batch_is_refused(db):
    batch_id = preview(db, "pegawai", EMPLOYEES)
    apply(db, batch_id, "pegawai")
    with pytest.raises(imports.ImportRefused):
        apply(db, batch_id, "pegawai")


def test_undo_takes_an_import_back_until_something_depends_on_it(db):
    before = people(db)
    batch_id = preview(db, "pegawai", EMPLOYEES)
    apply(db, batch_id, "pegawai")
    training = db.execute(select(Training.id, Training.code).order_by(Training.id)).first()
    # an enrolment of one of the new people: the employee import cannot be undone any more
    enrol = preview(db, "peserta", csv("Kode Pelatihan;NIP;Status", f"{training.code};{NEW[0]};Terdaftar"))
    apply(db, enrol, "peserta")
    problem = imports.undo_problem(db, batch_id, "pegawai")
    assert problem and "peserta pelatihan" in problem
    with pytest.raises(imports.ImportRefused):
        imports.undo(db, batch_id, "pegawai", hr_id(db), TODAY)
    imports.undo(db, enrol, "peserta", hr_id(db), TODAY)
    assert imports.undo_problem(db, batch_id, "pegawai") is None
    imports.undo(db, batch_id, "pegawai", hr_id(db), TODAY)
    assert people(db) == before
    assert imports.batch(db, batch_id, "pegawai").status == "undone"
    assert snapshot(db) == recounted(db)


def test_undo_of_an_update_restores_the_values_unless_changed_since(db):
    putri = db.execute(select(Employee).where(Employee.nip == DEMO["employee"])).scalar_one()
    batch_id = preview(db, "pegawai", csv("NIP;Nama;Email", f"{DEMO['employee']};Putri W.;baru@contoh.go.id"))
    apply(db, batch_id, "pegawai")
    imports.undo(db, batch_id, "pegawai", hr_id(db), TODAY)
    db.expire_all()
    back = db.get(Employee, putri.id)
    assert (back.name, back.email) == (putri.name, putri.email)
    second = preview(db, "pegawai", csv("NIP;Nama", f"{DEMO['employee']};Putri W."))
    apply(db, second, "pegawai")
    db.execute(update(Employee).where(Employee.id == putri.id).values(name="Diubah lewat formulir"))
    db.commit()
    assert "diubah lagi" in imports.undo_problem(db, second, "pegawai")


def test_units_import_builds_the_tree_and_refuses_a_loop(db):
    content = csv("Kode Unit;Nama Unit;Kode Induk", "DISPAR;Dinas Pariwisata;PEMKOT", "DISPAR-SEK;Sekretariat Dinas Pariwisata;DISPAR")
    apply(db, preview(db, "unit", content), "unit")
    parent = db.execute(select(Unit.id).where(Unit.code == "DISPAR")).scalar_one()
    assert db.execute(select(Unit.parent_id).where(Unit.code == "DISPAR-SEK")).scalar_one() == parent
    loop = preview(db, "unit", csv("Kode Unit;Nama Unit;Kode Induk", "DISPAR;Dinas Pariwisata;DISPAR-SEK"))
    rejects, _ = imports.rejected_rows(db, loop)
    assert "melingkar" in rejects[0]["errors"][0][1]


def test_positions_import_sets_the_standard_with_class_defaults_and_gaps_follow(db):
    content = csv("Kode Jabatan;Nama Jabatan;Kelas Jabatan;Kode Unit;M1;T-KES-1", "JAB-BARU;Analis Data;Fungsional Ahli Muda;DINKES;;3")
    batch_id = preview(db, "jabatan", content)
    rejects, _ = imports.rejected_rows(db, batch_id)
    assert counts(db, batch_id, "jabatan") == (1, 0, 0, 0), rejects
    apply(db, batch_id, "jabatan")
    pid = db.execute(select(Position.id).where(Position.code == "JAB-BARU")).scalar_one()
    levels = dict(db.execute(select(PositionStandard.competency_id, PositionStandard.required_level).where(PositionStandard.position_id == pid)).all())
    assert len(levels) >= 9 and set(levels.values()) == {2, 3}  # managerial default of ahli muda is 2
    # the demo employee's position: raise one required level, her gaps move, the summary stays exact
    putri_position = db.execute(select(Position.code, Position.name, Position.position_class).join(Employee, Employee.position_id == Position.id).where(Employee.nip == DEMO["employee"])).one()
    raise_it = csv("Kode Jabatan;Nama Jabatan;Kelas Jabatan;M1", f"{putri_position.code};{putri_position.name};{putri_position.position_class};5")
    batch_id = preview(db, "jabatan", raise_it)
    assert counts(db, batch_id, "jabatan") == (0, 1, 0, 0)
    apply(db, batch_id, "jabatan")
    assert snapshot(db) == recounted(db)
    imports.undo(db, batch_id, "jabatan", hr_id(db), TODAY)
    assert snapshot(db) == recounted(db)


def test_trainings_import_with_competencies_and_a_moved_year_moves_the_jp(db):
    content = csv(
        "Kode Pelatihan;Judul;Metode;Tanggal Mulai;Tanggal Selesai;JP;Biaya (Rp);Kode Kompetensi",
        "PLT-2027-001;Pelatihan Data;bimbingan teknis;15 Maret 2027;18/03/2027;24;Rp 2.500.000;M1, M3",
    )
    apply(db, preview(db, "pelatihan", content), "pelatihan")
    t = db.execute(select(Training).where(Training.code == "PLT-2027-001")).scalar_one()
    assert (t.kind, t.mode, t.jp, t.cost, t.ends_on) == ("bimtek", "klasikal", 24, 2500000, date(2027, 3, 18))
    assert db.execute(select(func.count()).select_from(TrainingCompetency).where(TrainingCompetency.training_id == t.id)).scalar_one() == 2
    # a demo training with participants moved into the next year: the JP summary moves with it
    demo = db.execute(select(Training).join(Enrollment, Enrollment.training_id == Training.id).where(Enrollment.status == "completed").order_by(Training.id)).scalars().first()
    moved = csv(
        "Kode Pelatihan;Judul;Metode;Tanggal Mulai;Tanggal Selesai;JP",
        f"{demo.code};{demo.title};{demo.kind};{(demo.starts_on.replace(year=demo.starts_on.year + 1)).isoformat()};{(demo.ends_on.replace(year=demo.ends_on.year + 1)).isoformat()};{demo.jp}",
    )
    batch_id = preview(db, "pelatihan", moved)
    assert counts(db, batch_id, "pelatihan")[1] == 1, imports.rejected_rows(db, batch_id)
    apply(db, batch_id, "pelatihan")
    assert snapshot(db) == recounted(db)
    imports.undo(db, batch_id, "pelatihan", hr_id(db), TODAY)
    assert snapshot(db) == recounted(db)


def test_attendance_credits_jp_and_keeps_the_open_survey_in_step(db):
    """A training with an open reaction survey: newly present people are invited, people marked absent lose
    their unsubmitted invitation, and someone who already submitted cannot be marked absent."""
    inv = db.execute(
        select(SurveyInvitation.training_id, SurveyInvitation.employee_id, SurveyInvitation.status)
        .join(Training, Training.id == SurveyInvitation.training_id)
        .where(Training.survey_closes_on >= TODAY, Training.survey_opens_on <= TODAY)
    ).all()
    assert inv, "the demo data has an open survey"
    training_id = inv[0].training_id
    code = db.execute(select(Training.code).where(Training.id == training_id)).scalar_one()
    submitted = [i.employee_id for i in inv if i.training_id == training_id and i.status == "submitted"]
    pending = [i.employee_id for i in inv if i.training_id == training_id and i.status != "submitted"]
    nip = dict(db.execute(select(Employee.id, Employee.nip)).all())
    enrolled = set(db.execute(select(Enrollment.employee_id).where(Enrollment.training_id == training_id)).scalars())
    newcomer = next(e for e in nip if e not in enrolled)
    lines = [f"{code};{nip[newcomer]};Hadir"]
    if pending:
        lines.append(f"{code};{nip[pending[0]]};Tidak hadir")
    if submitted:
        lines.append(f"{code};{nip[submitted[0]]};Tidak hadir")
    batch_id = preview(db, "peserta", csv("Kode Pelatihan;NIP;Status", *lines))
    rejects, _ = imports.rejected_rows(db, batch_id)
    assert len(rejects) == (1 if submitted else 0), rejects
    if submitted:
        assert "sudah mengirim survei" in rejects[0]["errors"][0][1]
    apply(db, batch_id, "peserta", only_valid=True)
    invited = set(db.execute(select(SurveyInvitation.employee_id).where(SurveyInvitation.training_id == training_id)).scalars())
    assert newcomer in invited
    if pending:
        assert pending[0] not in invited
    jp = db.execute(select(Enrollment.jp_credited).where(Enrollment.training_id == training_id, Enrollment.employee_id == newcomer)).scalar_one()
    assert jp == db.execute(select(Training.jp).where(Training.id == training_id)).scalar_one()
    assert snapshot(db) == recounted(db)
    imports.undo(db, batch_id, "peserta", hr_id(db), TODAY)
    assert newcomer not in set(db.execute(select(SurveyInvitation.employee_id).where(SurveyInvitation.training_id == training_id)).scalars())
    assert snapshot(db) == recounted(db)


def test_jp_only_for_those_who_took_part(db):
    code = db.execute(select(Training.code).order_by(Training.id)).scalars().first()
    batch_id = preview(db, "peserta", csv("Kode Pelatihan;NIP;Status;JP Diakui", f"{code};{NEW[0]};Hadir;", f"{code};{DEMO['hr']};Tidak hadir;10"))
    rejects, _ = imports.rejected_rows(db, batch_id)
    messages = [text for r in rejects for _c, text in r["errors"]]
    assert any("tidak ada di portal" in m for m in messages) and any("JP hanya diakui" in m for m in messages)


@pytest.mark.parametrize("kind", list(imports.KINDS))
def test_every_template_reads_back_as_its_own_example_rows(db, kind):
    """The downloaded template (XLSX and CSV) uploads without a file error, with its example rows."""
    for content, name in ((templates.xlsx_template(db, kind), "templat.xlsx"), (templates.csv_template(db, kind), "templat.csv")):
        plan = imports.plan_file(db, kind, content, name, TODAY, 10 * MB)
        assert len(plan.rows) == len(imports.KINDS[kind].examples)
        db.rollback()


def test_an_xlsx_filled_in_the_template_imports(db):
    content = xlsx({"Data": [["NIP *", "Nama *", "Kode Unit"], [NEW[0], "Budi", "DINKES"], [None, None, None], [NEW[1], "Siti", "DINKES"]]})
    batch_id = preview(db, "pegawai", content, "pegawai.xlsx")
    assert counts(db, batch_id, "pegawai") == (2, 0, 0, 0)


def test_jp_summary_is_exact_after_a_large_enrolment_import(db):
    codes = list(db.execute(select(Training.code).order_by(Training.id).limit(3)).scalars())
    nips = list(db.execute(select(Employee.nip).order_by(Employee.id)).scalars())
    lines = [f"{c};{n};{'Selesai' if i % 3 else 'Tidak hadir'}" for c in codes for i, n in enumerate(nips)]
    batch_id = preview(db, "peserta", csv("Kode Pelatihan;NIP;Status", *lines))
    rejects, _ = imports.rejected_rows(db, batch_id)
    apply(db, batch_id, "peserta", only_valid=bool(rejects))
    assert db.execute(select(func.count()).select_from(EmployeeJp)).scalar_one() > 0
    assert snapshot(db) == recounted(db)


def test_old_previews_can_be_discarded_and_lose_their_file(db):
    batch_id = preview(db, "pegawai", EMPLOYEES)
    assert imports.discard(db, batch_id, "pegawai", hr_id(db))
    assert db.execute(select(ImportBatch.content, ImportBatch.status).where(ImportBatch.id == batch_id)).one() == (None, "discarded")
    with pytest.raises(imports.ImportRefused):
        apply(db, batch_id, "pegawai")
    assert [b.id for b in imports.history(db, "pegawai")] == [batch_id]
