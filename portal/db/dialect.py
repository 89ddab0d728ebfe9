"""Every difference between SQLite and PostgreSQL that the services need, in one place.

Services call these helpers instead of branching on the dialect themselves; each takes the dialect
name (`conn.dialect.name`, or `name_of(session)`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ARRAY, Integer, Text, any_, bindparam, cast, extract, func, literal, select
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


def serialise_edits(conn: Connection, name: str) -> None:
    """Makes the transactions that run one kind of edit (e.g. "supervision", "units") wait for each
    other until their ends, so that a check followed by a write cannot race a concurrent one. PostgreSQL:
    a transaction-scoped advisory lock keyed by `name`. SQLite already lets one writer at a time: the
    caller writes first and checks after, inside its write transaction."""
    if conn.dialect.name == POSTGRESQL:
        conn.execute(select(func.pg_advisory_xact_lock(zlib.crc32(name.encode()))))
