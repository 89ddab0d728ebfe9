"""A training's participants (/pelatihan/{tid}/peserta, HR): the roster with one attendance form for the
rows shown, adding people by NIP or name (an htmx search that works as a plain form too) or a whole
unit after a confirmation, removing someone who did not take part after a confirmation.
Listed in portal/web/trainings.py CONTROLLERS."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal import clock
from portal.i18n import _
from portal.rules import PARTICIPANT_STATUSES
from portal.services.trainings import calendar, participants
from portal.services.trainings._types import Roster
from portal.web.core import (
    DB,
    Config,
    FormData,
    User,
    first_value,
    flash,
    hr_required,
    positive_int,
    query_id,
    redirect,
    render,
    render_page_or_fragment,
    wants_fragment,
)

STATUS_FIELD = "status-"


def _statuses(data: dict[str, Any]) -> dict[int, str]:
    """The posted status of each row: fields status-<enrolment id>."""
    wanted: dict[int, str] = {}
    for key, value in data.items():
        if key.startswith(STATUS_FIELD):
            eid = query_id(key[len(STATUS_FIELD) :])
            if eid is not None:
                wanted[eid] = first_value(value)
    return wanted


def _roster_or_404(db: Any, tid: int, page: int = 1) -> Roster:
    found = participants.roster_page(db, tid, page)
    if found is None:
        raise NotFoundException()
    return found


class RosterController(Controller):
    path = "/pelatihan/{tid:int}/peserta"
    guards = [hr_required]

    def _roster(
        self, request: Request, db: Any, roster: Roster, *, typed: dict[int, str] | None = None, errors: dict[int, str] | None = None, status_code: int = 200
    ) -> Any:
        errors = errors or {}
        names = {r.enrollment_id: r.name for r in roster.rows}
        summary = [{"href": f"#st-{eid}", "text": f"{names[eid]}: {msg}" if eid in names else msg} for eid, msg in errors.items()]
        ctx = {
            "r": roster,
            "t": roster.training,
            "typed": typed or {},
            "errors": errors,
            "summary": summary,
            "labels": participants.STATUS_LABELS,
            "took_part_statuses": PARTICIPANT_STATUSES,
        }
        return render(request, "trainings/roster.html", ctx, db=db if status_code == 200 else None, status_code=status_code)

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, tid: FromPath[int], page: FromQuery[str] = "1") -> Any:
        return self._roster(request, db, _roster_or_404(db, tid, positive_int(page)))

    @post(sync_to_thread=True)
    def save(self, request: Request, db: DB, user: User, settings: Config, tid: FromPath[int], data: FormData) -> Any:
        page = positive_int(data.get("page"))
        wanted = _statuses(data)
        try:
            result = participants.save_attendance(db, user.id, tid, wanted, today=clock.today(settings.timezone))
        except LookupError:
            raise NotFoundException() from None
        if not result.ok:
            return self._roster(request, db, _roster_or_404(db, tid, page), typed=wanted, errors=result.errors, status_code=422)
        if result.changed:
            message = _("Kehadiran disimpan: %(n)s peserta berubah.") % {"n": result.changed}
            if result.invited:
                message += " " + _("%(n)s undangan survei baru.") % {"n": result.invited}
            if result.withdrawn:
                message += " " + _("%(n)s undangan survei yang belum diisi ditarik.") % {"n": result.withdrawn}
        else:
            message = _("Tidak ada perubahan kehadiran.")
        flash(db, user, message, "success" if result.changed else "info")
        return redirect(request, f"/pelatihan/{tid}/peserta" + (f"?page={page}" if page > 1 else ""))

    # ------------------------------------------------------------------ adding people

    def _add_page(
        self, request: Request, db: Any, tid: int, q: str, *, message: str = "", errors: dict[str, str] | None = None, status_code: int = 200
    ) -> Any:
        t = participants.facts(db, tid)
        if t is None:
            raise NotFoundException()
        found, more = participants.search(db, tid, q)
        enrolled = calendar.participant_counts(db, [tid]).get(tid, {}).get("enrolled", 0)
        ctx = {
            "t": t,
            "q": q,
            "found": found,
            "more": more,
            "searched": len(" ".join(q.split())) >= participants.MIN_SEARCH,
            "enrolled": enrolled,
            "message": message,
            "errors": errors or {},
            "units": participants.units(db) if not wants_fragment(request) else [],
            "min_search": participants.MIN_SEARCH,
        }
        return render_page_or_fragment(
            request, "trainings/add.html", "trainings/_candidates.html", ctx, db=db if status_code == 200 else None, status_code=status_code
        )

    @get("/tambah", sync_to_thread=True)
    def add_page(self, request: Request, db: DB, tid: FromPath[int], q: FromQuery[str] = "") -> Any:
        return self._add_page(request, db, tid, q.strip()[:100])

    @post("/tambah", sync_to_thread=True)
    def add(self, request: Request, db: DB, user: User, tid: FromPath[int], data: FormData) -> Any:
        q = first_value(data.get("q")).strip()[:100]
        employee_id = query_id(data.get("pegawai"))
        if employee_id is None:
            return self._add_page(request, db, tid, q, errors={"q": _("Pilih pegawai yang akan ditambahkan dari hasil pencarian.")}, status_code=422)
        try:
            names = participants.add_people(db, user.id, tid, [employee_id])
        except LookupError:
            raise NotFoundException() from None
        message = _("%(n)s ditambahkan sebagai peserta.") % {"n": names[0]} if names else _("Pegawai ini sudah terdaftar atau tidak aktif.")
        if wants_fragment(request):
            return self._add_page(request, db, tid, q, message=message)
        flash(db, user, message, "success" if names else "info")
        return redirect(request, f"/pelatihan/{tid}/peserta/tambah" + (f"?{urlencode({'q': q})}" if q else ""))

    @get("/unit", sync_to_thread=True)
    def unit_page(self, request: Request, db: DB, tid: FromPath[int], unit: FromQuery[str] = "") -> Any:
        return self._unit_page(request, db, tid, unit)

    def _unit_page(self, request: Request, db: Any, tid: int, unit: Any) -> Any:
        t = participants.facts(db, tid)
        if t is None:
            raise NotFoundException()
        unit_id = query_id(unit)
        preview = participants.unit_preview(db, tid, unit_id) if unit_id is not None else None
        if preview is None:
            return self._add_page(request, db, tid, "", errors={"unit": _("Pilih unit kerja.")}, status_code=422)
        return render(request, "trainings/unit_confirm.html", {"t": t, "preview": preview}, db=db)

    @post("/unit", sync_to_thread=True)
    def add_unit(self, request: Request, db: DB, user: User, tid: FromPath[int], data: FormData) -> Any:
        if first_value(data.get("konfirmasi")) != "ya":
            return self._unit_page(request, db, tid, data.get("unit"))
        unit_id = query_id(data.get("unit"))
        preview = participants.unit_preview(db, tid, unit_id) if unit_id is not None else None
        if preview is None:
            return self._unit_page(request, db, tid, "")
        try:
            added = participants.add_unit(db, user.id, tid, preview.unit_id)
        except LookupError:
            raise NotFoundException() from None
        flash(db, user, _("%(n)s pegawai %(u)s ditambahkan sebagai peserta.") % {"n": added, "u": preview.unit_name}, "success" if added else "info")
        return redirect(request, f"/pelatihan/{tid}/peserta")

    # ------------------------------------------------------------------ removing someone

    def _removal_page(self, request: Request, db: Any, tid: int, eid: int, *, problem: str | None = None, status_code: int = 200) -> Any:
        t = participants.facts(db, tid)
        found = participants.removal(db, tid, eid) if t is not None else None
        if found is None:
            raise NotFoundException()
        ctx = {"t": t, "row": found.row, "problem": problem or found.problem, "labels": participants.STATUS_LABELS}
        return render(request, "trainings/remove_confirm.html", ctx, db=db if status_code == 200 else None, status_code=status_code)

    @get("/{eid:int}/hapus", sync_to_thread=True)
    def remove_page(self, request: Request, db: DB, tid: FromPath[int], eid: FromPath[int]) -> Any:
        return self._removal_page(request, db, tid, eid)

    @post("/{eid:int}/hapus", sync_to_thread=True)
    def remove(self, request: Request, db: DB, user: User, settings: Config, tid: FromPath[int], eid: FromPath[int], data: FormData) -> Any:
        if first_value(data.get("konfirmasi")) != "ya":
            return self._removal_page(request, db, tid, eid)
        found = participants.removal(db, tid, eid)
        if found is None:
            raise NotFoundException()
        try:
            problem = participants.remove(db, user.id, tid, eid, today=clock.today(settings.timezone))
        except LookupError:
            raise NotFoundException() from None
        if problem:
            return self._removal_page(request, db, tid, eid, problem=problem, status_code=409)
        flash(db, user, _("%(n)s dihapus dari peserta.") % {"n": found.row.name})
        return redirect(request, f"/pelatihan/{tid}/peserta")
