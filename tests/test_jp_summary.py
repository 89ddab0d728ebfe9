"""The per-employee JP summary (table `employeejp`) on SQLite and PostgreSQL: kept exact by the
enrolment service through any write to enrollments or to a training's dates, filled by its
migration, rebuilt by `portal summaries rebuild jp`, and read by the JP figures of the HR pages."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import create_engine, delete, func, inspect, select, update
from sqlalchemy.exc import IntegrityError

from portal.cli import downgrade_database, upgrade_database
from portal.models import Employee, EmployeeJp, Enrollment, Training
from portal.services import summaries
from portal.services.trainings import enrollments
from tests import rig
from tests.conftest import DEMO, login, text_of

PREVIOUS_REVISION = "f798effdbe1e"


def stored(db) -> list[tuple]:
    db.expire_all()
    return sorted(
        tuple(r) for r in db.execute(select(EmployeeJp.employee_id, EmployeeJp.year, EmployeeJp.trainings, EmployeeJp.jp).where(EmployeeJp.trainings > 0))
    )


def recount(db) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute(summaries.jp.recount_select()))


def test_demo_summary_equals_recount(db):
    rows = stored(db)
    assert len(rows) > 20
    assert rows == recount(db)


def test_every_kind_of_enrolment_write_keeps_the_summary(db):
    """Random enrolments, status and JP changes, removals, and trainings moved to another year, all
    through portal.services.trainings.enrollments: after each step the summary equals the recount (and
    no row of the summary is ever negative)."""
    rng = random.Random(7)
    trainings = db.execute(select(Training.id, Training.ends_on)).all()
    employees = list(db.execute(select(Employee.id)).scalars())
    statuses = ("registered", "attended", "completed", "absent")
    assert recount(db) == stored(db)
    for step in range(40):
        action = rng.choice(("insert", "insert", "status", "jp", "delete", "year"))
        row = rng.choice(db.execute(select(Enrollment.training_id, Enrollment.employee_id).order_by(Enrollment.id)).all())
        if action == "insert":
            tid = rng.choice(trainings)[0]
            taken = set(db.execute(select(Enrollment.employee_id).where(Enrollment.training_id == tid)).scalars())
            free = [e for e in employees if e not in taken]
            if free:
                enrollments.enrol(db, tid, rng.choice(free), status=rng.choice(statuses), jp_credited=rng.randint(0, 30))
        elif action == "status":
            enrollments.update_enrollment(db, row.training_id, row.employee_id, status=rng.choice(statuses))
        elif action == "jp":
            enrollments.update_enrollment(db, row.training_id, row.employee_id, jp_credited=rng.randint(0, 40))
        elif action == "delete":
            try:
                with db.begin_nested():  # enrollments with ratings or impact scores cannot go
                    enrollments.remove_enrollment(db, row.training_id, row.employee_id)
            except IntegrityError:
                pass
        else:
            tid, ends_on = rng.choice(trainings)
            new_end = ends_on + timedelta(days=rng.choice((-400, -30, 30, 400)))
            enrollments.move_training(db, tid, new_end - timedelta(days=1), new_end)
            trainings = db.execute(select(Training.id, Training.ends_on)).all()
        db.commit()
        assert stored(db) == recount(db), (step, action)
        assert db.execute(select(func.min(EmployeeJp.jp))).scalar_one() >= 0
        assert db.execute(select(func.min(EmployeeJp.trainings))).scalar_one() >= 0


def test_rebuild_repairs_a_damaged_summary(db):
    expected = recount(db)
    db.execute(update(EmployeeJp).values(jp=EmployeeJp.jp + 7))
    db.execute(delete(EmployeeJp).where(EmployeeJp.employee_id == db.execute(select(func.min(EmployeeJp.employee_id))).scalar_one()))
    db.commit()
    assert stored(db) != expected
    summaries.jp.rebuild(db)
    db.commit()
    assert stored(db) == expected


def test_migration_fills_the_summary_from_existing_enrollments(db_url, db):
    """Down below its revision (the summary goes, the enrollments stay), then up again: the backfill
    equals the recount, and writes through the service keep it."""
    db.close()
    downgrade_database(rig.test_settings(db_url), PREVIOUS_REVISION)
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            assert "employeejp" not in inspect(conn).get_table_names()
            conn.execute(update(Enrollment).where(Enrollment.status == "completed").values(jp_credited=Enrollment.jp_credited + 1))
            conn.commit()
    finally:
        engine.dispose()
    upgrade_database(rig.test_settings(db_url))
    expected = recount(db)
    assert stored(db) == expected and len(expected) > 20
    row = db.execute(select(Enrollment.training_id, Enrollment.employee_id).where(Enrollment.status == "completed").limit(1)).one()
    enrollments.update_enrollment(db, row.training_id, row.employee_id, jp_credited=99)
    db.commit()
    assert stored(db) == recount(db) != expected


def test_hr_jp_figures_follow_a_credited_enrollment(client, db):
    """HR's dashboard tile and JP report count an employee as reaching 20 JP once an enrollment of a
    training held this year is credited (read over HTTP, so through the pages' own queries)."""
    from portal import clock

    today = clock.today()
    year = today.year
    login(client, DEMO["hr"])
    per_emp = dict(db.execute(select(EmployeeJp.employee_id, EmployeeJp.jp).where(EmployeeJp.year == year, EmployeeJp.trainings > 0)).all())
    active = list(db.execute(select(Employee.id).where(Employee.is_active.is_(True))).scalars())
    who = next(e for e in active if per_emp.get(e, 0) < 20)
    tid = db.execute(
        select(Training.id)
        .where(Training.ends_on >= date(year, 1, 1), Training.ends_on <= today)
        .where(~Training.id.in_(select(Enrollment.training_id).where(Enrollment.employee_id == who)))
        .limit(1)
    ).scalar_one()

    def reached_on_pages() -> tuple[str, str, int]:
        dash = client.get(f"/laporan?periode={year}")
        jp = client.get(f"/laporan/jp?periode={year}")
        assert dash.status_code == jp.status_code == 200
        n = sum(1 for e in active if per_emp.get(e, 0) >= 20)
        return dash.text, jp.text, n

    dash_before, jp_before, n_before = reached_on_pages()
    enrollments.enrol(db, tid, who, status="completed", jp_credited=20)
    db.commit()
    per_emp[who] = per_emp.get(who, 0) + 20
    dash_after, jp_after, n_after = reached_on_pages()
    assert n_after == n_before + 1
    for html, n in ((dash_before, n_before), (dash_after, n_after), (jp_before, n_before), (jp_after, n_after)):
        assert f"{n} dari {len(active)}" in text_of(html), n


def test_the_jp_card_lists_what_counted_and_why_not(client, db):
    """Beranda's JP card: its total is the sum of the credited JP of the trainings the person took part
    in that ended this year, and its details name every training of the year with what counted and,
    for the others, why not (absent; attendance not recorded yet)."""
    from portal import clock

    today = clock.today()
    me = db.execute(select(Employee.id).where(Employee.nip == DEMO["employee"])).scalar_one()
    end = date(today.year, 1, 15)
    made = {}
    for code, title, jp, status, credited in (
        ("JPC-1", "Pelatihan Dihitung Penuh", 24, "completed", 24),
        ("JPC-2", "Pelatihan Dihitung Sebagian", 16, "attended", 8),
        ("JPC-3", "Pelatihan Tidak Dihadiri", 30, "absent", 0),
        ("JPC-4", "Pelatihan Belum Dicatat", 12, "registered", 0),
    ):
        t = Training(code=code, title=title, kind="pelatihan", mode="klasikal", starts_on=end - timedelta(days=2), ends_on=end, jp=jp)
        db.add(t)
        db.flush()
        enrollments.enrol(db, t.id, me, status=status, jp_credited=credited)
        made[title] = t.id
    db.commit()
    expected = sum(
        int(credited or 0)
        for credited, in db.execute(
            select(Enrollment.jp_credited)
            .join(Training, Training.id == Enrollment.training_id)
            .where(Enrollment.employee_id == me, Enrollment.status.in_(("attended", "completed")), Training.ends_on.between(date(today.year, 1, 1), date(today.year, 12, 31)))
        )
    )
    login(client, DEMO["employee"])
    page = text_of(client.get("/").text)
    assert f"{expected} dari 20 JP" in page
    assert "Pelatihan Dihitung Penuh · 24 JP dihitung" in page
    assert "Pelatihan Dihitung Sebagian · 8 dari 16 JP dihitung" in page
    assert "Pelatihan Tidak Dihadiri · 30 JP tidak dihitung: tercatat tidak hadir" in page
    assert "Pelatihan Belum Dicatat · 12 JP belum dihitung: kehadiran belum dicatat BKPSDM" in page
