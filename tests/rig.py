"""Test rig: a throwaway PostgreSQL server, template databases, a live uvicorn server, an SMTP server.

Used by tests/conftest.py and by the bench/ scripts. Nothing here is mocked: PostgreSQL is the real
Debian server started in a temp folder, SQLite is a real file, the live server is real uvicorn.
"""

from __future__ import annotations

import base64
import email.policy
import glob
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.parser import BytesParser
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
    options: str = ""  # the server options it was started with (`resume` starts it with them again)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server and keep its data (an outage): `resume` starts it again on the same port."""
        self._pg_ctl("-m", mode, "-w", "stop")

    def resume(self) -> None:
        self._pg_ctl("-l", str(self.datadir.parent / "logfile"), "-o", self.options, "-w", "start")

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
        )

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_postgres(
    listen: tuple[str, ...] = ("127.0.0.1",), allow: tuple[str, ...] = (), *, synchronous_commit: bool = False
) -> PgServer:
    """A fresh server. `listen`: the addresses it listens on; `allow`: networks (CIDR) whose clients it
    trusts besides the loopback (tests/hosts.py: the veth subnet of the network namespaces). Without
    `synchronous_commit` (fast, for most tests) a commit is acknowledged before its WAL is written, so an
    immediate stop may lose the last ones; outage tests ask for it."""
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
    with open(datadir / "pg_hba.conf", "a", encoding="utf-8") as hba:
        hba.writelines(f"host all all {network} trust\n" for network in allow)
    port = free_port()
    opts = (
        f"-p {port} -k {base} -c listen_addresses={','.join(listen)} -c fsync=off "
        f"-c synchronous_commit={'on' if synchronous_commit else 'off'} -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(base / "logfile"), "-o", opts, "-w", "start"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return PgServer(port=port, datadir=datadir, bindir=bindir, as_user=as_user, options=opts)


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

    def __init__(
        self,
        database_url: str,
        env: dict[str, str] | None = None,
        workers: int = 1,
        app: str = "portal.app:create_app",
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()  # a port of its own, or the port of a killed server (restart)
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
            [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
            cwd=ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, so that kill() takes every worker
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

    def kill(self) -> None:
        """SIGKILL the server and all its workers at once (a crash: no shutdown code runs, requests in
        flight get no answer); a new LiveServer(..., port=self.port) restarts it on the same database."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


@dataclass(frozen=True)
class ReceivedMail:
    """One message the test SMTP server accepted, parsed: envelope recipients and sender, headers, the
    plain-text part (and the HTML part, when there is one)."""

    rcpt_tos: tuple[str, ...]
    mail_from: str
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.rcpt_tos[0]

    @property
    def subject(self) -> str:
        return str(self.message["subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str | None:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else None


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 in a thread of its own, keeping what it received.

    `refuse` holds addresses whose RCPT TO is answered 550 (a bounce at the door); `users` (name ->
    password) turns on AUTH (allowed without TLS, for tests only). `env()` gives the PORTAL_SMTP_*
    variables that point the portal at it."""

    def __init__(self, refuse: set[str] | None = None, users: dict[str, str] | None = None) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.refuse = {a.lower() for a in (refuse or set())}
        self.users = dict(users or {})
        self.received: list[ReceivedMail] = []
        self.refused: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler:
            async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN202, N802
                if address.lower() in server.refuse:
                    with server._lock:
                        server.refused.append(address)
                    return "550 5.1.1 <%s>: mailbox unavailable" % address
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, smtp, session, envelope):  # noqa: ANN001, ANN202, N802
                message = BytesParser(policy=email.policy.default).parsebytes(envelope.original_content or envelope.content)
                with server._lock:
                    server.received.append(ReceivedMail(tuple(envelope.rcpt_tos), envelope.mail_from, message))
                return "250 Message accepted"

            async def handle_AUTH(self, smtp, session, envelope, args):  # noqa: ANN001, ANN202, N802
                # AUTH PLAIN with its initial response (what smtplib sends), checked here: aiosmtpd's own
                # authenticator path sets a deprecated attribute, a warning the suite turns into an error
                if len(args) != 2 or args[0].upper() != "PLAIN":
                    return "504 5.5.4 Unrecognized authentication type"
                _authzid, user, password = base64.b64decode(args[1]).decode().split("\0")
                if server.users.get(user) != password:
                    return "535 5.7.8 Authentication credentials invalid"
                session.authenticated = True
                return "235 2.7.0 Authentication successful"

        kwargs = {"auth_require_tls": False, "auth_exclude_mechanism": ["LOGIN"]} if self.users else {}
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()

    def env(self, sender: str = "BKPSDM <noreply@portal.test>", **extra: str) -> dict[str, str]:
        return {"PORTAL_SMTP_HOST": "127.0.0.1", "PORTAL_SMTP_PORT": str(self.port), "PORTAL_SMTP_TLS": "none",
                "PORTAL_SMTP_FROM": sender, **extra}

    def settings_overrides(self, sender: str = "BKPSDM <noreply@portal.test>", **extra: object) -> dict[str, object]:
        return {"smtp_host": "127.0.0.1", "smtp_port": self.port, "smtp_tls": "none", "smtp_from": sender, **extra}

    def messages(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self.received)

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self.refused.clear()

    def stop(self) -> None:
        self._controller.stop()


BACKGROUND_THREADS = frozenset({"portal-wal-scrubber"})


class QueryCounter:
    """Counts the SQL statements an engine runs inside a `with` block (for bounded-query tests)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def _on(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if threading.current_thread().name in BACKGROUND_THREADS:
            return  # the running portal's own background work, not the page's (portal/db/wal.py)
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
