"""Import of trainings (the calendar of development activities, e.g. a provider's schedule): upsert by
code, with method, mode, dates, JP, cost and target competencies (codes). A training whose end moves to
another year takes its participants' JP with it (the JP summary is kept in the same transaction)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from portal.i18n import _
from portal.models import Competency, Training, TrainingCompetency
from portal.rules import TRAINING_KINDS, TRAINING_MODES
from portal.services import summaries
from portal.services.imports import cells
from portal.services.imports.plan import UPDATE, Change, Planned, mark_duplicates
from portal.services.imports.reading import Column
from portal.services.imports.table_kind import TableKind

MAX_JP = 1000
MAX_COST = 10**11  # Rp 100 miliar


def _kind_spellings() -> dict[str, str]:
    spellings: dict[str, str] = {}
    for key, (label, _mode) in TRAINING_KINDS.items():
        spellings[key.replace("_", " ")] = key
        spellings[label.lower()] = key
        spellings[label.lower().split(" (")[0].split(" / ")[0]] = key
    spellings.update({"elearning": "e_learning", "e learning": "e_learning", "bimbingan teknis": "bimtek", "lokakarya": "workshop",
                      "konferensi": "seminar", "praktik kerja": "magang", "secondment": "datasering", "pjj": "jarak_jauh", "patok banding": "benchmarking"})
    return spellings


MODE_SPELLINGS = {"klasikal": "klasikal", "non klasikal": "non_klasikal", "nonklasikal": "non_klasikal"}


def competency_codes(value: object) -> str:
    """"MAN-01; MAN-03, TEK-02" -> "MAN-01,MAN-03,TEK-02" (sorted, no repeats)."""
    raw = cells.text(value, 2000)
    codes = {c.strip().upper() for c in raw.replace(";", ",").replace("\n", ",").split(",") if c.strip()}
    return ",".join(sorted(codes))


class TrainingImport(TableKind):
    slug: ClassVar[str] = "pelatihan"
    label: ClassVar[str] = "Pelatihan"
    description: ClassVar[str] = "Kalender kegiatan pengembangan kompetensi: metode, tanggal, JP, penyelenggara, biaya dan kompetensi sasaran."
    key_column: ClassVar[str] = "code"
    columns: ClassVar[list[Column]] = [
        Column("code", "Kode Pelatihan", True, ("kode", "kode kegiatan"), "Kode unik kegiatan, paling banyak 40 karakter.", "PLT-2027-001"),
        Column("title", "Judul", True, ("nama pelatihan", "nama kegiatan", "judul pelatihan"), "Nama kegiatan.", "Pelatihan Pelayanan Publik Prima"),
        Column("kind", "Metode", True, ("jenis", "bentuk", "jenis kegiatan"), "Salah satu: " + ", ".join(label for label, _m in TRAINING_KINDS.values()) + ".", "Pelatihan"),
        Column("mode", "Jalur", False, ("mode", "klasikal/non klasikal"), "Klasikal atau Non-klasikal. Kosong: menurut metodenya.", "Klasikal"),
        Column("provider", "Penyelenggara", False, ("lembaga", "penyelenggara pelatihan"), "Lembaga penyelenggara.", "BPSDM Provinsi"),
        Column("starts_on", "Tanggal Mulai", True, ("mulai", "tgl mulai"), "Tanggal, misalnya 15/03/2027 atau 15 Maret 2027.", "15/03/2027"),
        Column("ends_on", "Tanggal Selesai", True, ("selesai", "tgl selesai"), "Tanggal, tidak sebelum tanggal mulai.", "18/03/2027"),
        Column("jp", "JP", True, ("jam pelajaran", "jumlah jp"), f"Jam pelajaran yang diakui, 0 sampai {MAX_JP}.", "32"),
        Column("cost", "Biaya (Rp)", False, ("biaya", "anggaran"), "Biaya per peserta dalam rupiah, tanpa desimal.", "2500000"),
        Column("competency_codes", "Kode Kompetensi", False, ("kompetensi sasaran", "kompetensi"), "Kode kompetensi sasaran, dipisah koma.", "M5, T-KES-1"),
        Column("description", "Keterangan", False, ("deskripsi",), "Keterangan singkat.", ""),
    ]
    examples: ClassVar[list[dict[str, str]]] = [
        {"code": "PLT-2027-001", "title": "Pelatihan Pelayanan Publik Prima", "kind": "Pelatihan", "mode": "Klasikal", "provider": "BPSDM Provinsi",
         "starts_on": "15/03/2027", "ends_on": "18/03/2027", "jp": "32", "cost": "2500000", "competency_codes": "M5", "description": ""},
    ]
    table = Training
    key_field = "code"
    fields = ("title", "kind", "mode", "provider", "starts_on", "ends_on", "jp", "cost", "competency_codes", "description")
    owned = ("trainingcompetency",)
    date_fields = ("starts_on", "ends_on")

    def parse(self, raw: dict[str, Any], today: date) -> Planned:
        row = Planned(number=0, key="", values={})
        row.key = self.cell(row, raw, "code", lambda v: cells.code(v, 40)) or ""
        parsers: dict[str, Any] = {
            "title": lambda v: cells.text(v, 250, required=True),
            "kind": lambda v: cells.choice(v, _kind_spellings()),
            "mode": lambda v: cells.choice(v, MODE_SPELLINGS, required=False),
            "provider": lambda v: cells.text(v, 200),
            "starts_on": lambda v: cells.day(v, required=True),
            "ends_on": lambda v: cells.day(v, required=True),
            "jp": lambda v: cells.whole_number(v, maximum=MAX_JP, required=True),
            "cost": lambda v: cells.whole_number(v, maximum=MAX_COST),
            "competency_codes": competency_codes,
            "description": lambda v: cells.text(v, 4000),
        }
        for key, parse in parsers.items():
            if key in raw:
                row.values[key] = self.cell(row, raw, key, parse)
        v = row.values
        if row.ok and v.get("kind") and not v.get("mode"):
            v["mode"] = TRAINING_KINDS[v["kind"]][1]
        if row.ok and v["ends_on"] < v["starts_on"]:
            row.reject(self.header_of("ends_on"), _("Tanggal selesai sebelum tanggal mulai."))
        return row

    def stored(self, session: Session, where: Any = None) -> dict[str, dict[str, Any]]:
        found = super().stored(session, where)
        ids = {s["id"]: s for s in found.values()}
        for s in found.values():
            s["competency_codes"] = ""
        pairs = select(TrainingCompetency.training_id, Competency.code).join(Competency, Competency.id == TrainingCompetency.competency_id)
        if where is not None:
            pairs = pairs.where(TrainingCompetency.training_id.in_(list(ids)))
        codes: dict[int, list[str]] = {}
        for tid, code in session.execute(pairs.order_by(Competency.code)):
            codes.setdefault(tid, []).append(code)
        for tid, listed in codes.items():
            if tid in ids:
                ids[tid]["competency_codes"] = ",".join(sorted(listed))
        return found

    def stored_select(self) -> Any:
        return select(
            Training.id, Training.code, Training.title, Training.kind, Training.mode, Training.provider, Training.starts_on, Training.ends_on,
            Training.jp, Training.cost, Training.description,
        )

    def lookups(self, session: Session) -> dict[str, dict[str, int]]:
        return {"competency": dict(session.execute(select(Competency.code, Competency.id)).all())}

    def to_columns(self, values: dict[str, Any], lookups: dict[str, dict[str, int]], ids: dict[str, int]) -> dict[str, Any]:
        out = {k: v for k, v in values.items() if k != "competency_codes"}
        for text_field in ("provider", "description"):
            if text_field in out and out[text_field] is None:
                out[text_field] = ""
        return out

    def plan(self, session: Session, rows: list[Planned], today: date) -> None:
        mark_duplicates(rows, self.header_of("code"))
        known = self.lookups(session)["competency"]
        for row in rows:
            unknown = [c for c in (row.values.get("competency_codes") or "").split(",") if c and c not in known]
            if unknown:
                row.reject(self.header_of("competency_codes"), _("Kode kompetensi tidak dikenal: %(c)s.") % {"c": ", ".join(unknown)})
        self.decide_all(rows, self.stored(session))

    def write_owned(self, session: Session, rows: list[Planned], ids: dict[str, int]) -> None:
        known = self.lookups(session)["competency"]
        targets = {ids[r.key]: r.values["competency_codes"] for r in rows if "competency_codes" in r.values}
        _set_competencies(session, targets, known)
        moved = [r for r in rows if r.action == UPDATE and "ends_on" in (r.before or {})]
        _move_jp(session, [(ids[r.key], r.before["ends_on"], r.values["ends_on"]) for r in moved])

    def undo_owned(self, session: Session, changes: list[Change]) -> None:
        known = self.lookups(session)["competency"]
        restored = {c.row_id: c.before["competency_codes"] for c in changes if c.action == UPDATE and c.before and "competency_codes" in c.before}
        _set_competencies(session, restored, known)
        created = [c.row_id for c in changes if c.action != UPDATE]
        if created:
            session.execute(delete(TrainingCompetency).where(TrainingCompetency.training_id.in_(created)))
        moved = [c for c in changes if c.action == UPDATE and c.before and "ends_on" in c.before]
        _move_jp(session, [(c.row_id, c.after["ends_on"], c.before["ends_on"]) for c in moved if c.after])


def _set_competencies(session: Session, targets: dict[int, str], known: dict[str, int]) -> None:
    if not targets:
        return
    session.execute(delete(TrainingCompetency).where(TrainingCompetency.training_id.in_(list(targets))))
    pairs = [{"training_id": tid, "competency_id": known[c]} for tid, codes in targets.items() for c in (codes or "").split(",") if c in known]
    if pairs:
        session.execute(insert(TrainingCompetency), pairs)


def _move_jp(session: Session, moves: list[tuple[int, Any, Any]]) -> None:
    """Trainings whose end date changed: their participants' JP of both years is recounted."""
    conn = session.connection()
    for training_id, before, after in moves:
        years = {d.year for d in (before, after) if d}
        people = summaries.jp.participants(conn, training_id)
        summaries.jp.apply(conn, summaries.jp.Enrolled.of(people, years))


__all__ = ["TRAINING_MODES", "TrainingImport"]
