"""The typed shapes of HR's AKPK area: cycles, the gap heat map and the people behind one cell.

Plain data (no I/O). How a value is shown (the colour of a band, links with the filters, labels) is
the web layer's business (portal/web/akpk.py, templates/akpk/); the one exception is `Cell.display`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from portal import scoring
from portal.i18n import _, format_date
from portal.models import COMPETENCY_GROUPS


def competency_order(group: str, code: str) -> tuple[int, str]:
    """Sort key of competencies on every AKPK page: by group (manajerial, sosial kultural, teknis), then code."""
    return (COMPETENCY_GROUPS.index(group) if group in COMPETENCY_GROUPS else 9, code)


# --------------------------------------------------------------------------- cycles


class InvalidCycle(Exception):
    """A refused cycle change (form or status). `field` is the form field the message belongs to."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Cycle:
    id: int
    name: str
    year: int
    opens_on: date
    closes_on: date
    status: str

    def state(self, today: date) -> str:
        """open | not_yet | ended | closed"""
        if self.status != "open":
            return "closed"
        if today < self.opens_on:
            return "not_yet"
        if today > self.closes_on:
            return "ended"
        return "open"

    def writable(self, today: date) -> bool:
        return self.state(today) == "open"

    def closed_message(self, today: date) -> str:
        state = self.state(today)
        if state == "not_yet":
            return _("Siklus %(name)s baru dibuka pada %(date)s. Formulir belum dapat diisi.") % {
                "name": self.name,
                "date": format_date(self.opens_on),
            }
        if state == "ended":
            return _("Siklus %(name)s sudah berakhir pada %(date)s. Jawaban tidak dapat diubah lagi.") % {
                "name": self.name,
                "date": format_date(self.closes_on),
            }
        if state == "closed":
            return _("Siklus %(name)s sudah ditutup oleh BKPSDM. Jawaban tidak dapat diubah lagi.") % {"name": self.name}
        return ""


@dataclass(frozen=True)
class CycleValues:
    """A checked cycle form (see `validate_cycle`)."""

    name: str
    year: int | None
    opens_on: date | None
    closes_on: date | None


@dataclass
class CycleRow:
    cycle: Cycle
    self_submitted: int = 0
    self_draft: int = 0
    supervisor_submitted: int = 0


# --------------------------------------------------------------------------- the heat map


@dataclass
class UnitOption:
    id: int
    code: str
    name: str
    depth: int
    parent_id: int | None


def gap_band(mean_gap: float | None) -> int | None:
    """Severity band 0-5 of a mean gap: 0 = at or above standard, then one band per half level, 5 = over 2."""
    if mean_gap is None:
        return None
    if mean_gap <= 0:
        return 0
    return min(5, math.ceil(round(mean_gap, 6) * 2))


@dataclass
class Cell:
    unit_id: int
    competency_id: int
    n: int
    mean_gap: float | None
    below: int

    @property
    def band(self) -> int | None:
        return gap_band(self.mean_gap)

    @property
    def display(self) -> str:
        """The mean gap with one decimal, Indonesian style ("0,4", "-1,2"), or "–". Kept here rather than
        in a template helper: the map reads it for each of its hundreds of cells, and a property is the
        cheapest call Jinja makes (a context function costs 1 ms more per map of 560 cells)."""
        return "–" if self.mean_gap is None else f"{self.mean_gap:.1f}".replace(".", ",").replace("-0,0", "0,0")


@dataclass
class Column:
    id: int
    code: str
    name: str
    group: str
    n: int = 0
    gap_sum: float = 0.0

    @property
    def mean_gap(self) -> float | None:
        return self.gap_sum / self.n if self.n else None


@dataclass
class Row:
    unit_id: int
    code: str
    name: str
    employees: int = 0
    self_submitted: int = 0
    self_draft: int = 0
    supervisor_submitted: int = 0
    cells: list[Cell | None] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return self.employees - self.self_submitted


@dataclass(frozen=True)
class Filters:
    """The heat map's filters, as read from the query string (`parse_filters`)."""

    cycle_id: int | None = None
    unit_id: int | None = None
    position_class: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Totals:
    employees: int
    self_submitted: int
    self_draft: int
    supervisor_submitted: int
    pending: int


@dataclass
class Heatmap:
    cycle: Cycle | None
    cycles: list[Cycle]
    units: list[UnitOption]
    filters: Filters
    columns: list[Column]
    rows: list[Row]

    @property
    def totals(self) -> Totals:
        return Totals(
            employees=sum(r.employees for r in self.rows),
            self_submitted=sum(r.self_submitted for r in self.rows),
            self_draft=sum(r.self_draft for r in self.rows),
            supervisor_submitted=sum(r.supervisor_submitted for r in self.rows),
            pending=sum(r.pending for r in self.rows),
        )

    @property
    def top_gaps(self) -> list[Column]:
        cols = [c for c in self.columns if c.mean_gap is not None and c.mean_gap > 0]
        return sorted(cols, key=lambda c: -(c.mean_gap or 0))[:5]


# --------------------------------------------------------------------------- one cell


@dataclass
class Person:
    id: int
    name: str
    nip: str
    position: str | None
    required_level: int
    self_status: str
    supervisor_status: str
    self_level: int | None
    supervisor_level: int | None

    @property
    def final_level(self) -> int | None:
        return scoring.final_level(self.self_level, self.supervisor_level, self.supervisor_status == "submitted")

    @property
    def gap(self) -> int | None:
        return scoring.gap(self.required_level, self.final_level)

    @property
    def needs_discussion(self) -> bool:
        return scoring.needs_discussion(self.self_level, self.supervisor_level)


@dataclass
class CellDetail:
    unit_id: int
    unit_name: str
    competency_id: int
    competency_code: str
    competency_name: str
    people: list[Person]
    total: int
    page: int
    pages: int
