"""HR's gap map (/akpk/kesenjangan): a heat map of units x competencies (mean gap and number of
people per cell) with submission counts per unit. The people behind one cell: `gap_cell`.

Aggregation happens in SQL (GROUP BY); no row is loaded per person for the map. Queries per heat
map: 6 (cycles, units, people per unit/position, submissions per unit, standards, cells).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlmodel import Session

from portal.models import (
    COMPETENCY_GROUPS,
    POSITION_CLASSES,
    Assessment,
    AssessmentGap,
    Competency,
    Employee,
    Position,
    PositionStandard,
    Unit,
)
from portal.services.akpk._types import Cell, Column, Cycle, Filters, Heatmap, Row, UnitOption, competency_order
from portal.services.akpk.cycles import default_cycle, get_cycle, list_cycles


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
        group=group if group in COMPETENCY_GROUPS else None,
    )
    return filters, cycles, cycle


def unit_tree(session: Session) -> list[UnitOption]:
    """All units in tree order (parents before children), with their depth. 1 query."""
    rows = session.execute(select(Unit.id, Unit.code, Unit.name, Unit.parent_id).order_by(Unit.name)).all()
    children: dict[int | None, list] = {}
    ids = {r.id for r in rows}
    for row in rows:
        parent = row.parent_id if row.parent_id in ids else None
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
    the gap sums per cell from the gap summary kept at submit time (services/summaries/gaps.py)."""
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
    positions = sorted({r.position_id for r in count_rows})
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
    hm.columns = sorted(columns.values(), key=lambda c: competency_order(c.group, c.code))

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
