"""What every report page is filtered by: the period (a calendar year or a date range) and the unit
(with its sub-units), parsed from the query parameters `periode`, `dari`, `sampai` and `unit`; the unit
tree and the years offered by the filter form; the trainings "held" in a period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.clock import parse_iso_date
from portal.db import connection_of
from portal.i18n import _, format_date
from portal.models import Training, Unit

PER_PAGE = 50


@dataclass(frozen=True)
class UnitOption:
    id: int
    name: str
    parent_id: int | None
    depth: int


@lru_cache(maxsize=None)
def _statements() -> tuple[Any, Any]:
    """The units, and the first and last day of any training: built once (building a statement costs
    more than running it), run on the session's connection (plain rows)."""
    return (
        select(Unit.id, Unit.name, Unit.parent_id).order_by(Unit.name),
        select(func.min(Training.starts_on), func.max(Training.ends_on)),
    )


def unit_options(session: Session | Connection) -> list[UnitOption]:
    """All units in tree order (parents before children) with their depth. One query."""
    rows = connection_of(session).execute(_statements()[0]).all()
    ids = {r.id for r in rows}
    children: dict[int | None, list[Any]] = {}
    for r in rows:
        children.setdefault(r.parent_id if r.parent_id in ids else None, []).append(r)
    out: list[UnitOption] = []
    stack = [(r, 0) for r in reversed(children.get(None, []))]
    while stack:
        (uid, name, parent_id), depth = stack.pop()
        out.append(UnitOption(uid, name, parent_id, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(uid, [])))
    return out


def subtree(units: Sequence[UnitOption], root_id: int) -> tuple[int, ...]:
    children: dict[int | None, list[int]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.id)
    out: list[int] = []
    stack = [root_id]
    while stack:
        uid = stack.pop()
        out.append(uid)
        stack.extend(children.get(uid, []))
    return tuple(out)


def year_options(session: Session | Connection, today: date) -> list[int]:
    """Years that have trainings (and the current and the previous year), newest first. One query."""
    lo, hi = connection_of(session).execute(_statements()[1]).one()
    first = min(lo.year if lo else today.year, today.year - 1)
    last = max(hi.year if hi else today.year, today.year)
    return list(range(last, first - 1, -1))


@dataclass(frozen=True)
class Filters:
    """The period (a calendar year or a date range) and the unit (with its sub-units)."""

    mode: str  # "tahun" | "rentang"
    year: int  # the selected year; for a range the year of its last day (the year of the JP target)
    start: date
    end: date
    unit_id: int | None = None
    unit_ids: tuple[int, ...] | None = None
    unit_name: str | None = None
    raw_from: str = ""
    raw_to: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def params(self, **extra: Any) -> dict[str, str]:
        """The query parameters that give these filters back (`parse_filters`), plus `extra` ones."""
        out = {"periode": str(self.year) if self.mode == "tahun" else "rentang"}
        if self.mode == "rentang":
            out["dari"] = self.start.isoformat()
            out["sampai"] = self.end.isoformat()
        if self.unit_id:
            out["unit"] = str(self.unit_id)
        for k, v in extra.items():
            if v not in (None, ""):
                out[k] = str(v)
        return out

    def period_text(self) -> str:
        """The period in words, for the first sheet of an export and the print views."""
        return _("%(a)s s.d. %(b)s") % {"a": format_date(self.start), "b": format_date(self.end)}

    def export_lines(self) -> list[tuple[str, str]]:
        """The filters as the first sheet of an export states them."""
        return [(_("Unit kerja"), self.unit_name + " " + _("(termasuk sub-unit)") if self.unit_name else _("Semua unit"))]

    def describe(self) -> str:
        """For the audit log and export file notes."""
        parts = [f"periode={self.start.isoformat()}..{self.end.isoformat()}"]
        parts.append(f"unit={self.unit_id}" if self.unit_id else "unit=semua")
        return " ".join(parts)


def parse_filters(raw: Mapping[str, Any], today: date, units: Sequence[UnitOption]) -> Filters:
    """Query parameters `periode` (a year, or `rentang` with `dari`/`sampai` as YYYY-MM-DD) and `unit`.
    Anything invalid falls back to the current year / all units, with an error for the form."""

    def get(name: str) -> str:
        value = raw.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        return str(value or "").strip()[:40]

    errors: dict[str, str] = {}
    periode = get("periode")
    raw_from, raw_to = get("dari"), get("sampai")
    raw_unit = get("unit")
    # ASCII digits only ("²".isdigit() is true, int() refuses it); a huge number just matches no unit
    unit_id = int(raw_unit) if raw_unit.isascii() and raw_unit.isdigit() else None
    by_id = {u.id: u for u in units}
    unit = by_id.get(unit_id) if unit_id else None
    if unit_id and unit is None:
        errors["unit"] = _("Unit kerja tidak ditemukan; menampilkan semua unit.")
    unit_ids = subtree(units, unit.id) if unit else None
    common = {"unit_id": unit.id if unit else None, "unit_ids": unit_ids, "unit_name": unit.name if unit else None}
    if periode == "rentang" or (not periode and (raw_from or raw_to)):
        start, end = parse_iso_date(raw_from), parse_iso_date(raw_to)
        if start is None:
            errors["dari"] = _("Isi tanggal awal yang benar.")
        if end is None:
            errors["sampai"] = _("Isi tanggal akhir yang benar.")
        if start and end and end < start:
            errors["sampai"] = _("Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
        if start and end and (end - start).days > 366 * 10:
            errors["sampai"] = _("Rentang paling panjang 10 tahun.")
        if not errors.get("dari") and not errors.get("sampai") and start and end:
            return Filters("rentang", end.year, start, end, raw_from=raw_from, raw_to=raw_to, errors=errors, **common)
        year = today.year
        return Filters("tahun", year, date(year, 1, 1), date(year, 12, 31), raw_from=raw_from, raw_to=raw_to, errors=errors, **common)
    year = today.year
    if periode:
        if periode.isdigit() and 2000 <= int(periode) <= 2100:
            year = int(periode)
        else:
            errors["periode"] = _("Pilih tahun yang tersedia.")
    return Filters("tahun", year, date(year, 1, 1), date(year, 12, 31), errors=errors, **common)


def held_period(filters: Filters, today: date) -> tuple[date, date]:
    """The first and last day on which a training held in the period ended: within it, and not later
    than today."""
    return filters.start, min(filters.end, today)


def held(filters: Filters, today: date) -> list[Any]:
    """SQL: the trainings held in the period (`held_period`)."""
    start, end = held_period(filters, today)
    return [Training.ends_on >= start, Training.ends_on <= end]
