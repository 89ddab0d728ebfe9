"""Every difference between SQLite and PostgreSQL that the services need, in one place.

Services call these helpers instead of branching on the dialect themselves; each takes the dialect
name (`conn.dialect.name`, or `name_of(session)`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ARRAY, Integer, Text, any_, bindparam, cast, extract, func, literal, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

POSTGRESQL = "postgresql"
SQLITE = "sqlite"


def name_of(db: Session | Connection) -> str:
    """The dialect name of a session's or a connection's database: "sqlite" or "postgresql"."""
    bind = db.get_bind() if isinstance(db, Session) else db
    return bind.dialect.name


def insert(dialect: str) -> Any:
    """The dialect's INSERT construct (with `on_conflict_do_update` / `on_conflict_do_nothing`)."""
    return pg_dialect.insert if dialect == POSTGRESQL else sqlite_dialect.insert


def day_number(dialect: str, column: Any) -> Any:
    """Days since 1970-01-01 of a DATE column: dates become integers, so days can be added and compared
    the same way on both databases."""
    if dialect == POSTGRESQL:
        return column - literal(date(1970, 1, 1))
    return cast(func.julianday(column) - 2440587.5, Integer)


def day_number_of(value: date) -> int:
    """`day_number` of a Python date, for comparisons with it."""
    return (value - date(1970, 1, 1)).days


def greatest(dialect: str, *values: Any) -> Any:
    """The largest of the values (SQLite's two-argument `max` is its `greatest`)."""
    return func.greatest(*values) if dialect == POSTGRESQL else func.max(*values)


def year_of(column: Any) -> Any:
    """The calendar year of a DATE column, as an integer."""
    return cast(extract("year", column), Integer)


def string_agg(dialect: str, value: Any, separator: str = ",") -> Any:
    """The values of a group joined by `separator`, as text."""
    if dialect == POSTGRESQL:
        return func.string_agg(value, literal(separator), type_=Text())
    return func.group_concat(value, literal(separator), type_=Text())


def in_ids(column: ColumnElement, ids: Iterable[int], dialect: str) -> ColumnElement[bool]:
    """`column IN (ids)` for a list of integer keys. On PostgreSQL one array parameter,
    `column = ANY(:ids)`: the same plan as an IN list, but the statement text no longer depends on the
    number of ids, so SQLAlchemy renders no list per request and psycopg caches (and, after a few runs,
    prepares) the statement. SQLite has no arrays: a plain IN list there."""
    if dialect == POSTGRESQL:
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    return column.in_(list(ids))


def in_ids_param(column: ColumnElement, name: str, dialect: str) -> ColumnElement[bool]:
    """As `in_ids`, with the list bound when the statement runs (`conn.execute(stmt, {name: ids})`), for
    a statement built once and run with many lists: building a statement costs far more than running a
    built one (SQLAlchemy keeps its compiled form and cache key on the object)."""
    if dialect == POSTGRESQL:
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


def without_index(dialect: str, column: Any) -> Any:
    """`column` for a condition that should not steer the plan to the column's index: `column + 0` on
    SQLite, whose planner then keeps walking the table in primary key order (e.g. for an ORDER BY on
    the key, instead of sorting all that the index found); the column itself on PostgreSQL, whose
    planner weighs both plans."""
    return column + 0 if dialect == SQLITE else column


def json_list_agg(dialect: str, *values: Any) -> Any:
    """Per row of a group, the first of `values` that is not NULL (NULL when none is), the group's
    items as a JSON array, as text (`[4, null, "teks"]`), in the order the group's rows come in (every
    aggregate of one group sees them in the same order): SQLite's `json_group_array`, PostgreSQL's
    `json_agg` (of the values as JSON, so that a number and a text can share the array)."""
    if dialect == POSTGRESQL:
        value = func.coalesce(*[func.to_json(v) for v in values]) if len(values) > 1 else values[0]
        return cast(func.json_agg(value), Text)
    value = func.coalesce(*values) if len(values) > 1 else values[0]
    return func.json_group_array(value, type_=Text())


