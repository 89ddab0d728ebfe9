"""The two trees that live in one table each: units (`Unit.parent_id`) and the line of supervision
(`Employee.supervisor_id`). Neither may become a loop: an employee above their own supervisor, a unit
inside its own sub-unit.

How an edit keeps them trees, also when two edits race: `serialise_edits` first (PostgreSQL: an
advisory lock per tree), then the write, then `loop_through` on the written row, in the same
transaction; a loop rolls the write back. Checking before writing would let two edits that are each
fine alone (A under B, B under A) both pass. The loop itself is found by the rule the imports use
(`imports.plan.find_cycles`), over the chain of parents read in one recursive query.
"""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from portal.db import dialect
from portal.services.imports.plan import find_cycles

SUPERVISION = "tree:supervision"
UNITS = "tree:units"


def serialise_edits(conn: Connection, tree: str) -> None:
    dialect.serialise_edits(conn, tree)


def chain_up(conn: Connection, table: Table, parent: str, start_id: int) -> dict[int, int | None]:
    """Every row reached from `start_id` by following the column `parent` (the row itself included), as
    {id: parent id}. One recursive query; it also ends on a loop (UNION keeps each row once)."""
    up = select(table.c.id.label("id"), table.c[parent].label("parent")).where(table.c.id == start_id).cte("up", recursive=True)
    above = table.alias("above")
    up = up.union(select(above.c.id, above.c[parent]).join(up, above.c.id == up.c.parent))
    return {row.id: row.parent for row in conn.execute(select(up.c.id, up.c.parent))}


def loop_through(conn: Connection, table: Table, parent: str, start_id: int) -> list[int] | None:
    """The loop `start_id` is part of (its ids in order, starting with `start_id`), or None."""
    loop = find_cycles(chain_up(conn, table, parent, start_id)).get(start_id)  # type: ignore[arg-type]
    if not loop:
        return None
    at = loop.index(start_id)  # type: ignore[arg-type]
    return [int(i) for i in loop[at:] + loop[:at]]


def descendants(children: dict[int | None, list[int]], root: int) -> set[int]:
    """The ids below `root` in a tree given as {parent id: [child ids]} (root not included)."""
    found: set[int] = set()
    todo = list(children.get(root, []))
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(children.get(node, []))
    return found
