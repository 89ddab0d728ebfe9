"""Engine, sessions and SQLite pragmas. Dialect differences: `portal.db.dialect`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import ARRAY, Integer, any_, bindparam, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, create_engine

from portal.db.dialect import in_ids  # noqa: F401  (re-exported for the report services)
from portal.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 10_000


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
    kwargs: dict = {"echo": settings.db_echo, "pool_pre_ping": True}
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


def ping(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def announce(conn, cursor, statement: str, parameters, executemany: bool = False) -> None:
    """Statements run on the DBAPI cursor still reach `before_cursor_execute` listeners (echo, the
    query counters of the tests and benches), as SQLAlchemy's own execution would."""
    if conn._has_events or conn.engine._has_events:  # SQLAlchemy's own cheap check
        conn.dispatch.before_cursor_execute(conn, cursor, statement, parameters, None, executemany)


class RawSelect:
    """A Core SELECT of a hot path, compiled once per dialect and run on the DBAPI cursor.

    SQLAlchemy spends ~0.1 ms per execution on bookkeeping (parameter construction, result metadata)
    that a primary-key lookup running on every request does not need: this keeps the statement
    written in Core (so the SQL still follows the models) and applies the same result processors
    SQLAlchemy would (dates and booleans on SQLite, time-zone aware datetimes), but skips the rest.
    Bound values given in the statement (e.g. `status IN ('attended', 'completed')`) are kept; the
    others are passed by name to `all()` / `first()`. Leaves the transaction state to the caller."""

    def __init__(self, stmt) -> None:
        self.stmt = stmt
        self._by_dialect: dict[str, tuple] = {}

    def _prepare(self, dialect) -> tuple:
        prepared = self._by_dialect.get(dialect.name)
        if prepared is None:
            compiled = self.stmt.compile(dialect=dialect)
            required = [name for name, bind in compiled.binds.items() if bind.required]
            # expands `IN (...)` of the values given in the statement, once
            state = compiled.construct_expanded_state({name: None for name in required})
            defaults = {k: v for k, v in state.parameters.items() if k not in required}
            names = list(state.positiontup) if compiled.positional else None
            processors = [col.type._cached_result_processor(dialect, None) for col in self.stmt.selected_columns]
            prepared = (state.statement, names, defaults, processors if any(processors) else None)
            self._by_dialect[dialect.name] = prepared
        return prepared

    def all(self, conn, **params) -> list[tuple]:
        sql, names, defaults, processors = self._prepare(conn.dialect)
        values = {**defaults, **params}
        args = tuple(values[n] for n in names) if names is not None else values
        cursor = conn.connection.cursor()
        try:
            announce(conn, cursor, sql, args)
            cursor.execute(sql, args)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        if processors is None:
            return rows
        return [tuple(p(v) if p else v for p, v in zip(processors, row)) for row in rows]

    def first(self, conn, **params) -> tuple | None:
        rows = self.all(conn, **params)
        return rows[0] if rows else None


class RawInsertMany:
    """A Core INSERT (or upsert) of a hot path compiled for one dialect and run through the driver's
    executemany: the companion of RawSelect for writes of many plain rows (ints and strings, which
    need no SQLAlchemy type processing). Rows are tuples in the order of `keys`. Runs on the given
    connection, inside its transaction."""

    def __init__(self, stmt, dialect, keys: list[str]) -> None:
        compiled = stmt.compile(dialect=dialect, column_keys=keys)
        self.sql = str(compiled)
        self.keys = keys
        self.positional = bool(compiled.positional)
        order = [keys.index(k) for k in compiled.positiontup] if compiled.positional else []
        self.perm = None if order == list(range(len(keys))) else order

    def run(self, conn, rows: list[tuple]) -> None:
        if not self.positional:
            params: list = [dict(zip(self.keys, r)) for r in rows]
        elif self.perm is not None:
            params = [tuple(r[i] for i in self.perm) for r in rows]
        else:
            params = rows
        cursor = conn.connection.cursor()
        try:
            announce(conn, cursor, self.sql, params, executemany=True)
            cursor.executemany(self.sql, params)
        finally:
            cursor.close()
