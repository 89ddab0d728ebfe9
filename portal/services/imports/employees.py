"""Import of employees (e.g. an export of SIASN): upsert by NIP; position and unit by code; the
supervisor by NIP (in the portal or in the same file), never in a loop. An employee who left is
deactivated ("Aktif: Tidak"), never deleted. Columns missing from the file are left as they are; an
empty cell of a column that is present clears the value."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.i18n import _
from portal.models import Employee, Position, Unit
from portal.services.imports import cells
from portal.services import summaries
from portal.services.imports.plan import UPDATE, Change, Planned, mark_duplicates
from portal.services.imports.reading import Column
from portal.services.imports.table_kind import TableKind

GOLONGAN_PNS = re.compile(r"^(I|II|III|IV)/([A-E])$")
GOLONGAN_PPPK = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII")
# a change of these moves the person's AKPK gaps (measured against their position's standard)
MOVES = {"position_code", "unit_code"}
FIELDS = ("name", "email", "phone", "golongan", "unit_code", "position_code", "supervisor_nip", "is_active")


def golongan(value: object) -> str | None:
    """III/a, III a, IIIa, iii/A -> III/a (PNS); IX -> IX (PPPK)."""
    raw = cells.text(value, 10).upper().replace(" ", "").replace("-", "/")
    if not raw:
        return None
    if re.fullmatch(r"(I|II|III|IV)[A-E]", raw):
        raw = raw[:-1] + "/" + raw[-1]
    if m := GOLONGAN_PNS.match(raw):
        return f"{m[1]}/{m[2].lower()}"
    if raw in GOLONGAN_PPPK:
        return raw
    raise cells.CellError(_("Golongan tidak dikenal: %(v)s. Contoh: III/a (PNS) atau IX (PPPK).") % {"v": raw})


class EmployeeImport(TableKind):
    slug: ClassVar[str] = "pegawai"
    label: ClassVar[str] = "Pegawai"
    description: ClassVar[str] = "Data pegawai (misalnya ekspor SIASN): NIP, nama, jabatan, unit, golongan, atasan, kontak, status aktif."
    key_column: ClassVar[str] = "nip"
    table = Employee
    key_field = "nip"
    fields = FIELDS
    self_ref = "supervisor_nip"
    columns: ClassVar[list[Column]] = [
        Column("nip", "NIP", True, ("nip baru", "nip pegawai"), "18 angka, ditulis sebagai teks (bukan angka).", "199706112020122026"),
        Column("name", "Nama", True, ("nama lengkap", "nama pegawai", "nama"), "Nama lengkap dengan gelar.", "Putri Wulandari, A.Md."),
        Column("position_code", "Kode Jabatan", False, ("jabatan kode",), "Kode jabatan yang sudah ada di Data Master (impor Jabatan).", "JAB-PKM-DAFTAR"),
        Column("unit_code", "Kode Unit", False, ("unit kerja kode", "kode unit kerja", "kode opd"), "Kode unit kerja yang sudah ada di Data Master (impor Unit).", "PKM-BATU10"),
        Column("golongan", "Golongan", False, ("gol", "gol ruang", "pangkat golongan"), "PNS: I/a sampai IV/e; PPPK: I sampai XVII.", "II/c"),
        Column("supervisor_nip", "NIP Atasan", False, ("nip atasan langsung", "atasan nip"), "NIP atasan langsung (di portal atau di berkas yang sama). Kosong: tanpa atasan.", "197905052006042006"),
        Column("email", "Email", False, ("surel", "e-mail", "alamat email"), "Alamat email kantor untuk pengingat.", "putri.wulandari@contoh.go.id"),
        Column("phone", "Telepon", False, ("no hp", "nomor hp", "no telepon", "hp"), "Nomor telepon seluler.", "081234567890"),
        Column("is_active", "Aktif", False, ("status aktif", "status"), "Ya atau Tidak. Pegawai yang keluar atau pensiun: Tidak (tidak dihapus). Kosong: Ya.", "Ya"),
    ]
    examples: ClassVar[list[dict[str, str]]] = [
        {"nip": "199706112020122026", "name": "Putri Wulandari, A.Md.", "position_code": "", "unit_code": "", "golongan": "II/c",
         "supervisor_nip": "197905052006042006", "email": "putri.wulandari@contoh.go.id", "phone": "081234567890", "is_active": "Ya"},
    ]

    def parse(self, raw: dict[str, Any], today: date) -> Planned:
        row = Planned(number=0, key="", values={})
        nip = self.cell(row, raw, "nip", lambda v: cells.nip(v, today))
        row.key = nip or str(raw.get("nip") or "").strip()[:40]
        parsers = {
            "name": lambda v: cells.text(v, 200, required=True),
            "position_code": lambda v: cells.code(v, required=False) or None,
            "unit_code": lambda v: cells.code(v, required=False) or None,
            "golongan": golongan,
            "supervisor_nip": lambda v: None if cells.is_blank(v) else cells.nip(v, today),
            "email": cells.email,
            "phone": cells.phone,
            "is_active": lambda v: cells.yes_no(v, default=True),
        }
        for key, parse in parsers.items():
            if key in raw:
                row.values[key] = self.cell(row, raw, key, parse)
        return row

    def stored_select(self) -> Any:
        sup = aliased(Employee)
        return (
            select(
                Employee.id, Employee.nip, Employee.name, Employee.email, Employee.phone, Employee.golongan,
                Unit.code.label("unit_code"), Position.code.label("position_code"), sup.nip.label("supervisor_nip"), Employee.is_active,
            )
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .outerjoin(Position, Position.id == Employee.position_id)
            .outerjoin(sup, sup.id == Employee.supervisor_id)
        )

    def lookups(self, session: Session) -> dict[str, dict[str, int]]:
        return {
            "unit_code": dict(session.execute(select(Unit.code, Unit.id)).all()),
            "position_code": dict(session.execute(select(Position.code, Position.id).where(Position.code.is_not(None))).all()),
        }

    def to_columns(self, values: dict[str, Any], lookups: dict[str, dict[str, int]], ids: dict[str, int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in values.items():
            if key == "unit_code":
                out["unit_id"] = lookups["unit_code"].get(value) if value else None
            elif key == "position_code":
                out["position_id"] = lookups["position_code"].get(value) if value else None
            elif key == "supervisor_nip":
                out["supervisor_id"] = ids.get(value) if value else None
            else:
                out[key] = value
        return out

    def plan(self, session: Session, rows: list[Planned], today: date) -> None:
        mark_duplicates(rows, self.header_of("nip"))
        stored = self.stored(session)
        lookups = self.lookups(session)
        for row in rows:
            v = row.values
            if v.get("unit_code") and v["unit_code"] not in lookups["unit_code"]:
                row.reject(self.header_of("unit_code"), _("Kode unit %(c)s tidak dikenal. Impor unitnya dulu.") % {"c": v["unit_code"]})
            if v.get("position_code") and v["position_code"] not in lookups["position_code"]:
                row.reject(self.header_of("position_code"), _("Kode jabatan %(c)s tidak dikenal. Impor jabatannya dulu.") % {"c": v["position_code"]})
        self.check_self_refs(rows, stored, {
            "itself": _("Pegawai tidak dapat menjadi atasannya sendiri."),
            "unknown": _("NIP atasan %(k)s tidak ada di portal maupun di berkas ini."),
            "loop": _("Atasan melingkar: %(c)s."),
            "rejected": _("Atasan (NIP %(k)s) ditolak di baris %(r)s."),
        })
        self.decide_all(rows, stored)

    def write_owned(self, session: Session, rows: list[Planned], ids: dict[str, int]) -> None:
        moved = [ids[r.key] for r in rows if r.action == UPDATE and MOVES & set(r.before or {})]
        if moved:
            summaries.gaps.apply_people(session.connection(), moved)

    def undo_owned(self, session: Session, changes: list[Change]) -> None:
        moved = [c.row_id for c in changes if c.action == UPDATE and MOVES & set(c.before or {})]
        if moved:
            summaries.gaps.apply_people(session.connection(), moved)


__all__ = ["EmployeeImport", "golongan"]
