"""Engine, sessions and SQLite pragmas. Dialect differences: `portal.db.dialect`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from portal.db.dialect import in_ids  # noqa: F401  (re-exported for the report services)
from portal.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 10_000
PG_CONNECT_TIMEOUT_S = 10


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Python's sqlite3 module opens implicit transactions lazily; we take control so that
    # BEGIN IMMEDIATE can be issued for writes (see `begin_immediate`).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # deleted rows (e.g. a survey draft moved into an anonymous response) are overwritten on disk,
    # not left readable in free pages
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _pool_args(settings: Settings, size: int, overflow: int) -> dict[str, int]:
    if settings.db_pool_size:
        return {"pool_size": settings.db_pool_size, "max_overflow": 0}
    return {"pool_size": size, "max_overflow": overflow}


def make_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=settings.db_echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **_pool_args(settings, 20, 20),
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    # pre-ping: a pooled connection that died (server restarted) is replaced at checkout, so the portal
    # recovers by itself after an outage (tests/test_database_outage.py)
    kwargs: dict = {"echo": settings.db_echo, "pool_pre_ping": True}
    if "connect_timeout" not in url.query:
        # a server that does not answer at all (a dropped network) fails a connection in seconds instead
        # of holding a request thread, and /healthz, until the TCP timeout; the URL's own value wins
        kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    if settings.environment == "test" and not settings.db_pool_size:
        kwargs["poolclass"] = NullPool
    else:
        kwargs.update(_pool_args(settings, 10, 20))
    return create_engine(url, **kwargs)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def connection_of(db: Session | Connection) -> Connection:
    """The Core connection behind a session (its transaction), or the connection itself: services on
    hot read paths accept either (see portal.web.core.run_read)."""
    return db if isinstance(db, Connection) else db.connection()


def truncate_wal(conn: Connection) -> bool:
    """SQLite: checkpoint the write-ahead log into the database file and truncate it to zero bytes
    (`PRAGMA wal_checkpoint(TRUNCATE)`, outside any transaction; it waits, through the busy timeout,
    for readers still on older snapshots). Returns False when it could not complete (busy): the next
    call retries. After an anonymous survey submit, so that no earlier draft value stays on disk."""
    busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return not busy


def ping(conn: Connection) -> bool:
    """The health check's query (/healthz): raises when the database cannot be reached. On the DBAPI
    cursor of the connection (SQLAlchemy's documented raw access): a constant query needs none of the
    result machinery, which was most of the check's cost."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    finally:
        cursor.close()
    return True
