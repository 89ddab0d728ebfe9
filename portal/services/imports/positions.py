"""Import of positions (jabatan) with their competency standard: upsert by position code; one column per
competency (its code as the header) holding the required level 1-5. The template lists the competencies
of the portal as they are when it is downloaded. An empty managerial or socio-cultural cell takes the
default level of the position's class; an empty technical cell means the position does not require that
competency (the rule, and the write of a standard: portal.services.standards). A competency column
missing from the file leaves that part of the standard as it is."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import delete, select
from sqlmodel import Session

from portal.i18n import _
from portal.models import Competency, Position, PositionStandard, Unit
from portal.rules import POSITION_CLASS_LABELS
from portal.services import standards, summaries
from portal.services.imports import cells
from portal.services.imports.plan import UPDATE, Change, Planned, mark_duplicates
from portal.services.imports.reading import Column
from portal.services.imports.table_kind import TableKind

LEVEL_PREFIX = "level:"


def _class_spellings() -> dict[str, str]:
    spellings = {key.replace("_", " "): key for key in POSITION_CLASS_LABELS}
    spellings.update({label.lower(): key for key, label in POSITION_CLASS_LABELS.items()})
    spellings.update({label.lower().removeprefix("fungsional "): key for key, label in POSITION_CLASS_LABELS.items() if key.startswith("fungsional")})
    spellings.update({"jpt madya": "jpt_madya", "jpt pratama": "jpt_pratama", "eselon ii": "jpt_pratama", "eselon iii": "administrator", "eselon iv": "pengawas"})
    return spellings


def standard_text(levels: dict[str, int]) -> str:
    """{"MAN-01": 3, "TEK-02": 2} -> "MAN-01=3,TEK-02=2" (sorted): one comparable value per standard."""
    return ",".join(f"{code}={level}" for code, level in sorted(levels.items()))


def standard_levels(text: str | None) -> dict[str, int]:
    return {code: int(level) for code, level in (p.split("=") for p in (text or "").split(",") if "=" in p)}


class PositionImport(TableKind):
    slug: ClassVar[str] = "jabatan"
    label: ClassVar[str] = "Jabatan dan standar kompetensi"
    description: ClassVar[str] = "Jabatan, kelasnya, unitnya dan level kompetensi yang dipersyaratkan (standar kompetensi jabatan)."
    key_column: ClassVar[str] = "code"
    columns: ClassVar[list[Column]] = [
        Column("code", "Kode Jabatan", True, ("kode",), "Kode unik jabatan, paling banyak 40 karakter.", "JAB-PKM-DAFTAR"),
        Column("name", "Nama Jabatan", True, ("jabatan", "nama"), "Nama jabatan.", "Petugas Pendaftaran Pasien"),
        Column("position_class", "Kelas Jabatan", True, ("kelas", "jenis jabatan"), "Salah satu: " + ", ".join(POSITION_CLASS_LABELS.values()) + ".", "Pelaksana"),
        Column("unit_code", "Kode Unit", False, ("kode unit kerja",), "Kode unit kerja tempat jabatan ini (boleh kosong).", "PKM-BATU10"),
    ]
    examples: ClassVar[list[dict[str, str]]] = [
        {"code": "JAB-PKM-DAFTAR", "name": "Petugas Pendaftaran Pasien", "position_class": "Pelaksana", "unit_code": "PKM-BATU10"},
    ]
    table = Position
    key_field = "code"
    fields = ("name", "position_class", "unit_code", "standard")
    owned = ("positionstandard",)

    def columns_for(self, session: Session) -> list[Column]:
        competencies = session.execute(select(Competency.code, Competency.name, Competency.group_name).order_by(Competency.group_name, Competency.code)).all()
        extra = [
            Column(f"{LEVEL_PREFIX}{c.code}", c.code, False, (), _("Level %(n)s yang dipersyaratkan (1 sampai 5).") % {"n": c.name},
                   "" if c.group_name != "teknis" else "2")
            for c in competencies
        ]
        return [*self.columns, *extra]

    def parse(self, raw: dict[str, Any], today: date) -> Planned:
        row = Planned(number=0, key="", values={})
        row.key = self.cell(row, raw, "code", lambda v: cells.code(v, 40)) or ""
        row.values["name"] = self.cell(row, raw, "name", lambda v: cells.text(v, 200, required=True))
        row.values["position_class"] = self.cell(row, raw, "position_class", lambda v: cells.choice(v, _class_spellings()))
        if "unit_code" in raw:
            row.values["unit_code"] = self.cell(row, raw, "unit_code", lambda v: cells.code(v, 40, required=False) or None)
        levels: dict[str, int | None] = {}
        for key in raw:
            if key.startswith(LEVEL_PREFIX):
                code = key.removeprefix(LEVEL_PREFIX)
                try:
                    levels[code] = cells.whole_number(raw[key], minimum=1, maximum=5)
                except cells.CellError:
                    row.reject(code, _("Level harus angka 1 sampai 5."))
        row.values["levels"] = levels
        return row

    def header_of(self, key: str) -> str:
        return key.removeprefix(LEVEL_PREFIX) if key.startswith(LEVEL_PREFIX) else super().header_of(key)

    def stored(self, session: Session, where: Any = None) -> dict[str, dict[str, Any]]:
        found = super().stored(session, where)
        by_id = {s["id"]: s for s in found.values()}
        levels: dict[int, dict[str, int]] = {}
        pairs = select(PositionStandard.position_id, Competency.code, PositionStandard.required_level).join(
            Competency, Competency.id == PositionStandard.competency_id
        )
        if where is not None:
            pairs = pairs.where(PositionStandard.position_id.in_(list(by_id)))
        for pid, code, level in session.execute(pairs):
            levels.setdefault(pid, {})[code] = level
        for pid, s in by_id.items():
            s["standard"] = standard_text(levels.get(pid, {}))
        return found

    def stored_select(self) -> Any:
        return select(Position.id, Position.code, Position.name, Position.position_class, Unit.code.label("unit_code")).outerjoin(Unit, Unit.id == Position.unit_id)

    def lookups(self, session: Session) -> dict[str, dict[str, int]]:
        return {
            "unit_code": dict(session.execute(select(Unit.code, Unit.id)).all()),
            "competency": dict(session.execute(select(Competency.code, Competency.id)).all()),
        }

    def to_columns(self, values: dict[str, Any], lookups: dict[str, dict[str, int]], ids: dict[str, int]) -> dict[str, Any]:
        out = {k: v for k, v in values.items() if k in ("name", "position_class")}
        if "unit_code" in values:
            out["unit_id"] = lookups["unit_code"].get(values["unit_code"]) if values["unit_code"] else None
        return out

    def plan(self, session: Session, rows: list[Planned], today: date) -> None:
        mark_duplicates(rows, self.header_of("code"))
        stored = self.stored(session)
        lookups = self.lookups(session)
        groups = dict(session.execute(select(Competency.code, Competency.group_name)).all())
        for row in rows:
            v = row.values
            if v.get("unit_code") and v["unit_code"] not in lookups["unit_code"]:
                row.reject(self.header_of("unit_code"), _("Kode unit %(c)s tidak dikenal. Impor unitnya dulu.") % {"c": v["unit_code"]})
            levels: dict[str, int | None] = v.pop("levels", {})
            if not row.ok:
                continue
            merged = standard_levels(stored[row.key]["standard"]) if row.key in stored else {}
            for code, level in levels.items():
                if level is None:
                    level = standards.default_level(v["position_class"], groups.get(code))
                if level is None:
                    merged.pop(code, None)
                else:
                    merged[code] = level
            if row.key not in stored:
                for code, group in groups.items():
                    default = standards.default_level(v["position_class"], group)
                    if default and code not in levels:
                        merged[code] = default
            v["standard"] = standard_text(merged)
        self.decide_all(rows, stored)

    def write_owned(self, session: Session, rows: list[Planned], ids: dict[str, int]) -> None:
        changed = {ids[r.key]: r.values["standard"] for r in rows if r.action == UPDATE and "standard" in (r.before or {})}
        changed.update({ids[r.key]: r.values["standard"] for r in rows if r.action != UPDATE})
        standards.replace(session, _by_id(changed, self.lookups(session)["competency"]))
        summaries.gaps.apply_positions(session.connection(), [ids[r.key] for r in rows if r.action == UPDATE and "standard" in (r.before or {})])

    def undo_owned(self, session: Session, changes: list[Change]) -> None:
        known = self.lookups(session)["competency"]
        restored = {c.row_id: c.before["standard"] for c in changes if c.action == UPDATE and c.before and "standard" in c.before}
        standards.replace(session, _by_id(restored, known))
        summaries.gaps.apply_positions(session.connection(), list(restored))
        created = [c.row_id for c in changes if c.action != UPDATE]
        if created:
            session.execute(delete(PositionStandard).where(PositionStandard.position_id.in_(created)))


def _by_id(texts: dict[int, str], known: dict[str, int]) -> dict[int, dict[int, int]]:
    """Standards as the change log keeps them ("M1=3,T-KES-1=2" per position) by competency id; codes
    no longer in the portal are left out."""
    return {pid: {known[code]: level for code, level in standard_levels(text).items() if code in known} for pid, text in texts.items()}
