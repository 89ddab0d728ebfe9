"""Import of enrolments and attendance (a provider's participant list, an attendance sheet): upsert by
training code and NIP, with the status (Terdaftar, Hadir, Selesai, Tidak hadir) and the JP credited
(by default the training's JP for those who took part, 0 otherwise). Writes go through
portal.services.trainings (the JP summary and the survey invitations are kept in the same transaction);
someone who already submitted the training's survey cannot be marked as not having taken part."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import select
from sqlmodel import Session

from portal.i18n import _
from portal.models import Employee, Enrollment, Training
from portal.rules import PARTICIPANT_STATUSES
from portal.services.imports import cells
from portal.services.imports.plan import CREATE, UPDATE, Change, Kind, Planned, decide, mark_duplicates
from portal.services.imports.reading import Column
from portal.services.imports.references import referenced_elsewhere
from portal.services.trainings import enrollments, roster

STATUS_SPELLINGS = {
    "terdaftar": "registered", "daftar": "registered", "registered": "registered",
    "hadir": "attended", "attended": "attended", "ikut": "attended",
    "selesai": "completed", "lulus": "completed", "completed": "completed", "tamat": "completed",
    "tidak hadir": "absent", "absen": "absent", "absent": "absent", "tidak ikut": "absent", "mangkir": "absent",
}
CHUNK = 500


class EnrollmentImport(Kind):
    slug: ClassVar[str] = "peserta"
    label: ClassVar[str] = "Peserta dan kehadiran"
    description: ClassVar[str] = "Peserta setiap pelatihan dan kehadirannya. JP hanya diakui bagi yang hadir atau selesai."
    key_column: ClassVar[str] = "nip"
    columns: ClassVar[list[Column]] = [
        Column("training_code", "Kode Pelatihan", True, ("kode", "kode kegiatan"), "Kode pelatihan yang sudah ada (impor Pelatihan).", "PLT-2027-001"),
        Column("nip", "NIP", True, ("nip peserta", "nip baru"), "NIP peserta, 18 angka sebagai teks.", "199706112020122026"),
        Column("status", "Status", False, ("kehadiran", "status kehadiran"), "Terdaftar, Hadir, Selesai atau Tidak hadir. Kosong: Terdaftar untuk peserta baru, tidak diubah untuk yang lama.", "Hadir"),
        Column("jp_credited", "JP Diakui", False, ("jp", "jp diakui"), "JP yang diakui. Kosong: JP pelatihan bagi yang hadir atau selesai, 0 bagi yang lain.", ""),
    ]
    examples: ClassVar[list[dict[str, str]]] = [
        {"training_code": "PLT-2027-001", "nip": "199706112020122026", "status": "Hadir", "jp_credited": ""},
    ]

    def parse(self, raw: dict[str, Any], today: date) -> Planned:
        row = Planned(number=0, key="", values={})
        code = self.cell(row, raw, "training_code", lambda v: cells.code(v, 40)) or ""
        nip = self.cell(row, raw, "nip", lambda v: cells.nip(v, today)) or str(raw.get("nip") or "").strip()[:40]
        row.key = f"{code} / {nip}"
        row.values["training_code"], row.values["nip"] = code, nip
        row.values["status"] = self.cell(row, raw, "status", lambda v: cells.choice(v, STATUS_SPELLINGS, required=False)) if "status" in raw else None
        row.values["jp_credited"] = self.cell(row, raw, "jp_credited", lambda v: cells.whole_number(v, maximum=1000)) if "jp_credited" in raw else None
        return row

    def plan(self, session: Session, rows: list[Planned], today: date) -> None:
        mark_duplicates(rows, self.header_of("nip"))
        codes = sorted({r.values["training_code"] for r in rows if r.values["training_code"]})
        trainings = _by_chunks(session, lambda part: select(Training.code, Training.id, Training.jp).where(Training.code.in_(part)), codes)
        training = {t.code: t for t in trainings}
        people = dict(
            (r.nip, r.id) for r in _by_chunks(session, lambda part: select(Employee.nip, Employee.id).where(Employee.nip.in_(part)), sorted({r.values["nip"] for r in rows}))
        )
        stored = _stored(session, [t.id for t in trainings])
        leaving: dict[int, set[int]] = {}
        for row in rows:
            v = row.values
            t = training.get(v["training_code"])
            if v["training_code"] and t is None:
                row.reject(self.header_of("training_code"), _("Kode pelatihan %(c)s tidak dikenal. Impor pelatihannya dulu.") % {"c": v["training_code"]})
            if row.ok and v["nip"] not in people:
                row.reject(self.header_of("nip"), _("NIP %(n)s tidak ada di portal. Impor pegawainya dulu.") % {"n": v["nip"]})
            if not row.ok:
                continue
            v["training_id"], v["employee_id"] = t.id, people[v["nip"]]
            current = stored.get((t.id, v["employee_id"]))
            status = v["status"] or (current["status"] if current else "registered")
            v["status"] = status
            took_part = status in PARTICIPANT_STATUSES
            if v["jp_credited"] is None:
                v["jp_credited"] = int(t.jp or 0) if took_part else 0
            elif v["jp_credited"] and not took_part:
                row.reject(self.header_of("jp_credited"), _("JP hanya diakui bagi peserta yang hadir atau selesai."))
                continue
            if current and current["status"] in PARTICIPANT_STATUSES and not took_part:
                leaving.setdefault(t.id, set()).add(v["employee_id"])
        for training_id, employees in leaving.items():
            submitted = roster.submitted_people(session, training_id, employees)
            for row in rows:
                if row.ok and row.values.get("training_id") == training_id and row.values["employee_id"] in submitted:
                    row.reject(self.header_of("status"), _("Peserta ini sudah mengirim survei pelatihan, jadi tercatat ikut serta; status tidak dapat diubah."))
        for row in rows:
            current = stored.get((row.values.get("training_id"), row.values.get("employee_id"))) if row.ok else None
            decide(row, current, ["status", "jp_credited"])

    def write(self, session: Session, rows: list[Planned], today: date) -> list[Change]:
        new = [r for r in rows if r.action == CREATE]
        enrollments.enrol_many(session, [
            {"training_id": r.values["training_id"], "employee_id": r.values["employee_id"], "status": r.values["status"], "jp_credited": r.values["jp_credited"]}
            for r in new
        ])
        changed = [r for r in rows if r.action == UPDATE]
        enrollments.update_many(session, [{"id": r.row_id, "status": r.values["status"], "jp_credited": r.values["jp_credited"]} for r in changed])
        ids = {(s["training_id"], s["employee_id"]): s["id"] for s in _stored(session, sorted({r.values["training_id"] for r in new})).values()}
        roster.sync_invitations(session, {r.values["training_id"] for r in rows}, today)
        changes = [Change(ids[(r.values["training_id"], r.values["employee_id"])], CREATE) for r in new]
        changes += [Change(int(r.row_id or 0), UPDATE, r.before, {f: r.values[f] for f in (r.before or {})}) for r in changed]
        return changes

    def undo_problem(self, session: Session, changes: list[Change]) -> str | None:
        created = [c.row_id for c in changes if c.action == CREATE]
        where = referenced_elsewhere(session, Enrollment.__table__, created)
        if where:
            return _("Peserta dari impor ini sudah dipakai (%(w)s).") % {"w": where}
        now = {r.id: r for r in _rows_by_id(session, [c.row_id for c in changes])}
        for c in changes:
            r = now.get(c.row_id)
            if r is None:
                return _("Sebagian peserta dari impor ini sudah dihapus.")
            if c.action == UPDATE and any(getattr(r, f) != v for f, v in (c.after or {}).items()):
                return _("Status peserta sudah diubah lagi setelah impor ini.")
            back_to = (c.before or {}).get("status") if c.action == UPDATE else None
            if r.status in PARTICIPANT_STATUSES and back_to not in PARTICIPANT_STATUSES and roster.submitted_people(session, r.training_id, [r.employee_id]):
                return _("Sebagian peserta dari impor ini sudah mengirim survei pelatihan.")
        return None

    def undo(self, session: Session, changes: list[Change], today: date) -> None:
        rows = {r.id: r for r in _rows_by_id(session, [c.row_id for c in changes])}
        enrollments.update_many(session, [
            {"id": c.row_id, "status": c.before.get("status", rows[c.row_id].status), "jp_credited": c.before.get("jp_credited", rows[c.row_id].jp_credited)}
            for c in changes if c.action == UPDATE and c.before and c.row_id in rows
        ])
        enrollments.remove_many(session, [c.row_id for c in changes if c.action == CREATE])
        roster.sync_invitations(session, {r.training_id for r in rows.values()}, today)


def _by_chunks(session: Session, stmt_for: Any, keys: list[Any]) -> list[Any]:
    found: list[Any] = []
    for start in range(0, len(keys), CHUNK):
        found.extend(session.execute(stmt_for(keys[start : start + CHUNK])).all())
    return found


def _stored(session: Session, training_ids: list[int]) -> dict[tuple[int, int], dict[str, Any]]:
    rows = _by_chunks(
        session,
        lambda part: select(Enrollment.id, Enrollment.training_id, Enrollment.employee_id, Enrollment.status, Enrollment.jp_credited).where(Enrollment.training_id.in_(part)),
        training_ids,
    )
    return {(r.training_id, r.employee_id): dict(r._asdict()) for r in rows}


def _rows_by_id(session: Session, ids: list[int]) -> list[Any]:
    return _by_chunks(
        session,
        lambda part: select(Enrollment.id, Enrollment.training_id, Enrollment.employee_id, Enrollment.status, Enrollment.jp_credited).where(Enrollment.id.in_(part)),
        ids,
    )