# --------------------------------------------------------------------------- locks and what the engines keep


def lock_rows(conn: Connection, stmt: Any, **for_update: Any) -> None:
    """Lock the rows `stmt` selects until the transaction ends (PostgreSQL: SELECT .. FOR UPDATE, with
    `key_share=True` etc.). SQLite: nothing to do, a writing transaction holds the database's only write
    lock, which already serialises writers."""
    if conn.dialect.name == POSTGRESQL:
        conn.execute(stmt.with_for_update(**for_update))


def lock_tables_against_writes(db: Session | Connection, *tables: str) -> None:
    """No writes to these tables until the transaction ends, reads allowed (PostgreSQL: LOCK TABLE .. IN
    SHARE MODE, e.g. while a summary is rebuilt from them). SQLite: nothing, for the same reason as
    `lock_rows`."""
    if name_of(db) == POSTGRESQL:
        db.execute(text(f"LOCK TABLE {', '.join(tables)} IN SHARE MODE"))


def stamps_rows_with_transaction_ids(dialect: str) -> bool:
    """PostgreSQL writes the inserting transaction's id into every row version (`xmin`), which orders
    rows by when they were written; SQLite keeps no such thing (docs/anonymity.md)."""
    return dialect == POSTGRESQL


def keeps_old_pages_in_a_log(dialect: str) -> bool:
    """SQLite in WAL mode keeps the pages a commit replaced in the -wal file until a checkpoint; deleted
    values can be read there. PostgreSQL's WAL is the server's, not in the database a reader copies."""
    return dialect == SQLITE


def reads_never_wait(dialect: str) -> bool:
    """A reader never waits for a writer and nothing goes over a network: SQLite in WAL mode (every
    connection is opened in it, portal.db). PostgreSQL reads are round trips to a server."""
    return dialect == SQLITE


def rollback_waits_for_the_network(dialect: str) -> bool:
    """Ending a transaction is a round trip to a server (PostgreSQL) or a local call that never waits for
    a lock or for I/O when the transaction only read (SQLite)."""
    return dialect == POSTGRESQL


def serialise_edits(conn: Connection, name: str) -> None:
    """Makes the transactions that run one kind of edit (e.g. "supervision", "units") wait for each
    other until their ends, so that a check followed by a write cannot race a concurrent one. PostgreSQL:
    a transaction-scoped advisory lock keyed by `name`. SQLite already lets one writer at a time: the
    caller writes first and checks after, inside its write transaction."""
    if conn.dialect.name == POSTGRESQL:
        conn.execute(select(func.pg_advisory_xact_lock(zlib.crc32(name.encode()))))


# --------------------------------------------------------------------------- a database that cannot answer now

# SQLite's messages for a database that is there but cannot be used at the moment (a lock held beyond the
# busy timeout, a file that cannot be opened or read); its other OperationalErrors ("no such table", a
# syntax error) are mistakes in the code, not an outage
_SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "unable to open database file", "disk i/o error")


def unavailable(exc: BaseException) -> bool:
    """The database cannot answer right now, and a retry later may succeed: it is unreachable, shut down,
    restarting, out of connections, or (SQLite) locked beyond the busy timeout. Every OperationalError of
    PostgreSQL is such a state (connection failures, admin shutdown, too many connections, cancelled
    statements); a lost pooled connection (`connection_invalidated`) too; a pool that hands out no
    connection in time as well. Other errors (constraint violations, programming errors) are not."""
    if isinstance(exc, sa_exc.DisconnectionError | sa_exc.TimeoutError):
        return True
    if not isinstance(exc, sa_exc.OperationalError):
        return False
    if exc.connection_invalidated:
        return True
    if type(exc.orig).__module__.startswith("psycopg"):
        return True
    return any(text in str(exc.orig).lower() for text in _SQLITE_UNAVAILABLE)
