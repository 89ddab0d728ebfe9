"""HR's view of AKPK gaps: a heat map of units x competencies (mean gap and number of people per
cell) with submission counts per unit, and the people behind one cell.

Aggregation happens in SQL (GROUP BY); no row is loaded per person for the map. Queries per heat
map: 6 (cycles, units, people per unit/position, submissions per unit, standards, cells). Per
cell drill-down: 3 (names, count, one page of people).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal import scoring
from portal.models import (
    POSITION_CLASSES,
    Assessment,
    AssessmentGap,
    AssessmentItem,
    Competency,
    Employee,
    Position,
    PositionStandard,
    Unit,
)
from portal.services.assessments import (
    GROUP_ORDER,
    Cycle,
    default_cycle,
    get_cycle,
    list_cycles,
)

PEOPLE_PER_PAGE = 50


@dataclass
class UnitOption:
    id: int
    code: str
    name: str
    depth: int
    parent_id: int | None


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
        """The mean gap with one decimal, Indonesian style ("0,4", "-1,2"), or "–"."""
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


@dataclass
class Filters:
    cycle_id: int | None = None
    unit_id: int | None = None
    position_class: str | None = None
    group: str | None = None

    def query(self, **overrides: object) -> str:
        """The query string of these filters (for links and the shareable URL)."""
        values = {"siklus": self.cycle_id, "unit": self.unit_id, "kelas": self.position_class, "kelompok": self.group}
        values.update(overrides)
        return "&".join(f"{k}={v}" for k, v in values.items() if v not in (None, ""))


@dataclass
class Heatmap:
    cycle: Cycle | None
    cycles: list[Cycle]
    units: list[UnitOption]
    filters: Filters
    columns: list[Column]
    rows: list[Row]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "employees": sum(r.employees for r in self.rows),
            "self_submitted": sum(r.self_submitted for r in self.rows),
            "self_draft": sum(r.self_draft for r in self.rows),
            "supervisor_submitted": sum(r.supervisor_submitted for r in self.rows),
            "pending": sum(r.pending for r in self.rows),
        }

    @property
    def top_gaps(self) -> list[Column]:
        cols = [c for c in self.columns if c.mean_gap is not None and c.mean_gap > 0]
        return sorted(cols, key=lambda c: -(c.mean_gap or 0))[:5]


def gap_band(mean_gap: float | None) -> int | None:
    """Colour band 0-5 of a mean gap: 0 = at or above standard, then one band per half level, 5 = over 2."""
    if mean_gap is None:
        return None
    if mean_gap <= 0:
        return 0
    return min(5, math.ceil(round(mean_gap, 6) * 2))


def parse_filters(session: Session, raw: dict[str, str | None], today: date) -> tuple[Filters, list[Cycle], Cycle | None]:
    """Read the query string leniently: unknown or malformed values are ignored. 1-2 queries."""

    def as_int(value: str | None) -> int | None:
        try:
            return int(value) if value not in (None, "") else None
        except ValueError:
            return None

    cycles = list_cycles(session)
    cycle_id = as_int(raw.get("siklus"))
    cycle = next((c for c in cycles if c.id == cycle_id), None)
    if cycle is None and cycle_id is not None:
        cycle = get_cycle(session, cycle_id)
    if cycle is None:
        cycle = default_cycle(session, today)
    kelas = raw.get("kelas") or None
    group = raw.get("kelompok") or None
    filters = Filters(
        cycle_id=cycle.id if cycle else None,
        unit_id=as_int(raw.get("unit")),
        position_class=kelas if kelas in POSITION_CLASSES else None,
        group=group if group in GROUP_ORDER else None,
    )
    return filters, cycles, cycle


def unit_tree(session: Session) -> list[UnitOption]:
    """All units in tree order (parents before children), with their depth. 1 query."""
    rows = session.execute(select(Unit.id, Unit.code, Unit.name, Unit.parent_id).order_by(Unit.name)).all()
    children: dict[int | None, list] = {}
    ids = {r[0] for r in rows}
    for row in rows:
        parent = row[3] if row[3] in ids else None
        children.setdefault(parent, []).append(row)
    out: list[UnitOption] = []
    stack = [(r, 0) for r in reversed(children.get(None, []))]
    while stack:
        (uid, code, name, parent_id), depth = stack.pop()
        out.append(UnitOption(uid, code, name, depth, parent_id))
        stack.extend((c, depth + 1) for c in reversed(children.get(uid, [])))
    return out


def subtree_ids(units: list[UnitOption], root_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.id)
    out, stack = [], [root_id]
    while stack:
        uid = stack.pop()
        out.append(uid)
        stack.extend(children.get(uid, []))
    return out


def heatmap(session: Session, filters: Filters, cycles: list[Cycle], cycle: Cycle | None) -> Heatmap:
    """Units x competencies for one cycle. 5 queries: units; people per unit and position;
    submissions per unit; the standards of those positions (the columns, and which cells exist);
    the gap sums per cell from the gap summary kept at submit time (services/gap_summary.py)."""
    units = unit_tree(session)
    hm = Heatmap(cycle, cycles, units, filters, [], [])
    if cycle is None:
        return hm
    scope = [Employee.is_active.is_(True), Employee.position_id.is_not(None)]
    if filters.unit_id is not None:
        scope.append(Employee.unit_id.in_(subtree_ids(units, filters.unit_id)))
    if filters.position_class is not None:
        scope.append(
            Employee.position_id.in_(select(Position.id).where(Position.position_class == filters.position_class))
        )

    # 1. people per (unit, position), and submissions per unit (two small GROUP BYs)
    count_rows = session.execute(
        select(Employee.unit_id, Employee.position_id, func.count(Employee.id))
        .where(*scope, Employee.unit_id.is_not(None))
        .group_by(Employee.unit_id, Employee.position_id)
    ).all()
    if not count_rows:
        return hm
    status_rows = session.execute(
        select(Employee.unit_id, Assessment.rater_role, Assessment.status, func.count(Assessment.id))
        .join(Employee, Employee.id == Assessment.subject_id)
        .where(Assessment.cycle_id == cycle.id, *scope, Employee.unit_id.is_not(None))
        .group_by(Employee.unit_id, Assessment.rater_role, Assessment.status)
    ).all()

    # 2. the standards of those positions: the columns, and which (unit, competency) cells exist
    positions = sorted({r[1] for r in count_rows})
    standards: dict[int, list[int]] = {}
    columns: dict[int, Column] = {}
    std_stmt = (
        select(PositionStandard.position_id, Competency.id, Competency.code, Competency.name, Competency.group_name)
        .join(Competency, Competency.id == PositionStandard.competency_id)
        .where(PositionStandard.position_id.in_(positions))
    )
    if filters.group is not None:
        std_stmt = std_stmt.where(Competency.group_name == filters.group)
    for position_id, cid, code, name, group in session.execute(std_stmt):
        standards.setdefault(position_id, []).append(cid)
        if cid not in columns:
            columns[cid] = Column(cid, code, name, group)
    hm.columns = sorted(
        columns.values(), key=lambda c: (GROUP_ORDER.index(c.group) if c.group in GROUP_ORDER else 9, c.code)
    )

    names = {u.id: (u.code, u.name) for u in units}
    order = {u.id: i for i, u in enumerate(units)}
    rows: dict[int, Row] = {}
    unit_positions: dict[int, set[int]] = {}
    for unit_id, position_id, n in count_rows:
        row = rows.get(unit_id)
        if row is None:
            code, name = names.get(unit_id, ("?", "?"))
            row = rows[unit_id] = Row(unit_id, code, name)
            unit_positions[unit_id] = set()
        row.employees += int(n or 0)
        unit_positions[unit_id].add(position_id)
    std_sets = {p: frozenset(cids) for p, cids in standards.items()}
    existing = {u: frozenset().union(*(std_sets.get(p, frozenset()) for p in ps)) for u, ps in unit_positions.items()}
    for unit_id, role, status, n in status_rows:
        row = rows.get(unit_id)
        if row is None:
            continue
        if role == "self" and status == "submitted":
            row.self_submitted += int(n)
        elif role == "self" and status == "draft":
            row.self_draft += int(n)
        elif role == "supervisor" and status == "submitted":
            row.supervisor_submitted += int(n)

    # 3. gap sums per cell, from the summary kept at submit time (one covering-index range scan)
    g = AssessmentGap
    gscope = [g.cycle_id == cycle.id, g.unit_id.is_not(None)]
    if filters.unit_id is not None:
        gscope.append(g.unit_id.in_(subtree_ids(units, filters.unit_id)))
    if filters.position_class is not None:
        gscope.append(g.position_id.in_(select(Position.id).where(Position.position_class == filters.position_class)))
    if filters.group is not None:
        gscope.append(g.competency_id.in_(list(columns) or [-1]))
    cell_stmt = (
        select(g.unit_id, g.competency_id, func.count(), func.sum(g.gap), func.sum(case((g.gap > 0, 1), else_=0)))
        .where(*gscope)
        .group_by(g.unit_id, g.competency_id)
    )
    cells: dict[tuple[int, int], Cell] = {}
    for unit_id, cid, n, gap_sum, below in session.execute(cell_stmt):
        col = columns.get(cid)
        if col is None:
            continue
        n = int(n)
        mean = float(gap_sum) / n if n else None
        col.n += n
        col.gap_sum += float(gap_sum or 0)
        cells[(unit_id, cid)] = Cell(unit_id, cid, n, mean, int(below or 0))
    for row in rows.values():
        required = existing[row.unit_id]
        row.cells = [
            cells.get((row.unit_id, c.id)) or (Cell(row.unit_id, c.id, 0, None, 0) if c.id in required else None)
            for c in hm.columns
        ]
    hm.rows = sorted(rows.values(), key=lambda r: order.get(r.unit_id, 1 << 30))
    return hm


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


def cell_people(
    session: Session,
    cycle: Cycle,
    unit_id: int,
    competency_id: int,
    position_class: str | None,
    page: int = 1,
    per_page: int = PEOPLE_PER_PAGE,
) -> CellDetail | None:
    """The people of one heat-map cell (the unit itself, not its sub-units), largest gap first,
    people without submitted levels last. 3 queries, `per_page` people at most."""
    names = session.execute(
        select(
            select(Unit.name).where(Unit.id == unit_id).scalar_subquery(),
            select(Competency.code).where(Competency.id == competency_id).scalar_subquery(),
            select(Competency.name).where(Competency.id == competency_id).scalar_subquery(),
        )
    ).one()
    if names[0] is None or names[1] is None:
        return None
    self_a, sup_a = aliased(Assessment), aliased(Assessment)
    self_i, sup_i = aliased(AssessmentItem), aliased(AssessmentItem)
    scope = [
        Employee.unit_id == unit_id,
        Employee.is_active.is_(True),
        PositionStandard.competency_id == competency_id,
    ]
    if position_class is not None:
        scope.append(Position.position_class == position_class)
    base = (
        select(Employee.id)
        .select_from(Employee)
        .join(Position, Position.id == Employee.position_id)
        .join(PositionStandard, PositionStandard.position_id == Employee.position_id)
        .where(*scope)
    )
    total = int(session.execute(select(func.count()).select_from(base.subquery())).scalar_one())
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    self_level = case((self_a.status == "submitted", self_i.level), else_=None)
    sup_level = case((sup_a.status == "submitted", sup_i.level), else_=None)
    final = func.coalesce(sup_level, self_level)
    gap = PositionStandard.required_level - final
    rows = session.execute(
        select(
            Employee.id,
            Employee.name,
            Employee.nip,
            Position.name,
            PositionStandard.required_level,
            func.coalesce(self_a.status, "not_started"),
            func.coalesce(sup_a.status, "not_started"),
            self_level,
            sup_level,
        )
        .select_from(Employee)
        .join(Position, Position.id == Employee.position_id)
        .join(PositionStandard, PositionStandard.position_id == Employee.position_id)
        .outerjoin(self_a, and_(self_a.subject_id == Employee.id, self_a.cycle_id == cycle.id, self_a.rater_role == "self"))
        .outerjoin(self_i, and_(self_i.assessment_id == self_a.id, self_i.competency_id == competency_id))
        .outerjoin(sup_a, and_(sup_a.subject_id == Employee.id, sup_a.cycle_id == cycle.id, sup_a.rater_role == "supervisor"))
        .outerjoin(sup_i, and_(sup_i.assessment_id == sup_a.id, sup_i.competency_id == competency_id))
        .where(*scope)
        .order_by(gap.is_(None), gap.desc(), Employee.name, Employee.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    people = [Person(*r) for r in rows]
    return CellDetail(unit_id, names[0], competency_id, names[1], names[2], people, total, page, pages)
