"""The employee's own competency assessment (/penilaian), and the assessment pages it shares with
the supervisor's assessment of a report (/tim, portal/web/team.py): the form, autosave, the plain
form's save, confirm and submit, the result.

The routes never take a person id: the subject is always the logged-in user (`get_assessment_for`).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import Body, FromPath
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import clock
from portal.i18n import _
from portal.services import akpk
from portal.services import assessments as svc
from portal.services.accounts import CurrentUser
from portal.settings import Settings
from portal.web.assessment_form import items_html
from portal.web.core import DB, Config, User, flash, is_htmx, provide_user, redirect, render, run_read, take_flash

FormBody = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


# --------------------------------------------------------------------------- who is assessed


def not_found(exc: svc.NotFound) -> NotFoundException:
    """The 404 of a refused scope (its message, or the generic one)."""
    return NotFoundException(exc.message) if exc.message else NotFoundException()


def get_assessment_for(db: Session | Connection, user: CurrentUser, cycle_id: int) -> svc.Scope:
    """The user's own assessment in the cycle; 404 when the cycle does not exist."""
    try:
        return svc.own_scope(db, user.id, cycle_id)
    except svc.NotFound as exc:
        raise not_found(exc) from exc


def form_url(scope: svc.Scope) -> str:
    """Where an assessment's pages live: /penilaian/{cycle} or /tim/{cycle}/{person}."""
    if scope.is_self:
        return f"/penilaian/{scope.cycle.id}"
    return f"/tim/{scope.cycle.id}/{scope.subject.id}"


# --------------------------------------------------------------------------- the pages both areas share


def _missing(items: list[svc.Item]) -> dict[int, str]:
    return {i.competency_id: _("Pilih level untuk %(name)s.") % {"name": i.name} for i in items if i.level is None}


def form_context(
    request: Request,
    db: Session | Connection,
    scope: svc.Scope,
    settings: Settings,
    *,
    errors: dict[int, str] | None = None,
    form_values: dict[str, str] | None = None,
    cycles: list[akpk.Cycle] | None = None,
) -> dict[str, Any]:
    """What the form page shows: reads only (an ORM session or a plain connection, see `show`)."""
    today = clock.today(settings.timezone)
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
    writable = scope.cycle.writable(today) and not form.state.submitted
    items = None
    if writable and form.groups:  # compiled once per standard and language, filled with this person's answers
        items = items_html(request.app.template_engine.environment(), form.groups, form_url(scope), today, errors)
    return {
        "scope": scope,
        "base": form_url(scope),
        "form": form,
        "today": today,
        "writable": writable,
        "items_html": items,
        "closed_message": scope.cycle.closed_message(today),
        "errors": errors,
        "error_list": error_list,
        "other_status": other_state,
        "cycles": cycles or [],
    }


def show_form(
    request: Request,
    db: Session,
    scope: svc.Scope,
    settings: Settings,
    *,
    errors: dict[int, str] | None = None,
    form_values: dict[str, str] | None = None,
    status_code: int = 200,
    cycles: list[akpk.Cycle] | None = None,
) -> Any:
    ctx = form_context(request, db, scope, settings, errors=errors, form_values=form_values, cycles=cycles)
    return render(request, "assessments/form.html", ctx, db=db, status_code=status_code)


def _status_fragment(request: Request, cid: int, message: str, status: int) -> Any:
    ctx = {"cid": cid, "kind": "error", "message": message, "saved_at": None, "show_date": False}
    return render(request, "assessments/_save_status.html", ctx, status_code=status)


def autosave(request: Request, db: Session, scope: svc.Scope, settings: Settings, competency_id: int, data: dict[str, str]) -> Any:
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
            clock.today(settings.timezone),
            note_given=note_given,
        )
    except svc.AssessmentError as exc:
        if not is_htmx(request):
            raise HTTPException(status_code=exc.status, detail=exc.message) from exc
        return _status_fragment(request, competency_id, exc.message, exc.status)
    if not is_htmx(request):
        flash(db, request.scope["user"], _("Jawaban tersimpan."), "success")
        return redirect(request, f"{form_url(scope)}#kompetensi-{competency_id}")
    ctx = {
        "cid": competency_id,
        "kind": "saved",
        "message": "",
        "saved_at": saved.saved_at,
        "show_date": False,
        "progress": saved.progress,
    }
    return render(request, "assessments/_saved.html", ctx)


