"""portal.db.read_ahead: items arrive in order, an error of the reader reaches the consumer, and a
consumer that stops early stops the reader and lets it close what it opened."""

from __future__ import annotations

import threading
import time

import pytest

from portal.db.read_ahead import read_ahead


def test_items_arrive_in_order_from_another_thread():
    seen_threads = set()

    def chunks():
        for i in range(50):
            seen_threads.add(threading.current_thread().name)
            yield i

    assert list(read_ahead(chunks, depth=3)) == list(range(50))
    assert seen_threads == {"read-ahead"}


def test_an_error_of_the_reader_is_raised_to_the_consumer_after_the_items_before_it():
    def chunks():
        yield 1
        yield 2
        raise RuntimeError("database went away")

    got = []
    with pytest.raises(RuntimeError, match="database went away"):
        for item in read_ahead(chunks):
            got.append(item)
    assert got == [1, 2]


def test_a_consumer_that_stops_early_stops_the_reader_which_closes_what_it_opened():
    closed = threading.Event()

    def chunks():
        try:
            for i in range(10_000):
                yield i
        finally:
            closed.set()

    stream = read_ahead(chunks, depth=2)
    assert next(stream) == 0
    stream.close()  # the client went away
    assert closed.wait(timeout=5)
    time.sleep(0.05)
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
