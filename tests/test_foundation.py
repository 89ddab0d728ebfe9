"""Settings, migrations, CLI and demo data (SQLite and PostgreSQL where a database is involved)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

import portal.models as m
from portal.settings import Settings, SettingsError
from tests import rig
from tests.conftest import DEMO


def test_production_without_secret_key_is_a_startup_error():
    with pytest.raises(SettingsError, match="PORTAL_SECRET_KEY"):
        Settings.from_env({"PORTAL_ENV": "production"})
    with pytest.raises(SettingsError):
        Settings.from_env({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "short"})
    ok = Settings.from_env({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k3Y-9vQz_Lm2Rt8wXp4Nb7Hs1Jd6Fg0CaEu5"})
    assert ok.is_production and ok.secure_cookies


def test_development_defaults():
    s = Settings.from_env({})
    assert s.environment == "development" and s.database_url.endswith("var/portal.db")
    assert s.session_idle_minutes == 30 and s.session_absolute_hours == 8
    s2 = Settings.from_env({"PORTAL_DATABASE_URL": "postgresql://u@h/db", "PORTAL_SESSION_IDLE_MINUTES": "10"})
    assert s2.database_url == "postgresql://u@h/db" and s2.session_idle_minutes == 10


def test_cli_serve_refuses_to_start_in_production_without_secret():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["PORTAL_ENV"] = "production"
    proc = subprocess.run(
        [sys.executable, "-m", "portal.cli", "serve"], cwd=rig.ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert "PORTAL_SECRET_KEY" in proc.stderr


def test_migrations_reach_head_without_drift(empty_db_url):
    """`alembic upgrade head` from empty (done by the template) leaves nothing for autogenerate: `alembic check` is clean."""
    engine = create_engine(empty_db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
            assert diff == []
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    expected = {t.name for t in SQLModel.metadata.sorted_tables} | {"alembic_version"}
    assert tables == expected


def test_alembic_check_command_on_both_backends(empty_db_url):
    env = dict(os.environ, PORTAL_DATABASE_URL=empty_db_url)
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "alembic"), "check"],
        cwd=rig.ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "No new upgrade operations detected" in proc.stdout + proc.stderr


def test_sqlite_pragmas(tmp_path):
    from portal.db import make_engine

    engine = make_engine(rig.test_settings(f"sqlite:///{tmp_path / 'p.db'}"))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1  # deleted survey drafts are overwritten
    engine.dispose()


def test_constraints_keep_data_sane(db):
    emp = db.execute(select(m.Employee).where(m.Employee.nip == DEMO["employee"])).scalar_one()
    # unique NIP
    db.add(m.Employee(nip=DEMO["employee"], name="Duplikat"))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    # level outside 1..5
    comp = db.execute(select(m.Competency.id).limit(1)).scalar_one()
    db.add(m.CompetencyLevel(competency_id=comp, level=6, description="x"))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    # unique assessment per cycle / subject / rater role
    from datetime import date

    cycle = m.AssessmentCycle(name="Uji", year=2099, opens_on=date(2099, 1, 1), closes_on=date(2099, 2, 1))
    db.add(cycle)
    db.flush()
    db.add(m.Assessment(cycle_id=cycle.id, subject_id=emp.id, rater_id=emp.id, rater_role="self"))
    db.flush()
    db.add(m.Assessment(cycle_id=cycle.id, subject_id=emp.id, rater_id=emp.id, rater_role="self"))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    # foreign keys are enforced (SQLite too)
    db.add(m.Enrollment(training_id=999999, employee_id=emp.id))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_unique_submitted_response_per_invitation(db):
    from datetime import date

    emp_id = db.execute(select(m.Employee.id).where(m.Employee.nip == DEMO["employee"])).scalar_one()
    training_id = db.execute(select(m.Training.id).limit(1)).scalar_one()
    q = m.Questionnaire(title="Uji", anonymous=False)
    db.add(q)
    db.flush()
    inv = m.SurveyInvitation(training_id=training_id, employee_id=emp_id, questionnaire_id=q.id,
                             opens_on=date(2026, 1, 1), closes_on=date(2026, 1, 2))
    db.add(inv)
    db.flush()
    db.add(m.SurveyResponse(training_id=training_id, questionnaire_id=q.id, respondent_id=emp_id, invitation_id=inv.id))
    db.flush()
    db.add(m.SurveyResponse(training_id=training_id, questionnaire_id=q.id, respondent_id=emp_id, invitation_id=inv.id))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_demo_data_is_realistic(db):
    count = lambda model: db.execute(select(func.count()).select_from(model)).scalar_one()
    assert count(m.Employee) >= 50
    assert count(m.Unit) >= 6
    assert count(m.Competency) >= 9 + 12
    assert count(m.CompetencyLevel) == 5 * count(m.Competency)
    nips = db.execute(select(m.Employee.nip)).scalars().all()
    assert all(len(n) == 18 and n.isdigit() for n in nips)
    classes = set(db.execute(select(m.Position.position_class)).scalars())
    assert {"jpt_madya", "jpt_pratama", "administrator", "pengawas", "pelaksana"} <= classes
    # every demo role exists
    sup = db.execute(select(m.Employee).where(m.Employee.nip == DEMO["supervisor"])).scalar_one()
    reports = db.execute(select(func.count()).select_from(m.Employee).where(m.Employee.supervisor_id == sup.id)).scalar_one()
    assert reports >= 3
    assert db.execute(select(m.Employee.is_hr).where(m.Employee.nip == DEMO["hr"])).scalar_one()
    assert db.execute(select(m.Employee.is_admin).where(m.Employee.nip == DEMO["admin"])).scalar_one()
    titles = " ".join(db.execute(select(m.Training.title)).scalars())
    for expected in ("Pelayanan Publik", "Teknologi Informasi", "Bahasa", "Manajemen Puskesmas"):
        assert expected in titles


def test_demo_is_idempotent(db_url):
    from portal.db import make_engine, session_scope
    from portal import demo

    engine = make_engine(rig.test_settings(db_url))
    try:
        with Session(engine) as s:
            before = {t.name: s.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables}
        with session_scope(engine) as s:
            demo.seed(s)
        with Session(engine) as s:
            after = {t.name: s.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables}
    finally:
        engine.dispose()
    assert before == after


def test_demo_refuses_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_ENV="production", PORTAL_SECRET_KEY="k3Y-9vQz_Lm2Rt8wXp4Nb7Hs1Jd6Fg0CaEu5", PORTAL_DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    proc = subprocess.run([sys.executable, "-m", "portal.cli", "demo"], cwd=rig.ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "produksi" in proc.stderr


def test_demo_load_shows_its_progress(tmp_path):
    """`make run` on a fresh machine is not silent: the demo load draws a bar through its parts (on
    stderr), the summary of what was loaded goes to stdout, and the part labels are those of the seed."""
    url = f"sqlite:///{tmp_path}/progress.db"
    rig.build_database(url, demo=False)
    env = dict(os.environ, PORTAL_DATABASE_URL=url, PORTAL_ENV="test")
    proc = subprocess.run([sys.executable, "-m", "portal.cli", "demo"], cwd=rig.ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Memuat data demo" in proc.stderr
    assert "Data dasar demo dimuat" in proc.stdout and "Data demo penerapan (L3) dimuat" in proc.stdout
    from portal import demo
    from portal.db import make_engine, session_scope

    steps: list[str] = []
    url2 = f"sqlite:///{tmp_path}/progress2.db"
    rig.build_database(url2, demo=False)
    engine = make_engine(rig.test_settings(url2))
    try:
        with session_scope(engine) as s:
            demo.seed(s, progress=steps.append)
    finally:
        engine.dispose()
    assert steps == list(demo.PARTS)


def test_cli_help_explains_each_command():
    proc = subprocess.run([sys.executable, "-m", "portal.cli", "--help"], cwd=rig.ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    for cmd in ("serve", "db", "demo", "create-user"):
        assert cmd in proc.stdout


def test_create_user_prompts_for_password(tmp_path):
    url = f"sqlite:///{tmp_path}/cu.db"
    rig.build_database(url, demo=False)
    env = dict(os.environ, PORTAL_DATABASE_URL=url, PORTAL_ENV="test")
    proc = subprocess.run(
        [sys.executable, "-m", "portal.cli", "create-user", "--nip", "198001012005011001", "--name", "Uji Coba", "--hr"],
        cwd=rig.ROOT, env=env, input="Rahasia-Sekali-1\nRahasia-Sekali-1\n", capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    engine = create_engine(url)
    with Session(engine) as s:
        emp = s.execute(select(m.Employee).where(m.Employee.nip == "198001012005011001")).scalar_one()
        assert emp.is_hr and emp.password_hash.startswith("$argon2id$")
    engine.dispose()


@pytest.mark.parametrize(
    "url",
    ["/data-master/pegawai?page=abc", "/data-master/pelatihan?page=-3", "/pelatihan?page=abc", "/dampak?halaman=abc",
     "/laporan/jp?hal=x", "/laporan/respons?hal=%27"],
)
def test_mistyped_page_numbers_show_the_first_page(client, url):
    from tests.conftest import login

    login(client, DEMO["admin"])
    resp = client.get(url)
    assert resp.status_code == 200, resp.text[:300]
    assert "Traceback" not in resp.text
