"""The part that every kind keyed by one column (NIP or code) shares: compare with what is stored,
insert the new rows, update the changed ones in batches, record the changes, and take them back.

A kind says which table, which key, which import fields it compares, how stored rows read as import
values (codes and NIPs, not ids), and how import values become table columns. A self-reference (a
unit's parent, an employee's supervisor) is written after the inserts, so that the rows of one file
may point at each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session, SQLModel

from portal.i18n import _
from portal.services.imports.plan import CREATE, UPDATE, Change, Kind, Planned, decide, find_cycles
from portal.services.imports.references import referenced_elsewhere

CHUNK = 500


class TableKind(Kind):
    table: ClassVar[type[SQLModel]]
    key_field: ClassVar[str]  # the table's column that holds the key ("nip", "code")
    fields: ClassVar[tuple[str, ...]]  # import fields compared and written
    self_ref: ClassVar[str | None] = None  # the import field that names another row of this table
    owned: ClassVar[tuple[str, ...]] = ()  # tables whose rows go with a deleted row

    # ----------------------------------------------------------------------- what a kind says

    def stored_select(self) -> Any:
        """SELECT id, <key_field>, and every field of `fields` labelled by its import name."""
        raise NotImplementedError  # pragma: no cover

    def lookups(self, session: Session) -> dict[str, dict[str, int]]:
        """Maps from codes to ids that `to_columns` needs (e.g. {"unit_code": {...}})."""
        return {}

    def to_columns(self, values: dict[str, Any], lookups: dict[str, dict[str, int]], ids: dict[str, int]) -> dict[str, Any]:
        """Import values as table columns; `ids` maps keys of this table to ids (for `self_ref`)."""
        raise NotImplementedError  # pragma: no cover

    def write_owned(self, session: Session, rows: list[Planned], ids: dict[str, int]) -> None:
        """Rows of owned tables (a training's target competencies ...), after the main rows."""

    def undo_owned(self, session: Session, changes: list[Change]) -> None:
        """Restore owned rows of updated rows and delete those of created rows."""

    # ----------------------------------------------------------------------- shared steps

    def stored(self, session: Session, where: Any = None) -> dict[str, dict[str, Any]]:
        stmt = self.stored_select()
        if where is not None:
            stmt = stmt.where(where)
        return {getattr(r, self.key_field): dict(r._asdict()) for r in session.execute(stmt)}

    def check_self_refs(self, rows: list[Planned], stored: dict[str, dict[str, Any]], messages: dict[str, str]) -> None:
        """Rows whose `self_ref` names themselves, a key found neither in the portal nor in the file, a
        loop (A -> B -> A, through stored rows too) or a rejected row are rejected. `messages` has the
        texts for "itself", "unknown" (%(k)s), "loop" (%(c)s: the chain) and "rejected" (%(k)s, %(r)s)."""
        assert self.self_ref is not None
        column = self.header_of(self.self_ref)
        by_key = {r.key: r for r in rows if r.key}
        for row in rows:
            ref = row.values.get(self.self_ref)
            if ref and ref == row.key:
                row.reject(column, messages["itself"])
            elif ref and ref not in stored and ref not in by_key:
                row.reject(column, messages["unknown"] % {"k": ref})
        edges: dict[str, str | None] = {key: s[self.self_ref] for key, s in stored.items()}
        for row in rows:
            if row.key and self.self_ref in row.values and row.ok:
                edges[row.key] = row.values[self.self_ref]
        for key, loop in find_cycles(edges).items():
            if key in by_key and by_key[key].ok:
                by_key[key].reject(column, messages["loop"] % {"c": " → ".join([*loop, loop[0]])})
        for row in rows:
            ref = row.values.get(self.self_ref)
            if row.ok and ref and ref not in stored and not by_key[ref].ok:
                row.reject(column, messages["rejected"] % {"k": ref, "r": by_key[ref].number})

    def decide_all(self, rows: list[Planned], stored: dict[str, dict[str, Any]]) -> None:
        for row in rows:
            decide(row, stored.get(row.key), [f for f in self.fields if f in row.values])

    def ids_of(self, session: Session, keys: Iterable[str]) -> dict[str, int]:
        key = getattr(self.table, self.key_field)
        wanted = sorted({k for k in keys if k})
        found: dict[str, int] = {}
        for start in range(0, len(wanted), CHUNK):
            found.update(session.execute(select(key, self.table.id).where(key.in_(wanted[start : start + CHUNK]))).all())
        return found

    def write(self, session: Session, rows: list[Planned], today: date) -> list[Change]:
        lookups = self.lookups(session)
        new = [r for r in rows if r.action == CREATE]
        if new:
            rows_in = []
            for r in new:
                columns = self.to_columns({k: v for k, v in r.values.items() if k != self.self_ref}, lookups, {})
                rows_in.append({self.key_field: r.key, **columns})
            session.execute(insert(self.table), rows_in)
        refs = [r.values.get(self.self_ref) for r in rows] if self.self_ref else []
        ids = self.ids_of(session, [r.key for r in rows] + [x for x in refs if x])
        changes: list[Change] = []
        batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for r in rows:
            if r.action == CREATE:
                changes.append(Change(ids[r.key], CREATE))
                columns = self.to_columns({self.self_ref: r.values[self.self_ref]}, lookups, ids) if self.self_ref and r.values.get(self.self_ref) else {}
            else:
                after = {f: r.values[f] for f in (r.before or {})}
                changes.append(Change(ids[r.key], UPDATE, r.before, after))
                columns = self.to_columns(after, lookups, ids)
            if columns:
                batches.setdefault(tuple(sorted(columns)), []).append({"_id": ids[r.key], **columns})
        self._update_many(session, batches)
        self.write_owned(session, rows, ids)
        return changes

    def _update_many(self, session: Session, batches: dict[tuple[str, ...], list[dict[str, Any]]]) -> None:
        for keys, params in batches.items():
            # bound names must differ from the column names of an UPDATE's SET clause
            stmt = update(self.table).where(self.table.id == bindparam("_id")).values({k: bindparam(f"v_{k}") for k in keys})
            session.connection().execute(stmt, [{"_id": p["_id"], **{f"v_{k}": p[k] for k in keys}} for p in params])

    def undo_problem(self, session: Session, changes: list[Change]) -> str | None:
        created = [c.row_id for c in changes if c.action == CREATE]
        where = referenced_elsewhere(session, self.table.__table__, created, self.owned)
        if where:
            return _("Data dari impor ini sudah dipakai (%(w)s).") % {"w": where}
        touched = [c for c in changes if c.action == UPDATE]
        for start in range(0, len(touched), CHUNK):
            part = touched[start : start + CHUNK]
            now = {s["id"]: s for s in self.stored(session, self.table.id.in_([c.row_id for c in part])).values()}
            for c in part:
                current = now.get(c.row_id, {})
                if any(current.get(f) != v for f, v in (c.after or {}).items()):
                    return _("Baris %(k)s sudah diubah lagi setelah impor ini.") % {"k": current.get(self.key_field, "?")}
        return None

    def undo(self, session: Session, changes: list[Change], today: date) -> None:
        lookups = self.lookups(session)
        refs = [c.before.get(self.self_ref) for c in changes if self.self_ref and c.before and c.before.get(self.self_ref)]
        ids = self.ids_of(session, refs)
        batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for c in changes:
            if c.action == UPDATE and c.before:
                columns = self.to_columns(c.before, lookups, ids)
                if columns:
                    batches.setdefault(tuple(sorted(columns)), []).append({"_id": c.row_id, **columns})
        self._update_many(session, batches)
        self.undo_owned(session, changes)
        created = [c.row_id for c in changes if c.action == CREATE]
        if created and self.self_ref:
            # rows of one file may point at each other: unlink them first
            column = self.to_columns({self.self_ref: None}, lookups, {})
            for start in range(0, len(created), CHUNK):
                session.execute(update(self.table).where(self.table.id.in_(created[start : start + CHUNK])).values(**column))
        for start in range(0, len(created), CHUNK):
            session.execute(self.table.__table__.delete().where(self.table.id.in_(created[start : start + CHUNK])))
