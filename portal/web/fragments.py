"""Rendered fragments reused while the data they were rendered from is unchanged.

A report's figures (tiles, SVG charts, their tables) cost milliseconds of Jinja work and change only
when their data does. `rendered` renders a fragment template once per **digest of exactly the values
it is rendered from** (and the language), and hands the same HTML back while the digest stays the
same. Nothing is invalidated and nothing can go stale: the queries still run on every request, and a
submit, an import or a questionnaire change that moves any figure changes the data, hence the digest,
hence the key. Every uvicorn worker keeps its own small cache and is right on its own.

The digest walks the values (dataclasses field by field, named tuples, lists, dicts, dates, numbers,
strings) and refuses anything else (`TypeError`): an object it cannot see into could hide data that
the template reads. The fragment's template may read only the values passed to `rendered` (and the
environment's filters and translations, which are fixed per language).
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from litestar import Request
from markupsafe import Markup

from portal import i18n
from portal.web.compiled import Cache

MAX_ENTRIES = 256  # a dashboard's figures are ~20-60 KB: at most ~15 MB per worker

_ATOMS = frozenset((str, int, float, bool, date, datetime, Decimal, type(None)))
_ATOM_BASES = (str, int, float, date, Decimal)  # subclasses (e.g. Markup): the type's name goes in too

_cache: Cache[Markup] = Cache(MAX_ENTRIES)
_fields: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, looked up once per class
stats = _cache.stats  # hits and misses, read by the tests


def _encode(value: Any, out: list[Any]) -> None:
    """Flatten `value` into `out`: atoms as themselves (their `repr` tells "1" from 1 from True from
    1.0), structure as bytes markers (no atom is bytes, so a marker never equals a value)."""
    kind = type(value)
    if kind in _ATOMS:
        out.append(value)
    elif hasattr(kind, "__dataclass_fields__"):
        names = _fields.get(kind)
        if names is None:
            names = _fields[kind] = tuple(f.name for f in dataclasses.fields(value))
        out.append(b"<" + kind.__qualname__.encode())
        for name in names:
            _encode(getattr(value, name), out)
        out.append(b">")
    elif isinstance(value, (list, tuple)):  # named tuples too: their fields are their items
        out.append(b"[" + kind.__qualname__.encode())
        for item in value:
            _encode(item, out)
        out.append(b"]")
    elif isinstance(value, dict):
        out.append(b"{")
        for k, v in value.items():
            _encode(k, out)
            _encode(v, out)
        out.append(b"}")
    elif isinstance(value, (set, frozenset)):
        out.append(b"(")
        out.extend(sorted(digest({"item": item}) for item in value))
        out.append(b")")
    elif isinstance(value, _ATOM_BASES) and not isinstance(value, type):
        out.append(b"=" + kind.__qualname__.encode())
        out.append(value)
    else:
        raise TypeError(f"fragments.digest cannot see into {kind.__qualname__}")


def digest(values: dict[str, Any]) -> str:
    """A digest of exactly these values (the names and everything inside them)."""
    out: list[Any] = []
    for name in sorted(values):
        out.append(name.encode())
        _encode(values[name], out)
    return hashlib.sha256(repr(out).encode()).hexdigest()


def rendered(request: Request, template: str, **values: Any) -> Markup:
    """`template` rendered with `values` in the request's language: from the cache when the same
    template was rendered from equal values before in this process."""
    key = (template, i18n.current_locale(), digest(values))

    def build() -> Markup:
        env = request.app.template_engine.environment()  # the request's locale (LocalisedTemplateEngine)
        return Markup(env.get_template(template).render(**values))

    return _cache.get_or_build(key, build)


def clear() -> None:
    _cache.clear()
