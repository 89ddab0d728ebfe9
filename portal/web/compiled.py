"""Forms rendered once and filled per request: the slot markers and the small cache they share.

A form whose words do not change per person (a questionnaire revision, the competencies of a position
standard) is rendered once from its partial with `slot(...)` markers where per-person state goes
(a checked radio, typed text, an error, the save status). `split` cuts that HTML at the markers; a
request then joins the literal pieces with what it puts in each slot, with no template work.
Used by portal/web/assessment_form.py, survey_form.py and chrome.py; `Cache` also by fragments.py.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from markupsafe import Markup

SLOT = "\x00"  # NUL: never in a page (PostgreSQL refuses it in text; a compiling module replaces it as browsers do)

V = TypeVar("V")


class Slot:
    """Passed to a template as `slot`: `slot("c", item.id, 3)` leaves the marker NUL c|<id>|3 NUL."""

    def __call__(self, *parts: Any) -> Markup:
        return Markup(SLOT + "|".join(str(p) for p in parts) + SLOT)


def split(html: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """The literal pieces around the markers (one more than the slots) and each slot's parts."""
    pieces = html.split(SLOT)
    return pieces[0::2], [tuple(key.split("|")) for key in pieces[1::2]]


class Cache(Generic[V]):
    """A small least-recently-used map, safe across threads. `get_or_build` builds outside the lock: two
    threads that miss at once both build, the later one's result is kept (the same content either way).
    `stats` counts hits and misses since start-up (clearing the cache keeps them)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.stats = {"hits": 0, "misses": 0}

    def get_or_build(self, key: Hashable, build: Callable[[], V]) -> V:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                self.stats["hits"] += 1
                return hit
        value = build()
        with self._lock:
            self.stats["misses"] += 1
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
