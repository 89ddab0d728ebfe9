"""On-the-job application (L3): the supervisor's ratings and the alumnus' self-report (/penerapan), individual
results and HR reopen, and the per-training impact pages (/dampak).

Thin controllers: resolve who may touch what (the service returns None, hence 404, for anyone else's
enrollment), call portal.services.ratings, render. The supervisor routes answer only the employee's CURRENT
direct supervisor; the self-report routes only the employee; individual results HR, the employee, the
current supervisor and the rater; per-training aggregates HR only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal import clock, scoring
from portal.i18n import _
from portal.services import ratings as svc
from portal.services.questionnaires import Structure
from portal.services.ratings import RatingContext
from portal.services.surveys import AnswerValue, count_answered, validate_complete
from portal.web.core import (
    DB,
    Config,
    FormData,
    User,
    first_value,
    flash,
    hr_required,
    is_htmx,
    positive_int,
    redirect,
    render,
    supervisor_required,
)


def _partial(request: Request) -> bool:
    return is_htmx(request) and request.headers.get("hx-request-type", "partial") != "full"


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
    context = _form_context(ctx, structure, answers, today, errors)
    template = "ratings/_form.html" if _partial(request) and status_code != 200 else "ratings/form.html"
    return render(request, template, context, db=db, status_code=status_code)


def _status(request: Request, ctx: RatingContext, today: date, status_code: int = 200, db: Any = None, message: str | None = None) -> Any:
    template = "ratings/_status.html" if _partial(request) else "ratings/status.html"
    return render(
        request,
        template,
        {"ctx": ctx, "state": ctx.state(today), "today": today, "message": message, **_labels()},
        db=db,
        status_code=status_code,
    )


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
        return redirect(request, f"/penerapan/hasil/{ctx.enrollment_id}")
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
        return render(request, "ratings/confirm.html", _form_context(ctx, structure, answers, today))
    result = svc.submit(db, ctx, structure, user.id, today=today)
    if result.status == "invalid":
        return _form(request, ctx, structure, svc.load_answers(db, ctx.rating_id), today, result.errors, status_code=422)
    if result.status != "submitted":
        ctx = _resolve(db, user, settings, role, enrollment_id)
        return _status(request, ctx, today, status_code=409, message=_closed_message(ctx, today))
    if role == "supervisor" and result.score is not None and result.score.index is not None:
        message = _("Penilaian terkirim. Indeks dampak {name}: {index} ({category}).").format(
            name=ctx.employee_name, index=f"{result.score.index:.1f}".replace(".", ","), category=svc.category_label(result.score.category)
        )
    elif role == "supervisor":
        message = _("Penilaian terkirim.")
    else:
        message = _("Laporan penerapan Anda terkirim. Terima kasih.")
    flash(db, user, message)
    return redirect(request, f"/penerapan/hasil/{ctx.enrollment_id}")


# --------------------------------------------------------------------------- /penerapan


class RatingsIndexController(Controller):
    path = "/penerapan"

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config) -> Any:
        today = _today(settings)
        window = settings.application_window_days
        team = svc.supervisor_groups(db, user.id, today, window) if user.is_supervisor else None
        own = svc.employee_groups(db, user.id, today, window)
        return render(
            request,
            "ratings/index.html",
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


def _result_page(request: Request, db: Any, user: Any, settings: Any, enrollment_id: int, *, reopen_errors: dict | None = None,
                 reopen_form: dict | None = None, status_code: int = 200) -> Any:
    view = svc.result_view(db, enrollment_id, user.id, user.is_hr_or_admin, settings.application_window_days)
    if view is None:
        raise NotFoundException()
    return render(
        request,
        "ratings/result.html",
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
        return redirect(request, f"/penerapan/hasil/{result.enrollment_id}")


# --------------------------------------------------------------------------- /dampak


class ImpactIndexController(Controller):
    path = "/dampak"

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config, halaman: FromQuery[str] = "1") -> Any:
        today = _today(settings)
        if user.is_hr_or_admin:
            return render(
                request,
                "ratings/impact_index.html",
                {
                    "data": svc.trainings_overview(db, today, positive_int(halaman)),
                    "units": svc.overdue_by_unit(db, today, settings.application_window_days),
                    "window_days": settings.application_window_days,
                    "today": today,
                    "own": None,
                },
                db=db,
            )
        return render(request, "ratings/impact_index.html", {"data": None, "units": [], "window_days": settings.application_window_days, "today": today, "own": svc.visible_trainings(db, user.id)}, db=db)


class ImpactTrainingController(Controller):
    path = "/dampak/{training_id:int}"

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int], halaman: FromQuery[str] = "1") -> Any:
        today = _today(settings)
        if user.is_hr_or_admin:
            impact = svc.training_impact(db, training_id, today, settings.application_window_days, positive_int(halaman))
            if impact is None:
                raise NotFoundException()
            return render(request, "ratings/impact.html", {"impact": impact, "today": today}, db=db)
        rows = svc.visible_enrollments(db, training_id, user.id)
        if not rows:
            raise NotFoundException()
        title = svc.training_title(db, training_id)
        return render(request, "ratings/impact_own.html", {"rows": rows, "title": title, "training_id": training_id, "today": today}, db=db)

    @get("/kompetensi", guards=[hr_required], sync_to_thread=True)
    def gap(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int]) -> Any:
        """The gap-closure section (HR): a fragment for the impact page (htmx), or a page of its own."""
        found = svc.training_gap(db, training_id)
        if found is None:
            raise NotFoundException()
        training, gap = found
        if _partial(request):
            return render(request, "ratings/_gap.html", {"gap": gap, "training_id": training_id})
        return render(request, "ratings/gap.html", {"gap": gap, "training": training}, db=db)


CONTROLLERS = [
    RatingsIndexController,
    SupervisorRatingController,
    SelfReportController,
    ResultController,
    ReopenController,
    ImpactIndexController,
    ImpactTrainingController,
]
