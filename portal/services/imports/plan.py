"""The shapes an import works with: a planned row, the plan of a whole file, a change it made, and the
base of every import kind (what each kind must say, and the helpers they share)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import func, select
from sqlmodel import Session

from portal.i18n import _
from portal.services.imports import cells
from portal.services.imports.reading import Column

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"
ACTIONS = (CREATE, UPDATE, UNCHANGED, REJECT)


@dataclass(slots=True)
class Planned:
    """One data row of the file: where it is, its key, what applying it would do, its clean values and,
    when rejected, why (column header, message)."""

    number: int
    key: str
    values: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)
    action: str = REJECT
    row_id: int | None = None
    before: dict[str, Any] | None = None  # the stored values an update replaces (for undo)

    def reject(self, column: str, message: str) -> None:
        self.errors.append((column, message))
        self.action = REJECT

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Plan:
    rows: list[Planned]
    ignored_headers: list[str]
    file_format: str
    sheet_name: str | None

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.action for r in self.rows)
        return {a: counted.get(a, 0) for a in ACTIONS}

    def to_write(self) -> list[Planned]:
        return [r for r in self.rows if r.action in (CREATE, UPDATE)]


@dataclass(frozen=True)
class Change:
    """What applying one row did, kept so that the import can be undone: the row's id, create or
    update, and for an update the values it replaced and the ones it wrote."""

    row_id: int
    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class Kind:
    """An import kind: its URL slug and label, its columns, and three steps. `parse` turns one raw row
    into clean values (cell errors by column); `plan` decides create/update/unchanged/reject for all rows
    at once, with a bounded number of queries; `write` applies the rows to write and returns their
    changes; `undo_problem` / `undo` take an applied import back while nothing depends on it."""

    slug: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    key_column: ClassVar[str]
    columns: ClassVar[list[Column]]
    examples: ClassVar[list[dict[str, str]]]

    date_fields: ClassVar[tuple[str, ...]] = ()  # values stored as ISO text in the change log

    def revive(self, values: dict[str, Any] | None) -> dict[str, Any] | None:
        """Values read back from the change log (JSON) with their dates as dates again."""
        if values is None:
            return None
        return {k: (date.fromisoformat(v) if k in self.date_fields and isinstance(v, str) else v) for k, v in values.items()}

    def columns_for(self, session: Session) -> list[Column]:
        """The columns of a file of this kind (a kind may add columns from the data, e.g. competencies)."""
        return self.columns

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)

    def parse(self, raw: dict[str, Any], today: date) -> Planned:  # pragma: no cover - abstract
        raise NotImplementedError

    def plan(self, session: Session, rows: list[Planned], today: date) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, session: Session, rows: list[Planned], today: date) -> list[Change]:  # pragma: no cover - abstract
        raise NotImplementedError

    def undo_problem(self, session: Session, changes: list[Change]) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def undo(self, session: Session, changes: list[Change], today: date) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # ----------------------------------------------------------------------- shared by the kinds

    def cell(self, planned: Planned, raw: dict[str, Any], key: str, parse: Any) -> Any:
        """Parse one cell with `parse(value)`; a CellError becomes an error of that column."""
        try:
            return parse(raw.get(key))
        except cells.CellError as exc:
            planned.reject(self.header_of(key), exc.message)
            return None


def mark_duplicates(rows: list[Planned], column: str) -> None:
    """A key given twice in one file: every row after the first is rejected, naming the first."""
    first: dict[str, int] = {}
    for row in rows:
        if not row.key:
            continue
        if row.key in first:
            row.reject(column, _("%(k)s sudah ada di baris %(n)s berkas ini: setiap kunci hanya boleh muncul sekali.") % {"k": row.key, "n": first[row.key]})
        else:
            first[row.key] = row.number


def decide(row: Planned, stored: dict[str, Any] | None, fields: Iterable[str]) -> None:
    """create / update / unchanged for a valid row, from the stored values of its key (None: new)."""
    if not row.ok:
        row.action = REJECT
        return
    if stored is None:
        row.action = CREATE
        return
    row.row_id = stored["id"]
    changed = {f: stored[f] for f in fields if stored[f] != row.values[f]}
    if changed:
        row.action = UPDATE
        row.before = changed
    else:
        row.action = UNCHANGED


def count_where(session: Session, column: Any, ids: list[int]) -> int:
    """How many rows of `column`'s table point at one of `ids` (in chunks: long IN lists)."""
    total = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        total += int(session.execute(select(func.count()).where(column.in_(chunk))).scalar_one())
    return total


def find_cycles(edges: dict[str, str | None]) -> dict[str, list[str]]:
    """Nodes that reach themselves by following `edges` (child -> parent), with the loop they are in."""
    loops: dict[str, list[str]] = {}
    for start in edges:
        if start in loops:
            continue
        path: list[str] = []
        seen: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in seen and node not in loops:
            seen[node] = len(path)
            path.append(node)
            node = edges.get(node)
        if node is not None and node in seen:
            loop = path[seen[node] :]
            for member in loop:
                loops[member] = loop
    return loops
