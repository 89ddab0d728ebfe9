"""AKPK pages: the employee's self-assessment (/penilaian), the supervisor's team and assessments
(/tim), and HR's cycles and gap heat map (/akpk).

Thin controllers: parse, resolve who is assessed (object-level checks), call the services, render.
The employee routes never take a person id: the subject is always the logged-in user. The team
routes take the report's id and answer 404 unless that person is a current direct report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import Body, FromPath, FromQuery
from sqlmodel import Session

from portal import clock
from portal.i18n import _
from portal.services import assessments as svc
from portal.services import application as application_svc
from portal.services import gaps as gaps_svc
from portal.services.accounts import CurrentUser, audit
from portal.settings import Settings
from portal.web.core import DB, Config, User, flash, hr_required, is_htmx, positive_int, query_id, redirect, render, supervisor_required

FormBody = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

POSITION_CLASS_LABELS = {
    "jpt_madya": "JPT Madya",
    "jpt_pratama": "JPT Pratama",
    "administrator": "Administrator",
    "pengawas": "Pengawas",
    "pelaksana": "Pelaksana",
    "fungsional_ahli_utama": "Fungsional Ahli Utama",
    "fungsional_ahli_madya": "Fungsional Ahli Madya",
    "fungsional_ahli_muda": "Fungsional Ahli Muda",
    "fungsional_ahli_pertama": "Fungsional Ahli Pertama",
    "fungsional_penyelia": "Fungsional Penyelia",
    "fungsional_mahir": "Fungsional Mahir",
    "fungsional_terampil": "Fungsional Terampil",
}


def partial_request(request: Request) -> bool:
    """An htmx request that wants a fragment (not a history restore, which needs the full page)."""
    return is_htmx(request) and request.headers.get("hx-request-type", "partial") != "full"


VARY = {"vary": "HX-Request, HX-Request-Type"}


# --------------------------------------------------------------------------- who is assessed


@dataclass(frozen=True)
class Scope:
    cycle: svc.Cycle
    subject: svc.Subject
    role: str  # "self" | "supervisor"
    rater_id: int

    @property
    def base(self) -> str:
        if self.role == "self":
            return f"/penilaian/{self.cycle.id}"
        return f"/tim/{self.cycle.id}/{self.subject.id}"

    @property
    def is_self(self) -> bool:
        return self.role == "self"


def _cycle_or_404(db: Session, cycle_id: int) -> svc.Cycle:
    cycle = svc.get_cycle(db, cycle_id)
    if cycle is None:
        raise NotFoundException(_("Siklus penilaian tidak ditemukan."))
    return cycle


def self_scope(db: Session, user: CurrentUser, cycle_id: int) -> Scope:
    cycle = _cycle_or_404(db, cycle_id)
    subject = svc.get_subject(db, user.id)
    if subject is None:
        raise NotFoundException()
    return Scope(cycle, subject, "self", user.id)


def team_scope(db: Session, user: CurrentUser, cycle_id: int, subject_id: int) -> Scope:
    """404 unless the subject is a current, active direct report of the user (and the cycle exists)."""
    subject = svc.get_direct_report(db, user.id, subject_id)
    if subject is None:
        raise NotFoundException(_("Pegawai ini tidak ada dalam daftar bawahan langsung Anda."))
    cycle = _cycle_or_404(db, cycle_id)
    return Scope(cycle, subject, "supervisor", user.id)


# --------------------------------------------------------------------------- shared handlers


def _today(settings: Settings):  # noqa: ANN202
    return clock.today(settings.timezone)


def show_form(
    request: Request,
    db: Session,
    scope: Scope,
    settings: Settings,
    *,
    errors: dict[int, str] | None = None,
    form_values: dict[str, str] | None = None,
    status_code: int = 200,
    cycles: list[svc.Cycle] | None = None,
) -> Any:
    today = _today(settings)
    form = svc.load_form(db, scope.cycle, scope.subject, scope.role)
    errors = errors or {}
    if form_values:  # re-show what was typed in the plain form after an error
        for item in form.items:
            raw = form_values.get(f"level-{item.competency_id}")
            if raw and raw.isdigit():
                item.level = int(raw)
            if f"note-{item.competency_id}" in form_values:
                item.note = form_values[f"note-{item.competency_id}"]
    other_state = None
    if not scope.is_self:  # only the status of the report's self-assessment, never its levels
        other_state = svc.assessment_state(db, scope.cycle.id, scope.subject.id, "self").status
    names = {i.competency_id: i.name for i in form.items}
    error_list = [(cid, names.get(cid, "?"), msg) for cid, msg in errors.items()]
    ctx = {
        "scope": scope,
        "form": form,
        "today": today,
        "writable": scope.cycle.writable(today) and not form.state.submitted,
        "closed_message": scope.cycle.closed_message(today),
        "errors": errors,
        "error_list": error_list,
        "other_status": other_state,
        "cycles": cycles or [],
    }
    return render(request, "assessments/form.html", ctx, db=db, status_code=status_code)


def _status_fragment(request: Request, cid: int, message: str, status: int) -> Any:
    ctx = {"cid": cid, "kind": "error", "message": message, "saved_at": None, "show_date": False}
    return render(request, "assessments/_save_status.html", ctx, status_code=status)


def autosave(request: Request, db: Session, scope: Scope, settings: Settings, competency_id: int, data: dict[str, str]) -> Any:
    level_raw = data.get(f"level-{competency_id}", data.get("level"))
    note_key = f"note-{competency_id}" if f"note-{competency_id}" in data else "note"
    note_given = note_key in data
    try:
        saved = svc.autosave(
            db,
            scope.cycle,
            scope.subject,
            scope.role,
            scope.rater_id,
            competency_id,
            level_raw,
            data.get(note_key),
            _today(settings),
            note_given=note_given,
        )
    except svc.AssessmentError as exc:
        if not is_htmx(request):
            raise HTTPException(status_code=exc.status, detail=exc.message) from exc
        return _status_fragment(request, competency_id, exc.message, exc.status)
    if not is_htmx(request):
        flash(db, request.scope["user"], _("Jawaban tersimpan."), "success")
        return redirect(request, f"{scope.base}#kompetensi-{competency_id}")
    ctx = {
        "cid": competency_id,
        "kind": "saved",
        "message": "",
        "saved_at": saved.saved_at,
        "show_date": False,
        "progress": saved.progress,
    }
    return render(request, "assessments/_saved.html", ctx)


def save_all(request: Request, db: Session, scope: Scope, settings: Settings, data: dict[str, str]) -> Any:
    """The plain form (works without JavaScript): save every answer, then stay or go to review."""
    try:
        n, errors = svc.save_many(db, scope.cycle, scope.subject, scope.role, scope.rater_id, data, _today(settings))
    except svc.AssessmentError as exc:
        raise HTTPException(status_code=exc.status, detail=exc.message) from exc
    if errors:
        return show_form(request, db, scope, settings, errors=errors, form_values=data, status_code=422)
    if data.get("action") == "periksa":
        form = svc.load_form(db, scope.cycle, scope.subject, scope.role)
        if not form.progress.complete:
            missing = {i.competency_id: _("Pilih level untuk %(name)s.") % {"name": i.name} for i in form.items if i.level is None}
            return show_form(request, db, scope, settings, errors=missing, status_code=422)
        return redirect(request, f"{scope.base}/kirim")
    flash(db, request.scope["user"], _("Jawaban tersimpan.") if n else _("Belum ada level yang dipilih."), "success" if n else "info")
    return redirect(request, scope.base)


def show_confirm(request: Request, db: Session, scope: Scope, settings: Settings) -> Any:
    today = _today(settings)
    form = svc.load_form(db, scope.cycle, scope.subject, scope.role)
    if form.state.submitted:
        return redirect(request, f"{scope.base}/hasil")
    if not scope.cycle.writable(today):
        flash(db, request.scope["user"], scope.cycle.closed_message(today), "warning")
        return redirect(request, scope.base)
    if not form.progress.complete:  # a GET: show what is missing (200), the POST refuses with 422
        missing = {i.competency_id: _("Pilih level untuk %(name)s.") % {"name": i.name} for i in form.items if i.level is None}
        return show_form(request, db, scope, settings, errors=missing)
    return render(request, "assessments/confirm.html", {"scope": scope, "form": form, "today": today}, db=db)


def do_submit(request: Request, db: Session, scope: Scope, settings: Settings) -> Any:
    try:
        svc.submit(db, scope.cycle, scope.subject, scope.role, scope.rater_id, _today(settings))
    except svc.Incomplete as exc:
        form = svc.load_form(db, scope.cycle, scope.subject, scope.role)
        names = {i.competency_id: i.name for i in form.items}
        missing = {cid: _("Pilih level untuk %(name)s.") % {"name": names.get(cid, "?")} for cid in exc.missing}
        return show_form(request, db, scope, settings, errors=missing, status_code=422)
    except svc.AssessmentError as exc:
        raise HTTPException(status_code=exc.status, detail=exc.message) from exc
    message = (
        _("Penilaian diri Anda sudah terkirim. Terima kasih!")
        if scope.is_self
        else _("Penilaian Anda untuk %(name)s sudah terkirim.") % {"name": scope.subject.name}
    )
    flash(db, request.scope["user"], message, "success")
    return redirect(request, f"{scope.base}/hasil")


def show_result(request: Request, db: Session, scope: Scope, settings: Settings) -> Any:
    today = _today(settings)
    res = svc.result(db, scope.cycle, scope.subject, scope.role, today)
    own = res.self_state if scope.is_self else res.supervisor_state
    if not own.submitted:
        flash(db, request.scope["user"], _("Hasil tampil setelah penilaian dikirim."), "info")
        return redirect(request, scope.base)
    return render(request, "assessments/result.html", {"scope": scope, "res": res, "today": today}, db=db)


# --------------------------------------------------------------------------- employee: /penilaian


class SelfIndexController(Controller):
    path = "/penilaian"

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config) -> Any:
        today = _today(settings)
        cycle = svc.default_cycle(db, today)
        cycles = svc.list_cycles(db)
        if cycle is None:
            return render(request, "assessments/no_cycle.html", {"is_hr": user.is_hr_or_admin}, db=db)
        subject = svc.get_subject(db, user.id)
        if subject is None:
            raise NotFoundException()
        return show_form(request, db, Scope(cycle, subject, "self", user.id), settings, cycles=cycles)


class SelfFormController(Controller):
    path = "/penilaian/{cycle_id:int}"

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int]) -> Any:
        return show_form(request, db, self_scope(db, user, cycle_id), settings, cycles=svc.list_cycles(db))


class SelfItemController(Controller):
    path = "/penilaian/{cycle_id:int}/kompetensi/{competency_id:int}"

    @post(sync_to_thread=True)
    def save(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], competency_id: FromPath[int], data: FormBody) -> Any:
        return autosave(request, db, self_scope(db, user, cycle_id), settings, competency_id, data)


class SelfSaveController(Controller):
    path = "/penilaian/{cycle_id:int}/simpan"

    @post(sync_to_thread=True)
    def save(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], data: FormBody) -> Any:
        return save_all(request, db, self_scope(db, user, cycle_id), settings, data)


class SelfSubmitController(Controller):
    path = "/penilaian/{cycle_id:int}/kirim"

    @get(sync_to_thread=True)
    def confirm(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int]) -> Any:
        return show_confirm(request, db, self_scope(db, user, cycle_id), settings)

    @post(sync_to_thread=True)
    def submit(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int]) -> Any:
        return do_submit(request, db, self_scope(db, user, cycle_id), settings)


class SelfResultController(Controller):
    path = "/penilaian/{cycle_id:int}/hasil"

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int]) -> Any:
        return show_result(request, db, self_scope(db, user, cycle_id), settings)


# --------------------------------------------------------------------------- supervisor: /tim


class TeamController(Controller):
    path = "/tim"
    guards = [supervisor_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config, siklus: FromQuery[str | None] = None) -> Any:
        today = _today(settings)
        cycles = svc.list_cycles(db)
        cycle = None
        if (cycle_id := query_id(siklus)) is not None:
            cycle = next((c for c in cycles if c.id == cycle_id), None) or svc.get_cycle(db, cycle_id)
        cycle = cycle or svc.default_cycle(db, today)
        rows = svc.team(db, user.id, cycle.id if cycle else None)
        due = application_svc.due_ratings(db, user.id, today, settings.application_window_days)
        ctx = {"cycle": cycle, "cycles": cycles, "rows": rows, "today": today, "due_ratings": due}
        return render(request, "assessments/team.html", ctx, db=db)


class TeamFormController(Controller):
    path = "/tim/{cycle_id:int}/{subject_id:int}"
    guards = [supervisor_required]

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int]) -> Any:
        return show_form(request, db, team_scope(db, user, cycle_id, subject_id), settings)


class TeamItemController(Controller):
    path = "/tim/{cycle_id:int}/{subject_id:int}/kompetensi/{competency_id:int}"
    guards = [supervisor_required]

    @post(sync_to_thread=True)
    def save(
        self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int], competency_id: FromPath[int], data: FormBody
    ) -> Any:
        return autosave(request, db, team_scope(db, user, cycle_id, subject_id), settings, competency_id, data)


class TeamSaveController(Controller):
    path = "/tim/{cycle_id:int}/{subject_id:int}/simpan"
    guards = [supervisor_required]

    @post(sync_to_thread=True)
    def save(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int], data: FormBody) -> Any:
        return save_all(request, db, team_scope(db, user, cycle_id, subject_id), settings, data)


class TeamSubmitController(Controller):
    path = "/tim/{cycle_id:int}/{subject_id:int}/kirim"
    guards = [supervisor_required]

    @get(sync_to_thread=True)
    def confirm(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int]) -> Any:
        return show_confirm(request, db, team_scope(db, user, cycle_id, subject_id), settings)

    @post(sync_to_thread=True)
    def submit(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int]) -> Any:
        return do_submit(request, db, team_scope(db, user, cycle_id, subject_id), settings)


class TeamResultController(Controller):
    path = "/tim/{cycle_id:int}/{subject_id:int}/hasil"
    guards = [supervisor_required]

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int]) -> Any:
        return show_result(request, db, team_scope(db, user, cycle_id, subject_id), settings)


# --------------------------------------------------------------------------- HR: /akpk


def _cycle_form_defaults(today) -> dict[str, str]:  # noqa: ANN001
    return {"name": f"AKPK {today.year}", "year": str(today.year), "opens_on": today.isoformat(), "closes_on": ""}


def _cycles_page(request: Request, db: Session, settings: Settings, values: dict[str, str], errors: dict[str, str], status: int = 200) -> Any:
    rows, employees = svc.cycles_overview(db)
    ctx = {"rows": rows, "employees": employees, "values": values, "errors": errors, "today": _today(settings)}
    return render(request, "assessments/cycles.html", ctx, db=db, status_code=status)


class AkpkIndexController(Controller):
    path = "/akpk"
    guards = [hr_required]

    @get(sync_to_thread=False)
    def index(self, request: Request) -> Any:
        return redirect(request, "/akpk/siklus")


class CyclesController(Controller):
    path = "/akpk/siklus"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config) -> Any:
        return _cycles_page(request, db, settings, _cycle_form_defaults(_today(settings)), {})

    @post(sync_to_thread=True)
    def create(self, request: Request, db: DB, user: User, settings: Config, data: FormBody) -> Any:
        values, errors = svc.validate_cycle(db, data)
        typed = {k: (data.get(k) or "").strip() for k in ("name", "year", "opens_on", "closes_on")}
        if not errors:
            try:
                cycle = svc.create_cycle(db, values)
            except svc.AssessmentError as exc:
                errors[exc.field or "name"] = exc.message
            else:
                audit(db, user.id, "akpk_cycle_create", f"cycle:{cycle.id}", cycle.name)
                db.commit()
                flash(db, user, _("Siklus %(name)s dibuka.") % {"name": cycle.name}, "success")
                return redirect(request, "/akpk/siklus")
        return _cycles_page(request, db, settings, typed, errors, 422)


class CycleController(Controller):
    path = "/akpk/siklus/{cycle_id:int}"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, settings: Config, cycle_id: FromPath[int]) -> Any:
        cycle = _cycle_or_404(db, cycle_id)
        values = {"name": cycle.name, "year": str(cycle.year), "opens_on": cycle.opens_on.isoformat(), "closes_on": cycle.closes_on.isoformat()}
        return render(request, "assessments/cycle.html", {"cycle": cycle, "values": values, "errors": {}, "today": _today(settings)}, db=db)

    @post(sync_to_thread=True)
    def update(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], data: FormBody) -> Any:
        cycle = _cycle_or_404(db, cycle_id)
        values, errors = svc.validate_cycle(db, data, cycle.id)
        if not errors:
            try:
                svc.update_cycle(db, cycle, values)
            except svc.AssessmentError as exc:
                errors[exc.field or "name"] = exc.message
            else:
                audit(db, user.id, "akpk_cycle_update", f"cycle:{cycle.id}", values["name"])
                db.commit()
                flash(db, user, _("Perubahan siklus disimpan."), "success")
                return redirect(request, "/akpk/siklus")
        typed = {k: (data.get(k) or "").strip() for k in ("name", "year", "opens_on", "closes_on")}
        ctx = {"cycle": cycle, "values": typed, "errors": errors, "today": _today(settings)}
        return render(request, "assessments/cycle.html", ctx, db=db, status_code=422)


class CycleStatusController(Controller):
    path = "/akpk/siklus/{cycle_id:int}/status"
    guards = [hr_required]

    @post(sync_to_thread=True)
    def change(self, request: Request, db: DB, user: User, cycle_id: FromPath[int], data: FormBody) -> Any:
        cycle = _cycle_or_404(db, cycle_id)
        status = data.get("status", "")
        try:
            svc.set_cycle_status(db, cycle, status)
        except svc.AssessmentError as exc:
            db.rollback()
            flash(db, user, exc.message, "error")
            return redirect(request, "/akpk/siklus")
        audit(db, user.id, "akpk_cycle_" + ("open" if status == "open" else "close"), f"cycle:{cycle.id}", cycle.name)
        db.commit()
        message = _("Siklus %(name)s ditutup.") if status == "closed" else _("Siklus %(name)s dibuka kembali.")
        flash(db, user, message % {"name": cycle.name}, "success")
        return redirect(request, "/akpk/siklus")


def _gap_filters(request: Request) -> dict[str, str | None]:
    """The heat map's query values; ids no row can have are dropped (the filter is ignored, or the
    cell is a 404) and the page number capped, so that nothing overflows in the database."""
    q = request.query_params
    raw: dict[str, str | None] = {k: q.get(k) for k in ("kelas", "kelompok")}
    for key in ("siklus", "unit", "baris", "kompetensi"):
        value = query_id(q.get(key))
        raw[key] = str(value) if value is not None else None
    raw["page"] = str(positive_int(q.get("page")))
    return raw


def _heatmap_ctx(db: Session, raw: dict[str, str | None], settings: Settings) -> dict[str, Any]:
    filters, cycles, cycle = gaps_svc.parse_filters(db, raw, _today(settings))
    hm = gaps_svc.heatmap(db, filters, cycles, cycle)
    return {"hm": hm, "filters": filters, "class_labels": POSITION_CLASS_LABELS, "cell": None}


class GapsController(Controller):
    path = "/akpk/kesenjangan"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config) -> Any:
        ctx = _heatmap_ctx(db, _gap_filters(request), settings)
        if partial_request(request):
            return render(request, "assessments/_heatmap.html", ctx, headers=VARY)
        return render(request, "assessments/gaps.html", ctx, db=db, headers=VARY)


class GapCellController(Controller):
    path = "/akpk/kesenjangan/sel"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, settings: Config) -> Any:
        raw = _gap_filters(request)
        filters, cycles, cycle = gaps_svc.parse_filters(db, raw, _today(settings))
        try:
            unit_id = int(raw.get("baris") or "")
            competency_id = int(raw.get("kompetensi") or "")
            page = int(raw.get("page") or "1")
        except ValueError as exc:
            raise NotFoundException() from exc
        if cycle is None:
            raise NotFoundException(_("Siklus penilaian tidak ditemukan."))
        cell = gaps_svc.cell_people(db, cycle, unit_id, competency_id, filters.position_class, page)
        if cell is None:
            raise NotFoundException()
        if partial_request(request):
            ctx = {"cell": cell, "filters": filters, "hm": None, "class_labels": POSITION_CLASS_LABELS}
            return render(request, "assessments/_cell.html", ctx, headers=VARY)
        hm = gaps_svc.heatmap(db, filters, cycles, cycle)
        ctx = {"hm": hm, "filters": filters, "class_labels": POSITION_CLASS_LABELS, "cell": cell}
        return render(request, "assessments/gaps.html", ctx, db=db, headers=VARY)


CONTROLLERS = [
    SelfIndexController,
    SelfFormController,
    SelfItemController,
    SelfSaveController,
    SelfSubmitController,
    SelfResultController,
    TeamController,
    TeamFormController,
    TeamItemController,
    TeamSaveController,
    TeamSubmitController,
    TeamResultController,
    AkpkIndexController,
    CyclesController,
    CycleController,
    CycleStatusController,
    GapsController,
    GapCellController,
]

__all__ = ["CONTROLLERS"]
