"""Test rig: a throwaway PostgreSQL server, template databases, a live uvicorn server.

Used by tests/conftest.py and by the bench/ scripts. Nothing here is mocked: PostgreSQL is the real
Debian server started in a temp folder, SQLite is a real file, the live server is real uvicorn.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Self

from sqlalchemy import create_engine, event, text

ROOT = Path(__file__).resolve().parent.parent
TEST_SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_pg_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PgServer:
    port: int
    datadir: Path
    bindir: Path
    as_user: list[str]

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_postgres() -> PgServer:
    bindir = find_pg_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb) not found: install Debian's `postgresql` package")
    base = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    datadir = base / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres", "postgres")
    os.chmod(base, 0o755)
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
         "--locale=C.UTF-8"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    port = free_port()
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    subprocess.run(
        [*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(base / "logfile"), "-o", opts, "-w", "start"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return PgServer(port=port, datadir=datadir, bindir=bindir, as_user=as_user)


def pg_admin(server: PgServer, *statements: str) -> None:
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for stmt in statements:
                conn.execute(text(stmt))
    finally:
        engine.dispose()


def build_database(url: str, *, demo: bool) -> None:
    """Migrate an empty database to head and optionally load the demo data."""
    from portal.cli import upgrade_database
    from portal.db import make_engine, session_scope

    settings = test_settings(url)
    upgrade_database(settings)
    if demo:
        from portal import demo as demo_service

        engine = make_engine(settings)
        try:
            with session_scope(engine) as session:
                demo_service.seed(session)
        finally:
            engine.dispose()


def test_settings(url: str, **overrides):
    from portal.settings import Settings

    return replace(Settings(), environment="test", database_url=url, secret_key=TEST_SECRET, **overrides)


def sqlite_checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


class LiveServer:
    """uvicorn serving the portal on 127.0.0.1 in a child process."""

    def __init__(self, database_url: str, env: dict[str, str] | None = None, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.log = tempfile.NamedTemporaryFile(prefix="portal-live-", suffix=".log", delete=False)
        full_env = dict(os.environ)
        full_env.update(
            PORTAL_ENV="test",
            PORTAL_DATABASE_URL=database_url,
            PORTAL_SECRET_KEY=TEST_SECRET,
            **(env or {}),
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "portal.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
            cwd=ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"live server exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("live server did not start in 30 s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


class QueryCounter:
    """Counts the SQL statements an engine runs inside a `with` block (for bounded-query tests)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def _on(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)

    def start(self) -> Self:
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def stop(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on)

    def reset(self) -> None:
        self.statements.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
