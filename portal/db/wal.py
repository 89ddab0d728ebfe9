"""SQLite's write-ahead log after anonymous survey submits (docs/anonymity.md, "What is stored").

A draft's earlier values live on in the `-wal` file until a checkpoint copies the log into the database
file (where `secure_delete` has zeroed the deleted draft rows) and truncates it. Doing that inside every
submit cost a full checkpoint and its fsync per submit (about half of an anonymous submit's time,
measured in docs/dev/performance.md). While the portal runs, a `LogScrubber` thread does it instead, at
most `delay` seconds after the last anonymous submit, once for all the submits of that moment; without
one (a command, a test calling the service) the submit truncates the log itself. The scrubber also runs
once when it starts, for a log that a crash left behind, and once when it stops.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.db import dialect, truncate_wal

log = logging.getLogger("portal")

_running: dict[int, LogScrubber] = {}  # by id(engine)
_running_lock = threading.Lock()


class LogScrubber:
    def __init__(self, engine: Engine, delay: float = 0.5) -> None:
        self.engine = engine
        self.delay = delay
        self.runs = 0
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not dialect.keeps_old_pages_in_a_log(self.engine.dialect.name) or self._thread is not None:
            return
        self._wanted.set()  # a log a crash left behind
        self._thread = threading.Thread(target=self._run, name="portal-wal-scrubber", daemon=True)
        self._thread.start()
        with _running_lock:
            _running[id(self.engine)] = self

    def stop(self) -> None:
        with _running_lock:
            if _running.get(id(self.engine)) is self:
                del _running[id(self.engine)]
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            self._wanted.set()
            thread.join(timeout=30)
            self._scrub()  # the submits of the last moment

    def request(self) -> None:
        self._wanted.set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wanted.wait()
            if self._stopping.wait(self.delay):
                return
            self._wanted.clear()
            if not self._scrub():
                self._wanted.set()  # readers on older snapshots: again after the delay

    def _scrub(self) -> bool:
        try:
            with self.engine.connect() as conn:
                done = truncate_wal(conn)
                conn.commit()
        except Exception:  # noqa: BLE001 - logged; the next request retries
            log.exception("the write-ahead log could not be truncated after anonymous submits")
            return False
        self.runs += 1
        return done


def scrub_after_anonymous_submit(session: Session) -> None:
    """After an anonymous submit has committed: SQLite's log is truncated soon by the running scrubber,
    or now when there is none. PostgreSQL: nothing (its WAL is the server's, not in the database)."""
    engine = session.get_bind()
    if not dialect.keeps_old_pages_in_a_log(engine.dialect.name):
        return
    with _running_lock:
        scrubber = _running.get(id(engine))
    if scrubber is not None:
        scrubber.request()
        return
    truncate_wal(session.connection())
    session.commit()
