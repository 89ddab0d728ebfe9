"""On-the-job application of a training (L3), /penerapan: the work list, the supervisor's rating and the
alumnus' self-report (autosave, submit with confirmation), one enrollment's result and HR's reopen.

Thin controllers: resolve who may touch what (the service returns None, hence 404, for anyone else's
enrollment), call portal.services.application, render templates/application. The supervisor routes answer
only the employee's CURRENT direct supervisor; the self-report routes only the employee; a result HR, the
employee, the current supervisor and the rater.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from portal import clock, scoring
from portal.i18n import _
from portal.services import application as svc
from portal.services.application import RatingContext
from portal.services.impact import category_label
from portal.services.questionnaires import Structure
from portal.services.surveys import AnswerValue, count_answered, validate_complete
from portal.web.core import (
    DB,
    Config,
    FormData,
    User,
    first_value,
    flash,
    hr_required,
    redirect,
    render,
    render_page_or_fragment,
    supervisor_required,
)


def result_url(enrollment_id: int) -> str:
    """One enrollment's result page (the templates link it through templates/application/_macros.html)."""
    return f"/penerapan/hasil/{enrollment_id}"


def _today(settings: Any) -> date:
    return clock.today(settings.timezone)


def _error_list(structure: Structure, errors: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {"href": f"#q-{q.id}", "text": _("Pertanyaan {n}: {msg}").format(n=q.number, msg=errors[q.id])}
        for q in structure.questions
        if q.id in errors
    ]


def _resolve(db: Any, user: Any, settings: Any, role: str, enrollment_id: int) -> RatingContext:
    if role == "supervisor":
        ctx = svc.for_supervisor(db, enrollment_id, user.id, settings.application_window_days)
    else:
        ctx = svc.for_self(db, enrollment_id, user.id, settings.application_window_days)
    if ctx is None:
        raise NotFoundException()
    return ctx


def _labels() -> dict[str, Any]:
    return {"scale_labels": svc.SCALE_LABELS, "state_labels": svc.STATE_LABELS}


def _form_context(
    ctx: RatingContext,
    structure: Structure,
    answers: dict[int, AnswerValue],
    today: date,
    errors: dict[int, str] | None = None,
) -> dict[str, Any]:
    errors = errors or {}
    return {
        "ctx": ctx,
        "structure": structure,
        "answers": answers,
        "errors": errors,
        "error_list": _error_list(structure, errors),
        "progress": {"answered": count_answered(structure, answers), "total": structure.count},
        "state": ctx.state(today),
        "today": today,
        **_labels(),
    }


def _form(request: Request, ctx: RatingContext, structure: Structure, answers: dict[int, AnswerValue], today: date,
          errors: dict[int, str] | None = None, status_code: int = 200, db: Any = None) -> Any:
    """The form page; a refused submit (422) answers htmx with the form fragment alone."""
    context = _form_context(ctx, structure, answers, today, errors)
    if status_code == 200:
        return render(request, "application/form.html", context, db=db)
    return render_page_or_fragment(request, "application/form.html", "application/_form.html", context, db=db, status_code=status_code)


def _status(request: Request, ctx: RatingContext, today: date, status_code: int = 200, db: Any = None, message: str | None = None) -> Any:
    """Why the rating cannot be filled now: a page, or its fragment for htmx."""
    context = {"ctx": ctx, "state": ctx.state(today), "today": today, "message": message, **_labels()}
    return render_page_or_fragment(request, "application/status.html", "application/_status.html", context, db=db, status_code=status_code)


def _closed_message(ctx: RatingContext, today: date) -> str:
    state = ctx.state(today)
    if state == "submitted":
        return _("Penilaian ini sudah dikirim dan terkunci; jawaban tidak dapat diubah lagi.")
    if state in ("soon", "not_yet"):
        return _("Penilaian ini belum dibuka.")
    return _("Penilaian ini sudah ditutup.")


