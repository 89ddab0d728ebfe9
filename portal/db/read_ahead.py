"""Reading a long result ahead of its consumer, in a thread of its own.

A raw-answers export reads ~100,000 rows in batches while Python writes each row out as CSV or XLSX.
Read in the same thread, the database waits while Python writes and Python waits while the database
reads; with a reader thread, the next batches are fetched (the driver lets go of the GIL while it waits
on the server or on SQLite) while the current one is written. Measured with bench/bench_reports.py
(CSV of 100,000 responses x 30 answers, 1 worker, median of 3): PostgreSQL 3.75 s read in line, 2.57 s
read ahead; SQLite 2.53 s and 2.57 s (its reads hold the GIL longer: no gain, no loss).
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def read_ahead(open_chunks: Callable[[], Iterable[T]], depth: int = 4) -> Iterator[T]:
    """Yields the items of `open_chunks()`, which a reader thread produces up to `depth` items ahead.
    Everything that touches the connection happens in the reader thread (open it inside
    `open_chunks`). An error in the reader is raised here; when the consumer stops early (a client that
    went away) the reader stops at its next item and closes what it opened."""
    items: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    failure: list[BaseException] = []

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def reader() -> None:
        try:
            for item in open_chunks():
                if not put(item):
                    return
        except BaseException as exc:  # handed over to the consumer, raised there
            failure.append(exc)
        finally:
            put(_DONE)

    thread = threading.Thread(target=contextvars.copy_context().run, args=(reader,), name="read-ahead", daemon=True)  # the request's locale too
    thread.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                break
            yield item  # type: ignore[misc]
        if failure:
            raise failure[0]
    finally:
        stop.set()
        thread.join(timeout=5)
