"""Backups under load and the restore drill (issue #18): `portal backup` while HTTP writers autosave and
submit surveys against a live server, `portal restore` into a fresh database, a fresh live server on it,
and every write acknowledged before the backup started is there, the database consistent (integrity
check, summaries equal their recounts). SQLite with the online backup API; PostgreSQL with pg_dump -Fc /
pg_restore (the drill docs/operations.md describes)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select
from sqlmodel import Session

from portal.models import DraftAnswer, Employee, SurveyDraft, SurveyInvitation
from tests import rig, survey_writers
from tests.conftest import DEMO, login


def portal(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """The real `portal` command with the database of `database_url`."""
    env = {"PORTAL_ENV": "test", "PORTAL_DATABASE_URL": database_url, "PORTAL_SECRET_KEY": rig.TEST_SECRET}
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", *args], cwd=rig.ROOT, env={**os.environ, **env},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300, check=False,
    )


def back_up_under_load(database_url: str, dump: Path) -> tuple[dict, set]:
    """Writers on a live server of `database_url`; `portal backup` while they write. Returns the writes
    acknowledged before the backup started."""
    plan = survey_writers.prepare(database_url)
    server = rig.LiveServer(database_url)
    load = survey_writers.Load(server.url, plan, rounds=2)
    try:
        load.start()
        assert load.wait_for_more(than=30, timeout=60), "no write acknowledged before the backup"
        saved, submitted = load.acknowledged()
        done = portal(database_url, "backup", str(dump))
        assert done.returncode == 0, done.stderr
        assert "Cadangan dibuat" in done.stdout
        # the writers kept writing while and after it ran
        assert load.wait_for_more(than=load.count(), timeout=30)
        load.finish()
    finally:
        load.stop.set()
        server.stop()
    assert saved and submitted, "the backup should find autosaves and submits acknowledged before it"
    return saved, submitted


def serves_the_restored_data(database_url: str) -> None:
    """A fresh live server on the restored database: an employee logs in and sees the draft answer the
    database holds for their open survey."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as db:
            row = db.execute(
                select(SurveyDraft.invitation_id, DraftAnswer.value_text)
                .join(DraftAnswer, DraftAnswer.draft_id == SurveyDraft.id)
                .join(SurveyInvitation, SurveyInvitation.id == SurveyDraft.invitation_id)
                .join(Employee, Employee.id == SurveyInvitation.employee_id)
                .where(Employee.nip == DEMO["employee"], DraftAnswer.value_text.like("w%"))
            ).first()
    finally:
        engine.dispose()
    assert row is not None, "the employee's open survey has a draft answer of the writers"
    server = rig.LiveServer(database_url)
    try:
        with httpx.Client(base_url=server.url, timeout=30, follow_redirects=True) as client:
            login(client, DEMO["employee"])
            assert client.get("/survei").status_code == 200
            page = client.get(f"/survei/{row.invitation_id}")
            assert page.status_code == 200 and row.value_text in page.text
    finally:
        server.stop()


def test_sqlite_backup_under_load_restores_every_acknowledged_write(sqlite_templates, tmp_path):
    live = tmp_path / "live.db"
    shutil.copyfile(sqlite_templates["demo"], live)
    dump = tmp_path / "cadangan" / "portal.db"
    saved, submitted = back_up_under_load(f"sqlite:///{live}", dump)
    assert portal(f"sqlite:///{live}", "backup", str(dump)).returncode != 0, "a backup never overwrites a file"

    restored = tmp_path / "restored.db"
    done = portal(f"sqlite:///{restored}", "restore", str(dump))
    assert done.returncode == 0, done.stderr
    refused = portal(f"sqlite:///{restored}", "restore", str(dump))
    assert refused.returncode != 0 and "--force" in refused.stderr, "a database with tables is not overwritten silently"

    conn = sqlite3.connect(restored)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    url = f"sqlite:///{restored}"
    survey_writers.check_acknowledged(url, saved, submitted)
    survey_writers.summaries_match_recount(url)
    serves_the_restored_data(url)


def test_postgres_restore_drill_pg_dump_under_load_and_pg_restore(pg_server, pg_templates, tmp_path):
    """The drill of docs/operations.md: pg_dump -Fc of the live database while it is written to,
    pg_restore into a new empty database, the portal served from it."""
    source, target = (f"drill_{name}_{uuid.uuid4().hex[:6]}" for name in ("src", "dst"))
    rig.pg_admin(pg_server, f"CREATE DATABASE {source} TEMPLATE {pg_templates['demo']}", f"CREATE DATABASE {target}")
    try:
        dump = tmp_path / "portal.dump"
        saved, submitted = back_up_under_load(pg_server.url(source), dump)
        assert dump.read_bytes()[:5] == b"PGDMP", "a pg_dump custom-format archive"

        done = portal(pg_server.url(target), "restore", str(dump))
        assert done.returncode == 0, done.stderr
        refused = portal(pg_server.url(target), "restore", str(dump))
        assert refused.returncode != 0 and "--force" in refused.stderr
        forced = portal(pg_server.url(target), "restore", "--force", str(dump))
        assert forced.returncode == 0, forced.stderr

        url = pg_server.url(target)
        survey_writers.check_acknowledged(url, saved, submitted)
        survey_writers.summaries_match_recount(url)
        serves_the_restored_data(url)
    finally:
        rig.pg_admin(pg_server, *(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in (source, target)))