def _show(request: Request, db: Any, user: Any, settings: Any, role: str, enrollment_id: int) -> Any:
    today = _today(settings)
    ctx = _resolve(db, user, settings, role, enrollment_id)
    if ctx.submitted:
        return redirect(request, result_url(ctx.enrollment_id))
    if not ctx.writable(today):
        return _status(request, ctx, today, db=db)
    structure = svc.structure_for(db, ctx)
    return _form(request, ctx, structure, svc.load_answers(db, ctx.rating_id), today, db=db)


def _autosave(request: Request, db: Any, user: Any, settings: Any, role: str, enrollment_id: int, question_id: int, data: dict) -> Any:
    today = _today(settings)
    ctx = _resolve(db, user, settings, role, enrollment_id)
    structure = svc.structure_for(db, ctx)
    q = structure.by_id.get(question_id)
    if q is None:
        raise NotFoundException()
    context = {"q": q, "error": None, "saved_at": None, "progress": None}
    if not ctx.writable(today):
        return render(request, "surveys/_autosave.html", context | {"error": _closed_message(ctx, today)}, status_code=409)
    result = svc.save_answer(db, ctx, structure, q, data, user.id)
    if result.locked:
        return render(request, "surveys/_autosave.html", context | {"error": result.error}, status_code=409)
    if not result.ok:
        return render(request, "surveys/_autosave.html", context | {"error": result.error}, status_code=422)
    return render(
        request,
        "surveys/_autosave.html",
        context | {"saved_at": result.saved_at, "progress": {"answered": result.answered, "total": result.total}},
    )


def _submitted_message(role: str, ctx: RatingContext, score: scoring.ImpactResult | None) -> str:
    if role == "supervisor" and score is not None and score.index is not None:
        return _("Penilaian terkirim. Indeks dampak {name}: {index} ({category}).").format(
            name=ctx.employee_name, index=f"{score.index:.1f}".replace(".", ","), category=category_label(score.category)
        )
    if role == "supervisor":
        return _("Penilaian terkirim.")
    return _("Laporan penerapan Anda terkirim. Terima kasih.")


def _submit(request: Request, db: Any, user: Any, settings: Any, role: str, enrollment_id: int, data: dict) -> Any:
    today = _today(settings)
    ctx = _resolve(db, user, settings, role, enrollment_id)
    if ctx.submitted or not ctx.writable(today):
        return _status(request, ctx, today, status_code=409, message=_closed_message(ctx, today))
    structure = svc.structure_for(db, ctx)
    save_errors, locked = svc.save_many(db, ctx, structure, data, user.id)
    if locked:
        ctx = _resolve(db, user, settings, role, enrollment_id)
        return _status(request, ctx, today, status_code=409, message=_closed_message(ctx, today))
    ctx = _resolve(db, user, settings, role, enrollment_id)  # the draft may have been created just now
    answers = svc.load_answers(db, ctx.rating_id)
    errors = save_errors | {k: v for k, v in validate_complete(structure, answers).items() if k not in save_errors}
    if errors:
        return _form(request, ctx, structure, answers, today, errors, status_code=422)
    if first_value(data.get("konfirmasi")) != "ya":
        return render(request, "application/confirm.html", _form_context(ctx, structure, answers, today))
    result = svc.submit(db, ctx, structure, user.id, today=today)
    if result.status == "invalid":
        return _form(request, ctx, structure, svc.load_answers(db, ctx.rating_id), today, result.errors, status_code=422)
    if result.status != "submitted":
        ctx = _resolve(db, user, settings, role, enrollment_id)
        return _status(request, ctx, today, status_code=409, message=_closed_message(ctx, today))
    flash(db, user, _submitted_message(role, ctx, result.score))
    return redirect(request, result_url(ctx.enrollment_id))


