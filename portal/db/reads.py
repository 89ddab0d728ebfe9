"""Where the short reads of hot pages run (the session lookup of every request, the survey page).

SQLite in WAL mode never makes a reader wait for a writer, so such a read costs less on the event loop
itself, through one connection the loop owns, than the hop to a worker thread, a pooled connection and
its return that a threaded read pays; and under load the threads compete for the GIL. Measured with
bench/bench_surveys.py (1 worker, 32 connections, same machine and run): the 30-question survey page
serves 1,200 req/s with loop reads and 283 req/s with every read in a thread (server CPU 0.85 ms vs
4.5 ms per request). PostgreSQL reads go over the network and may wait: always in a worker thread with
a pooled connection. This module is the one place that makes the choice; `portal.web.core.run_read`
uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
from sqlalchemy.engine import Connection, Engine

from portal.db import dialect

T = TypeVar("T")


class ReadRunner:
    """Runs a read-only body with a Core connection, without an ORM session, leaving no transaction
    open (an open read would hold back SQLite's WAL checkpoints)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._loop_conn: Connection | None = None

    def open(self) -> None:
        """At start-up: SQLite gets the loop's own connection (never from the pool on the loop, where
        waiting for a free connection would stall every request)."""
        if dialect.reads_never_wait(self.engine.dialect.name):
            self._loop_conn = self.engine.connect()

    def close(self) -> None:
        conn, self._loop_conn = self._loop_conn, None
        if conn is not None:
            conn.close()

    async def run(self, body: Callable[[Connection], T]) -> T:
        conn = self._loop_conn
        if conn is not None:
            try:
                return body(conn)
            finally:
                conn.rollback()

        def in_thread() -> T:
            with self.engine.connect() as pooled:
                try:
                    return body(pooled)
                finally:
                    pooled.rollback()

        return await anyio.to_thread.run_sync(in_thread)
