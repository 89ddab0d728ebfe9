"""AKPK cycles: reading them (every AKPK page needs one) and HR's side (/akpk/siklus): the overview
with submission counts, the cycle form, opening and closing. Only one cycle per year may be open.

Every function runs a fixed, small number of queries (noted per function).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.db import connection_of
from portal.i18n import _
from portal.models import Assessment, AssessmentCycle, Employee, PositionStandard
from portal.services.akpk._types import Cycle, CycleRow, CycleValues, InvalidCycle

CYCLE_LIST_LIMIT = 50
STATUSES = ("open", "closed")

_C = AssessmentCycle.__table__
_CYCLE_BY_ID = select(_C.c.id, _C.c.name, _C.c.year, _C.c.opens_on, _C.c.closes_on, _C.c.status).where(
    _C.c.id == bindparam("cycle_id")
)
# every AKPK page lists the cycles: built once (SQLAlchemy caches its compiled form)
_CYCLE_LIST = (
    select(_C.c.id, _C.c.name, _C.c.year, _C.c.opens_on, _C.c.closes_on, _C.c.status)
    .order_by(_C.c.opens_on.desc(), _C.c.id.desc())
    .limit(bindparam("limit"))
)
_CYCLE_COLUMNS = (
    AssessmentCycle.id,
    AssessmentCycle.name,
    AssessmentCycle.year,
    AssessmentCycle.opens_on,
    AssessmentCycle.closes_on,
    AssessmentCycle.status,
)


def _cycle(row) -> Cycle:  # noqa: ANN001
    return Cycle(row.id, row.name, row.year, row.opens_on, row.closes_on, row.status)


# --------------------------------------------------------------------------- reading


def get_cycle(session: Session | Connection, cycle_id: int) -> Cycle | None:
    """1 query."""
    row = connection_of(session).execute(_CYCLE_BY_ID, {"cycle_id": cycle_id}).first()
    return _cycle(row) if row else None


def default_cycle(session: Session, today: date) -> Cycle | None:
    """The cycle an employee lands on: the open one whose window contains today, else the latest
    open one, else the most recent one. 1 query."""
    in_window = (AssessmentCycle.status == "open") & (AssessmentCycle.opens_on <= today) & (AssessmentCycle.closes_on >= today)
    row = session.execute(
        select(*_CYCLE_COLUMNS)
        .order_by(in_window.desc(), (AssessmentCycle.status == "open").desc(), AssessmentCycle.opens_on.desc(), AssessmentCycle.id.desc())
        .limit(1)
    ).first()
    return _cycle(row) if row else None


def list_cycles(session: Session | Connection, limit: int = CYCLE_LIST_LIMIT) -> list[Cycle]:
    """The most recent cycles first. 1 prebuilt query (Core: on a session's connection or a plain one)."""
    rows = connection_of(session).execute(_CYCLE_LIST, {"limit": limit}).all()
    return [_cycle(r) for r in rows]


def cycles_overview(session: Session, limit: int = CYCLE_LIST_LIMIT) -> tuple[list[CycleRow], int]:
    """Recent cycles with submission counts, and the number of active employees with a standard.
    3 queries."""
    cycles = list_cycles(session, limit)
    rows = {c.id: CycleRow(c) for c in cycles}
    if rows:
        for cycle_id, role, status, n in session.execute(
            select(Assessment.cycle_id, Assessment.rater_role, Assessment.status, func.count(Assessment.id))
            .where(Assessment.cycle_id.in_(list(rows)))
            .group_by(Assessment.cycle_id, Assessment.rater_role, Assessment.status)
        ):
            row = rows[cycle_id]
            if role == "self" and status == "submitted":
                row.self_submitted = n
            elif role == "self":
                row.self_draft = n
            elif status == "submitted":
                row.supervisor_submitted = n
    employees = session.execute(
        select(func.count(Employee.id)).where(
            Employee.is_active.is_(True),
            select(PositionStandard.id).where(PositionStandard.position_id == Employee.position_id).exists(),
        )
    ).scalar_one()
    return [rows[c.id] for c in cycles], int(employees)


# --------------------------------------------------------------------------- HR's changes


def validate_cycle(session: Session, data: dict[str, str], cycle_id: int | None = None) -> tuple[CycleValues, dict[str, str]]:
    """Parse and check the cycle form. Returns (values, errors by field)."""
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Masukkan nama siklus, misalnya AKPK 2026.")
    elif len(name) > 200:
        errors["name"] = _("Nama siklus paling banyak 200 karakter.")
    year: int | None = None
    try:
        year = int((data.get("year") or "").strip())
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        errors["year"] = _("Masukkan tahun dengan 4 angka, misalnya 2026.")
        year = None
    dates: dict[str, date | None] = {}
    for key, label in (("opens_on", _("tanggal buka")), ("closes_on", _("tanggal tutup"))):
        raw = (data.get(key) or "").strip()
        try:
            dates[key] = date.fromisoformat(raw)
        except ValueError:
            dates[key] = None
            errors[key] = _("Masukkan %(label)s yang benar.") % {"label": label}
    opens_on, closes_on = dates.get("opens_on"), dates.get("closes_on")
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("Tanggal tutup harus sama dengan atau sesudah tanggal buka.")
    return CycleValues(name, year, opens_on, closes_on), errors


def _open_cycle_of_year(session: Session, year: int | None, exclude_id: int | None = None) -> Cycle | None:
    stmt = select(*_CYCLE_COLUMNS).where(AssessmentCycle.year == year, AssessmentCycle.status == "open")
    if exclude_id is not None:
        stmt = stmt.where(AssessmentCycle.id != exclude_id)
    row = session.execute(stmt.limit(1)).first()
    return _cycle(row) if row else None


def _one_open_per_year(other: Cycle, year: int | None, field: str) -> InvalidCycle:
    return InvalidCycle(
        _("Siklus %(name)s untuk tahun %(year)s masih terbuka. Hanya satu siklus per tahun yang boleh terbuka.")
        % {"name": other.name, "year": year},
        field,
    )


def create_cycle(session: Session, values: CycleValues) -> Cycle:
    """Open a new cycle. Only one cycle per year may be open (InvalidCycle otherwise). Does not commit."""
    other = _open_cycle_of_year(session, values.year)
    if other is not None:
        raise InvalidCycle(
            _("Siklus %(name)s untuk tahun %(year)s masih terbuka. Tutup dulu siklus itu.") % {"name": other.name, "year": values.year},
            "year",
        )
    cycle = AssessmentCycle(name=values.name, year=values.year, opens_on=values.opens_on, closes_on=values.closes_on, status="open")
    session.add(cycle)
    session.flush()
    assert cycle.id is not None
    return Cycle(cycle.id, cycle.name, cycle.year, cycle.opens_on, cycle.closes_on, cycle.status)


def update_cycle(session: Session, cycle: Cycle, values: CycleValues) -> None:
    """Does not commit."""
    if cycle.status == "open":
        other = _open_cycle_of_year(session, values.year, exclude_id=cycle.id)
        if other is not None:
            raise _one_open_per_year(other, values.year, "year")
    session.execute(
        update(AssessmentCycle)
        .where(AssessmentCycle.id == cycle.id)
        .values(name=values.name, year=values.year, opens_on=values.opens_on, closes_on=values.closes_on)
    )


def set_cycle_status(session: Session, cycle: Cycle, status: str) -> None:
    """Close or reopen a cycle. Does not commit."""
    if status not in STATUSES:
        raise InvalidCycle(_("Status siklus tidak dikenal."), "status")
    if status == "open":
        other = _open_cycle_of_year(session, cycle.year, exclude_id=cycle.id)
        if other is not None:
            raise _one_open_per_year(other, cycle.year, "status")
    session.execute(update(AssessmentCycle).where(AssessmentCycle.id == cycle.id).values(status=status))
