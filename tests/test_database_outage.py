"""PostgreSQL restarted under load (issue #18, "Crash and load"): while the database is down the portal
answers 503 with a friendly page (a message for the flash area to htmx) and /healthz says the database is
unreachable; when the server is back the same portal process serves again, and no acknowledged write is
lost. Real uvicorn, a PostgreSQL server of this test's own (stopped with `pg_ctl stop -m immediate`), real
HTTP writers (tests/survey_writers.py). Also: a SQLite file locked beyond the busy timeout is the same 503."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from portal.db import backup, dialect
from tests import html_check, rig, survey_writers
from tests.browser.test_surveys_browser import _open_survey
from tests.conftest import DEMO, browser_login, login

FRIENDLY = "Basis data portal sedang tidak dapat dihubungi"
RECOVERY_BOUND_S = 30


@pytest.fixture
def own_pg() -> Iterator[rig.PgServer]:
    """A PostgreSQL server of this test only (the session's one is shared by every other test), with
    synchronous commits: a commit the portal acknowledged is on disk before the immediate stop."""
    server = rig.start_postgres(synchronous_commit=True)
    try:
        yield server
    finally:
        server.stop()


def _wait_for(predicate, timeout: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _health(server: rig.LiveServer) -> httpx.Response:
    return httpx.get(server.url + "/healthz", timeout=15)


def test_postgres_restart_under_load_answers_503_then_recovers_without_losing_writes(own_pg, pg_server, pg_templates, browser, tmp_path):
    # the demo database, copied from the session's template server (building it again takes half a minute)
    demo = tmp_path / "demo.dump"
    backup.backup(pg_server.url(pg_templates["demo"]), demo)
    rig.pg_admin(own_pg, "CREATE DATABASE portal")
    url = own_pg.url("portal")
    backup.restore(url, demo)
    plan = survey_writers.prepare(url)
    # a real connection pool (not the tests' NullPool): its connections die with the server
    server = rig.LiveServer(url, env={"PORTAL_DB_POOL_SIZE": "4"})
    load = survey_writers.Load(server.url, plan)
    try:
        observer = httpx.Client(base_url=server.url, timeout=15, follow_redirects=False)
        login(observer, DEMO["supervisor"])
        # a person filling the demo survey in Chromium (not one the writers touch)
        context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=server.url, locale="id-ID")
        tab = context.new_page()
        browser_login(tab, DEMO["employee"])
        question = _open_survey(tab)[0]
        load.start()
        assert load.wait_for_more(than=20, timeout=60), "the writers got no acknowledged write before the outage"

        own_pg.halt("immediate")
        try:
            page = observer.get("/")
            fragment = observer.get("/", headers={"HX-Request": "true"})
            health = _health(server)
            # the autosave answered 503: the message in the flash area, the question marked as not saved
            tab.check(f"#q-{question}-4")
            tab.locator("#flash-area", has_text=FRIENDLY).wait_for(timeout=10_000)
            tab.locator(f"#st-{question}.is-error").wait_for(timeout=10_000)
            # the writers meet the outage too (their autosaves are htmx posts)
            met = _wait_for(lambda: any(503 in w.refused for w in load.writers), timeout=10)
        finally:
            own_pg.resume()

        assert page.status_code == 503 and page.headers["retry-after"]
        assert page.headers["content-type"].startswith("text/html")
        assert page.text.lstrip().lower().startswith("<!doctype html>") and FRIENDLY in page.text
        assert fragment.status_code == 503 and FRIENDLY in fragment.text and "<html" not in fragment.text
        # htmx 4 swaps error responses: this one goes to the page's flash area, not into the autosave's target
        assert fragment.headers["hx-retarget"] == "#flash-area" and fragment.headers["hx-reswap"] == "innerHTML"
        assert health.status_code == 503 and health.json() == {"status": "error", "database": "unreachable"}
        assert met, "no writer was answered 503 while the database was down"
        errors = html_check.validate({"503 page": page.text})
        assert not errors, html_check.report(errors, 1)

        # back without a restart of the portal: the pool replaces its dead connections by itself
        assert _wait_for(lambda: _health(server).status_code == 200, timeout=RECOVERY_BOUND_S), "the portal did not recover"
        assert server.proc.poll() is None
        assert observer.get("/").status_code == 200  # the session survived, reads work
        tab.check(f"#q-{question}-3")
        tab.locator(f"#st-{question} .save-status-text", has_text="Tersimpan").wait_for(timeout=10_000)
        context.close()
        before = load.count()
        assert load.wait_for_more(than=before, timeout=RECOVERY_BOUND_S), "no write acknowledged after the database came back"
        load.finish()
        observer.close()
    finally:
        load.stop.set()
        server.stop()

    refused = [s for w in load.writers for s in w.refused]
    # a write the outage interrupted is a 503, never a 500 (nor a dropped connection); 409/422 are the
    # form's own answers to a retried submit or autosave whose first try was committed without an answer
    assert set(refused) <= {503, 409, 422}, sorted(set(refused))
    saved, submitted = load.acknowledged()
    assert saved and submitted
    survey_writers.check_acknowledged(url, saved, submitted)
    survey_writers.summaries_match_recount(url)


def test_sqlite_locked_beyond_the_busy_timeout_counts_as_unavailable(tmp_path):
    """The rule the 503 handler follows (portal.db.dialect.unavailable), on real errors: a SQLite file
    locked by another writer is an outage; a constraint violation or a missing table is not."""
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    holder.execute("BEGIN IMMEDIATE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    try:
        with engine.connect() as conn, pytest.raises(OperationalError) as locked:
            conn.execute(text("INSERT INTO t (id) VALUES (1)"))
        assert dialect.unavailable(locked.value)
        holder.execute("INSERT INTO t (id) VALUES (1)")
        holder.execute("COMMIT")
        with engine.connect() as conn:
            with pytest.raises(OperationalError) as missing:
                conn.execute(text("SELECT * FROM no_such_table"))
            with pytest.raises(IntegrityError) as duplicate:
                conn.execute(text("INSERT INTO t (id) VALUES (1)"))
        assert not dialect.unavailable(missing.value)
        assert not dialect.unavailable(duplicate.value)
    finally:
        engine.dispose()
        holder.close()


def test_postgres_unreachable_counts_as_unavailable():
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{rig.free_port()}/none")
    try:
        with pytest.raises(OperationalError) as refused:
            engine.connect()
        assert dialect.unavailable(refused.value)
    finally:
        engine.dispose()
