"""Closing the loop from gap to development (SQLite and PostgreSQL): from a cell of HR's gap map, the
trainings still to come that target its competency, and enrolling the cell's people who have a gap;
an employee's result page lists trainings to come before past ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from portal import clock
from portal.models import AssessmentGap, Competency, Employee, Enrollment, PositionStandard, Training, TrainingCompetency
from tests.conftest import DEMO, login, post, text_of
from tests.test_summaries import recounted, snapshot


def gap_cell(db):
    """The demo cell (cycle, unit, competency) with the most people having a gap (by the summary)."""
    from sqlalchemy import func

    return db.execute(
        select(AssessmentGap.cycle_id, AssessmentGap.unit_id, AssessmentGap.competency_id, func.count().label("n"))
        .where(AssessmentGap.gap > 0)
        .group_by(AssessmentGap.cycle_id, AssessmentGap.unit_id, AssessmentGap.competency_id)
        .order_by(func.count().desc(), AssessmentGap.cycle_id.desc(), AssessmentGap.unit_id, AssessmentGap.competency_id)
    ).first()


def future_training(db, competency_id: int, days: int = 30) -> int:
    start = clock.today() + timedelta(days=days)
    tid = db.execute(
        insert(Training)
        .values(code=f"GAP-{competency_id}-{days}", title=f"Pelatihan Penutup Kesenjangan {days}", kind="pelatihan", mode="klasikal",
                provider="BPSDM", description="", starts_on=start, ends_on=start + timedelta(days=2), jp=24, application_due_days=90)
        .returning(Training.id)
    ).scalar_one()
    db.execute(insert(TrainingCompetency).values(training_id=tid, competency_id=competency_id))
    db.commit()
    return tid


def test_hr_enrols_the_people_of_a_gap_cell_in_a_training_to_come(client, db):
    cell = gap_cell(db)
    tid = future_training(db, cell.competency_id)
    login(client, DEMO["hr"])
    query = f"siklus={cell.cycle_id}&baris={cell.unit_id}&kompetensi={cell.competency_id}"
    page = text_of(client.get(f"/akpk/kesenjangan/sel?{query}").text)
    assert "Pelatihan terjadwal untuk kompetensi ini" in page and "Pelatihan Penutup Kesenjangan 30" in page
    confirm = client.get(f"/akpk/kesenjangan/daftarkan?{query}&pelatihan={tid}")
    assert confirm.status_code == 200
    listed = confirm.text.count("gap +")
    assert listed >= 1
    resp = post(client, f"/akpk/kesenjangan/daftarkan?{query}", {"pelatihan": str(tid)})
    assert resp.status_code == 303 and resp.headers["location"].startswith("/akpk/kesenjangan/sel?")
    enrolled = db.execute(select(Enrollment.employee_id, Enrollment.status).where(Enrollment.training_id == tid)).all()
    assert len(enrolled) == listed and {s for _e, s in enrolled} == {"registered"}
    # everyone enrolled is an active person of the unit with a gap in the competency
    unit_of = dict(db.execute(select(Employee.id, Employee.unit_id).where(Employee.id.in_([e for e, _s in enrolled]))).all())
    assert set(unit_of.values()) == {cell.unit_id}
    # a second time nobody is left to enrol
    again = client.get(f"/akpk/kesenjangan/daftarkan?{query}&pelatihan={tid}")
    assert "Tidak ada pegawai dengan kesenjangan" in text_of(again.text)
    post(client, f"/akpk/kesenjangan/daftarkan?{query}", {"pelatihan": str(tid)})
    assert len(db.execute(select(Enrollment.id).where(Enrollment.training_id == tid)).all()) == listed
    assert snapshot(db) == recounted(db)


def test_a_past_training_or_one_of_another_competency_cannot_be_used(client, db):
    cell = gap_cell(db)
    other = db.execute(select(Competency.id).where(Competency.id != cell.competency_id).order_by(Competency.id)).scalars().first()
    tid = future_training(db, other)
    past = future_training(db, cell.competency_id, days=-60)
    login(client, DEMO["hr"])
    query = f"siklus={cell.cycle_id}&baris={cell.unit_id}&kompetensi={cell.competency_id}"
    for training in (tid, past):
        assert client.get(f"/akpk/kesenjangan/daftarkan?{query}&pelatihan={training}").status_code == 404
        assert post(client, f"/akpk/kesenjangan/daftarkan?{query}", {"pelatihan": str(training)}).status_code == 404
    assert not db.execute(select(Enrollment.id).where(Enrollment.training_id.in_([tid, past]))).all()


def test_the_result_page_lists_trainings_to_come_first(client, db):
    """Putri's largest gaps: a training to come that targets one of them is suggested before past ones."""
    from tests.test_assessments import fill_all, open_cycle, standard

    login(client, DEMO["employee"])
    cycle = open_cycle(db)
    cids = standard(db, DEMO["employee"])
    fill_all(client, f"/penilaian/{cycle}", cids, 1)
    post(client, f"/penilaian/{cycle}/kirim")
    required = dict(
        db.execute(
            select(PositionStandard.competency_id, PositionStandard.required_level)
            .join(Employee, Employee.position_id == PositionStandard.position_id)
            .where(Employee.nip == DEMO["employee"])
        ).all()
    )
    gapped = next(c for c in cids if required[c] > 1)  # self-assessed 1 everywhere: a gap
    future_training(db, gapped, days=45)
    page = text_of(client.get(f"/penilaian/{cycle}/hasil").text)
    suggestions = page.split("Saran pengembangan", 1)[1]
    assert suggestions.index("Pelatihan Penutup Kesenjangan 45") < suggestions.index("Sudah terlaksana")