def _result_page(request: Request, db: Any, user: Any, settings: Any, enrollment_id: int, *, reopen_errors: dict | None = None,
                 reopen_form: dict | None = None, status_code: int = 200) -> Any:
    view = svc.result_view(db, enrollment_id, user.id, user.is_hr_or_admin, settings.application_window_days)
    if view is None:
        raise NotFoundException()
    return render(
        request,
        "application/result.html",
        {
            "view": view,
            "today": _today(settings),
            "viewer_is_employee": view.ctx.employee_id == user.id,
            "reopen_errors": reopen_errors or {},
            "reopen_form": reopen_form or {},
            "weights_full": scoring.effective_weights(True, True),
            **_labels(),
        },
        db=db if status_code == 200 else None,
        status_code=status_code,
    )


class ApplicationIndexController(Controller):
    path = "/penerapan"

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config) -> Any:
        today = _today(settings)
        window = settings.application_window_days
        team = svc.supervisor_groups(db, user.id, today, window) if user.is_supervisor else None
        own = svc.employee_groups(db, user.id, today, window)
        return render(
            request,
            "application/index.html",
            {
                "team": team,
                "due_ratings": (team.due + team.soon) if team else [],
                "own": own,
                "results": svc.own_results(db, user.id),
                "today": today,
            },
            db=db,
        )


class SupervisorRatingController(Controller):
    path = "/penerapan/atasan/{enrollment_id:int}"
    guards = [supervisor_required]

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, enrollment_id: FromPath[int]) -> Any:
        return _show(request, db, user, settings, "supervisor", enrollment_id)

    @post("/jawaban/{question_id:int}", sync_to_thread=True)
    def autosave(self, request: Request, db: DB, user: User, settings: Config, enrollment_id: FromPath[int], question_id: FromPath[int], data: FormData) -> Any:
        return _autosave(request, db, user, settings, "supervisor", enrollment_id, question_id, data)

    @post("/kirim", sync_to_thread=True)
    def submit(self, request: Request, db: DB, user: User, settings: Config, enrollment_id: FromPath[int], data: FormData) -> Any:
        return _submit(request, db, user, settings, "supervisor", enrollment_id, data)


class SelfReportController(Controller):
    path = "/penerapan/diri/{enrollment_id:int}"

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, enrollment_id: FromPath[int]) -> Any:
        return _show(request, db, user, settings, "self", enrollment_id)

    @post("/jawaban/{question_id:int}", sync_to_thread=True)
    def autosave(self, request: Request, db: DB, user: User, settings: Config, enrollment_id: FromPath[int], question_id: FromPath[int], data: FormData) -> Any:
        return _autosave(request, db, user, settings, "self", enrollment_id, question_id, data)

    @post("/kirim", sync_to_thread=True)
    def submit(self, request: Request, db: DB, user: User, settings: Config, enrollment_id: FromPath[int], data: FormData) -> Any:
        return _submit(request, db, user, settings, "self", enrollment_id, data)


class ResultController(Controller):
    path = "/penerapan/hasil/{enrollment_id:int}"

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, enrollment_id: FromPath[int]) -> Any:
        return _result_page(request, db, user, settings, enrollment_id)


class ReopenController(Controller):
    path = "/penerapan/{rating_id:int}/buka-kembali"
    guards = [hr_required]

    @post(sync_to_thread=True)
    def reopen(self, request: Request, db: DB, user: User, settings: Config, rating_id: FromPath[int], data: FormData) -> Any:
        reason = first_value(data.get("alasan"))
        result = svc.reopen(db, rating_id, user.id, reason)
        if result.status == 404 or result.enrollment_id is None:
            raise NotFoundException()
        if not result.ok:
            return _result_page(
                request, db, user, settings, result.enrollment_id,
                reopen_errors={rating_id: result.error}, reopen_form={rating_id: reason}, status_code=result.status,
            )
        flash(db, user, _("Penilaian dibuka kembali dan dicatat di log audit. Penilai dapat mengubah lalu mengirim ulang."))
        return redirect(request, result_url(result.enrollment_id))


CONTROLLERS = [
    ApplicationIndexController,
    SupervisorRatingController,
    SelfReportController,
    ResultController,
    ReopenController,
]