def save_all(request: Request, db: Session, scope: svc.Scope, settings: Settings, data: dict[str, str]) -> Any:
    """The plain form (works without JavaScript): save every answer, then stay or go to review."""
    try:
        n, errors = svc.save_many(db, scope.cycle, scope.subject, scope.role, scope.rater_id, data, clock.today(settings.timezone))
    except svc.AssessmentError as exc:
        raise HTTPException(status_code=exc.status, detail=exc.message) from exc
    if errors:
        return show_form(request, db, scope, settings, errors=errors, form_values=data, status_code=422)
    if data.get("action") == "periksa":
        form = svc.load_form(db, scope.cycle, scope.subject, scope.role)
        if not form.progress.complete:
            return show_form(request, db, scope, settings, errors=_missing(form.items), status_code=422)
        return redirect(request, f"{form_url(scope)}/kirim")
    flash(db, request.scope["user"], _("Jawaban tersimpan.") if n else _("Belum ada level yang dipilih."), "success" if n else "info")
    return redirect(request, form_url(scope))


def show_confirm(request: Request, db: Session, scope: svc.Scope, settings: Settings) -> Any:
    today = clock.today(settings.timezone)
    form = svc.load_form(db, scope.cycle, scope.subject, scope.role)
    if form.state.submitted:
        return redirect(request, f"{form_url(scope)}/hasil")
    if not scope.cycle.writable(today):
        flash(db, request.scope["user"], scope.cycle.closed_message(today), "warning")
        return redirect(request, form_url(scope))
    if not form.progress.complete:  # a GET: show what is missing (200), the POST refuses with 422
        return show_form(request, db, scope, settings, errors=_missing(form.items))
    ctx = {"scope": scope, "base": form_url(scope), "form": form, "today": today}
    return render(request, "assessments/confirm.html", ctx, db=db)


def do_submit(request: Request, db: Session, scope: svc.Scope, settings: Settings) -> Any:
    try:
        svc.submit(db, scope.cycle, scope.subject, scope.role, scope.rater_id, clock.today(settings.timezone))
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
    return redirect(request, f"{form_url(scope)}/hasil")


def show_result(request: Request, db: Session, scope: svc.Scope, settings: Settings) -> Any:
    today = clock.today(settings.timezone)
    res = svc.result(db, scope.cycle, scope.subject, scope.role, today, viewer_id=scope.rater_id)
    own = res.self_state if scope.is_self else res.supervisor_state
    if not own.submitted:
        flash(db, request.scope["user"], _("Hasil tampil setelah penilaian dikirim."), "info")
        return redirect(request, form_url(scope))
    return render(request, "assessments/result.html", {"scope": scope, "base": form_url(scope), "res": res, "today": today}, db=db)


# --------------------------------------------------------------------------- /penilaian


class AssessmentController(Controller):
    """The employee's own assessment: the cycle to land on, then /penilaian/{cycle_id} and its steps."""

    path = "/penilaian"

    @get("/", sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config) -> Any:
        cycle = akpk.default_cycle(db, clock.today(settings.timezone))
        cycles = akpk.list_cycles(db)
        if cycle is None:
            return render(request, "assessments/no_cycle.html", {"is_hr": user.is_hr_or_admin}, db=db)
        try:
            scope = svc.self_scope(db, user.id, cycle)
        except svc.NotFound as exc:
            raise not_found(exc) from exc
        return show_form(request, db, scope, settings, cycles=cycles)

    @get("/{cycle_id:int}")
    async def show(self, request: Request, state: State, cycle_id: FromPath[int]) -> Any:
        """Read like the survey page (portal.web.core.run_read: on SQLite the loop's own connection, no ORM
        session, no thread hop), user and settings without dependency injection."""
        user, settings = provide_user(request), state.settings

        def read(conn: Connection) -> dict[str, Any]:
            scope = get_assessment_for(conn, user, cycle_id)
            return form_context(request, conn, scope, settings, cycles=akpk.list_cycles(conn))

        ctx = await run_read(state, read)
        ctx["flash"] = await take_flash(state, user)
        return render(request, "assessments/form.html", ctx)

    @post("/{cycle_id:int}/kompetensi/{competency_id:int}", sync_to_thread=True)
    def save_item(
        self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], competency_id: FromPath[int], data: FormBody
    ) -> Any:
        return autosave(request, db, get_assessment_for(db, user, cycle_id), settings, competency_id, data)

    @post("/{cycle_id:int}/simpan", sync_to_thread=True)
    def save(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], data: FormBody) -> Any:
        return save_all(request, db, get_assessment_for(db, user, cycle_id), settings, data)

    @get("/{cycle_id:int}/kirim", sync_to_thread=True)
    def confirm(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int]) -> Any:
        return show_confirm(request, db, get_assessment_for(db, user, cycle_id), settings)

    @post("/{cycle_id:int}/kirim", sync_to_thread=True)
    def submit(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int]) -> Any:
        return do_submit(request, db, get_assessment_for(db, user, cycle_id), settings)

    @get("/{cycle_id:int}/hasil", sync_to_thread=True)
    def result(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int]) -> Any:
        return show_result(request, db, get_assessment_for(db, user, cycle_id), settings)


CONTROLLERS = [AssessmentController]

__all__ = ["CONTROLLERS"]
