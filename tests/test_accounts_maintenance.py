"""Housekeeping of the accounts (docs/operations.md, "Housekeeping"): what has run out is purged by
`portal maintenance` (cron) and by the in-app periodic task; what is still valid stays."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from portal import security
from portal.cli import main
from portal.models import AccountToken, Employee, LoginFailure, PasswordResetRequest, UserSession, utcnow
from portal.services.accounts import jobs
from tests import rig
from tests.conftest import DEMO


def _seed(db, settings) -> dict[str, set]:  # noqa: ANN001
    """One expired and one valid row of each kind; returns the ids (keys) that must survive."""
    now = utcnow()
    me = db.execute(select(Employee.id).where(Employee.nip == DEMO["employee"])).scalar_one()
    idle = timedelta(minutes=settings.session_idle_minutes)
    sessions = {
        "idle": UserSession(id=security.session_key("idle"), employee_id=me, created_at=now - idle * 2, last_seen_at=now - idle - timedelta(minutes=1)),
        "too-old": UserSession(id=security.session_key("old"), employee_id=me, created_at=now - timedelta(hours=settings.session_absolute_hours + 1), last_seen_at=now),
        "fresh": UserSession(id=security.session_key("fresh"), employee_id=me, created_at=now, last_seen_at=now),
    }
    old = now - timedelta(minutes=max(settings.login_window_minutes, settings.login_lock_minutes) + 1)
    failures = [LoginFailure(nip=DEMO["employee"], ip="10.0.0.1", at=old), LoginFailure(nip=DEMO["employee"], ip="10.0.0.1", at=now)]
    links = [
        AccountToken(token_hash="a" * 64, purpose="activation", employee_id=me, created_at=now - timedelta(days=40), expires_at=now - timedelta(days=31)),
        AccountToken(token_hash="b" * 64, purpose="activation", employee_id=me, created_at=now - timedelta(days=8), expires_at=now - timedelta(days=1)),
    ]
    requests = [PasswordResetRequest(nip="1", ip="x", at=now - timedelta(hours=2)), PasswordResetRequest(nip="2", ip="x", at=now)]
    db.add_all([*sessions.values(), *failures, *links, *requests])
    db.commit()
    return {
        "sessions": {sessions["fresh"].id},
        "failures": {failures[1].id},
        "links": {links[1].id},  # expired yesterday: kept a while for the person's page
        "requests": {requests[1].id},
    }


def _left(db) -> dict[str, set]:  # noqa: ANN001
    db.expire_all()
    return {
        "sessions": set(db.execute(select(UserSession.id)).scalars()),
        "failures": set(db.execute(select(LoginFailure.id)).scalars()),
        "links": set(db.execute(select(AccountToken.id)).scalars()),
        "requests": set(db.execute(select(PasswordResetRequest.id)).scalars()),
    }


def test_portal_maintenance_purges_what_has_run_out_and_keeps_the_rest(db_url, settings, db):
    kept = _seed(db, settings)
    env = {"PORTAL_ENV": "test", "PORTAL_DATABASE_URL": db_url, "PORTAL_SECRET_KEY": rig.TEST_SECRET}
    result = CliRunner().invoke(main, ["maintenance"], env=env)
    assert result.exit_code == 0, result.output
    assert "Dihapus: 2 sesi kedaluwarsa, 1 percobaan masuk gagal yang lama, 1 tautan sekali pakai yang lama, 1 permintaan" in result.output
    assert _left(db) == kept
    again = CliRunner().invoke(main, ["maintenance"], env=env)
    assert "Dihapus: 0 sesi" in again.output


def test_the_in_app_task_purges_periodically(engine, settings, db):
    kept = _seed(db, settings)
    housekeeping = jobs.Housekeeping(engine, settings, interval_seconds=0.05)

    async def run() -> None:
        await housekeeping.start()
        for _ in range(100):
            await asyncio.sleep(0.05)
            if housekeeping.runs >= 2:
                break
        await housekeeping.stop()

    _run_on_its_own_loop(run)
    assert housekeeping.runs >= 2
    assert _left(db) == kept


def test_the_in_app_task_is_off_with_an_interval_of_zero(engine, settings):
    housekeeping = jobs.Housekeeping(engine, replace(settings, purge_interval_minutes=0))

    async def run() -> None:
        await housekeeping.start()
        await asyncio.sleep(0.05)
        await housekeeping.stop()

    _run_on_its_own_loop(run)
    assert housekeeping.interval == 0 and housekeeping.runs == 0


def test_the_app_starts_the_task_with_the_configured_interval(app, settings):
    assert app.state.housekeeping.interval == settings.purge_interval_minutes * 60 == 3600


def _run_on_its_own_loop(make_coroutine) -> None:  # noqa: ANN001
    """asyncio.run in a thread of its own: in the whole suite the browser tests' Playwright (sync API)
    keeps an event loop running on the main thread, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: asyncio.run(make_coroutine())).result()
