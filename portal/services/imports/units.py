"""Import of organisational units (dinas, badan, puskesmas, kecamatan ...): upsert by code, the parent
by code (in the portal or in the same file), never in a loop."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.i18n import _
from portal.models import Unit
from portal.services.imports import cells
from portal.services.imports.plan import Planned, mark_duplicates
from portal.services.imports.reading import Column
from portal.services.imports.table_kind import TableKind


class UnitImport(TableKind):
    slug: ClassVar[str] = "unit"
    label: ClassVar[str] = "Unit kerja"
    description: ClassVar[str] = "Unit kerja (OPD, UPTD, puskesmas, kecamatan) dan induknya, sebagai pohon."
    key_column: ClassVar[str] = "code"
    columns: ClassVar[list[Column]] = [
        Column("code", "Kode Unit", True, ("kode", "kode unit kerja", "kode opd"), "Kode unik unit, paling banyak 40 karakter.", "PKM-BATU10"),
        Column("name", "Nama Unit", True, ("nama", "nama unit kerja", "unit kerja"), "Nama lengkap unit.", "UPTD Puskesmas Batu 10"),
        Column("parent_code", "Kode Induk", False, ("kode unit induk", "induk"), "Kode unit induknya (di portal atau di berkas ini). Kosong: unit teratas.", "DINKES"),
    ]
    examples: ClassVar[list[dict[str, str]]] = [
        {"code": "DINKES", "name": "Dinas Kesehatan", "parent_code": ""},
        {"code": "PKM-BATU10", "name": "UPTD Puskesmas Batu 10", "parent_code": "DINKES"},
    ]
    table = Unit
    key_field = "code"
    fields = ("name", "parent_code")
    self_ref = "parent_code"

    def parse(self, raw: dict[str, Any], today: date) -> Planned:
        row = Planned(number=0, key="", values={})
        row.key = self.cell(row, raw, "code", lambda v: cells.code(v, 40)) or ""
        row.values["name"] = self.cell(row, raw, "name", lambda v: cells.text(v, 200, required=True))
        if "parent_code" in raw:
            row.values["parent_code"] = self.cell(row, raw, "parent_code", lambda v: cells.code(v, 40, required=False) or None)
        return row

    def stored_select(self) -> Any:
        parent = aliased(Unit)
        return select(Unit.id, Unit.code, Unit.name, parent.code.label("parent_code")).outerjoin(parent, parent.id == Unit.parent_id)

    def to_columns(self, values: dict[str, Any], lookups: dict[str, dict[str, int]], ids: dict[str, int]) -> dict[str, Any]:
        out = {k: v for k, v in values.items() if k != "parent_code"}
        if "parent_code" in values:
            out["parent_id"] = ids.get(values["parent_code"]) if values["parent_code"] else None
        return out

    def plan(self, session: Session, rows: list[Planned], today: date) -> None:
        mark_duplicates(rows, self.header_of("code"))
        stored = self.stored(session)
        self.check_self_refs(rows, stored, {
            "itself": _("Unit tidak dapat menjadi induknya sendiri."),
            "unknown": _("Kode induk %(k)s tidak ada di portal maupun di berkas ini."),
            "loop": _("Induk melingkar: %(c)s."),
            "rejected": _("Unit induk %(k)s ditolak di baris %(r)s."),
        })
        self.decide_all(rows, stored)
