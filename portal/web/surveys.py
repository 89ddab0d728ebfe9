"""The employee's post-training surveys (/survei): the list, the form with autosave, confirmation and
submit. The form itself is rendered by portal.web.survey_form."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from sqlalchemy.engine import Connection

from portal import clock
from portal.i18n import _
from portal.services import questionnaires as qsvc
from portal.services import surveys as svc
from portal.services.questionnaires import Structure
from portal.services.surveys import AnswerValue, InvitationView
from portal.web.core import (
    DB,
    Config,
    FormData,
    User,
    first_value,
    provide_user,
    redirect,
    render,
    run_read,
    take_flash,
)
from portal.web.survey_form import compiled_form, error_list, progress


def _own_invitation(db: Any, user: Any, invitation_id: int, with_answers: bool = False) -> tuple[InvitationView, dict]:
    found = svc.load_invitation(db, invitation_id, user.id, with_answers=with_answers)
    if found is None:
        raise NotFoundException()
    return found


class SurveyListController(Controller):
    path = "/survei"

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config) -> Any:
        today = clock.today(settings.timezone)
        groups = svc.employee_surveys(db, user.id, today)
        codes = {i["id"]: svc.receipt_code(settings.secret_key, i["id"]) for i in groups["submitted"]}
        return render(request, "surveys/index.html", {"groups": groups, "codes": codes, "today": today}, db=db)


class SurveyController(Controller):
    path = "/survei/{invitation_id:int}"

    def _form_page(
        self,
        request: Request,
        inv: InvitationView,
        structure: Structure,
        answers: dict[int, AnswerValue],
        today: date,
        errors: dict[int, str] | None = None,
        message: tuple[str, str] | None = None,
        status_code: int = 200,
    ) -> Any:
        form = compiled_form(request, structure)
        errors = errors or {}
        ctx = {
            "inv": inv,
            "structure": structure,
            "questions_html": form.fill(answers, errors, f"/survei/{inv.id}/jawaban/"),
            "errors": error_list(structure, errors),
            "progress": progress(structure, answers),
            "today": today,
            "days_left": (inv.closes_on - today).days,
            "message": message,
        }
        return render(request, "surveys/form.html", ctx, status_code=status_code)

    def _confirm_page(
        self,
        request: Request,
        db: Any,
        inv: InvitationView,
        structure: Structure,
        today: date,
        *,
        answers: dict[int, AnswerValue] | None = None,
        changed: bool = False,
    ) -> Any:
        """The last step before submitting: says plainly whether the answers are anonymous. `changed`:
        the anonymity differs from what the person confirmed; nothing was stored (409)."""
        answers = svc.draft_answers(db, inv.id) if answers is None else answers
        return render(
            request,
            "surveys/confirm.html",
            {
                "inv": inv,
                "structure": structure,
                "progress": progress(structure, answers),
                "today": today,
                "changed": changed,
                "min_group": request.app.state.settings.min_group_size,
            },
            status_code=409 if changed else 200,
        )

    @get()
    async def show(self, request: Request, state: State, invitation_id: FromPath[int]) -> Any:
        """The most requested page of the portal: read without an ORM session (portal.web.core.run_read),
        and without the `user`/`settings` dependencies: Litestar resolves two dependencies of one level in
        an anyio task group, a task each (docs/dev/performance.md)."""
        user, settings = provide_user(request), state.settings
        today = clock.today(settings.timezone)

        def read(conn: Connection) -> tuple[InvitationView, dict[int, AnswerValue], Structure | None]:
            inv, answers = _own_invitation(conn, user, invitation_id, with_answers=True)
            if inv.state(today) != "open":
                return inv, answers, None
            return inv, answers, qsvc.load_structure(conn, inv.questionnaire_id, inv.revision)

        inv, answers, structure = await run_read(state, read)
        if structure is None:
            return render(
                request,
                "surveys/status.html",
                {
                    "inv": inv,
                    "state": inv.state(today),
                    "code": svc.receipt_code(settings.secret_key, inv.id),
                    "flash": await take_flash(state, user),
                },
            )
        return self._form_page(request, inv, structure, answers, today)

    @post("/jawaban/{question_id:int}", sync_to_thread=True)
    def autosave(
        self, request: Request, db: DB, user: User, settings: Config, invitation_id: FromPath[int], question_id: FromPath[int], data: FormData
    ) -> Any:
        today = clock.today(settings.timezone)
        inv, _a = _own_invitation(db, user, invitation_id)
        structure = qsvc.load_structure(db, inv.questionnaire_id, inv.revision)
        q = structure.by_id.get(question_id)
        if q is None:
            raise NotFoundException()
        state = inv.state(today)
        if state != "open":
            message = {
                "submitted": _("Survei ini sudah dikirim; jawaban tidak dapat diubah lagi."),
                "closed": _("Survei sudah ditutup pada {d}; jawaban tidak dapat disimpan.").format(d=_date(request, inv.closes_on)),
                "upcoming": _("Survei belum dibuka."),
            }[state]
            return render(request, "surveys/_autosave.html", {"q": q, "error": message, "saved_at": None, "progress": None}, status_code=409)
        result = svc.save_answer(db, inv, structure, q, data)
        if not result.ok:
            return render(
                request, "surveys/_autosave.html", {"q": q, "error": result.error, "saved_at": None, "progress": None}, status_code=422
            )
        return render(
            request,
            "surveys/_autosave.html",
            {
                "q": q,
                "error": None,
                "saved_at": result.saved_at,
                "progress": {"answered": result.answered, "total": result.total},
            },
        )

    @post("/kirim", sync_to_thread=True)
    def submit(self, request: Request, db: DB, user: User, settings: Config, invitation_id: FromPath[int], data: FormData) -> Any:
        today = clock.today(settings.timezone)
        inv, _a = _own_invitation(db, user, invitation_id)
        state = inv.state(today)
        code = svc.receipt_code(settings.secret_key, inv.id)
        if state == "submitted":
            return redirect(request, _receipt_url(inv.id, again=True))
        structure = qsvc.load_structure(db, inv.questionnaire_id, inv.revision)
        if state != "open":
            return render(
                request,
                "surveys/status.html",
                {"inv": inv, "state": state, "code": code},
                status_code=409,
            )
        # the anonymity the person read on the confirmation page ("1" anonymous, "0" attributed)
        seen = {"1": True, "0": False}.get(first_value(data.get("anonim")))
        confirmed = first_value(data.get("konfirmasi")) == "ya" and seen is not None
        if confirmed and seen != inv.anonymous:
            return self._confirm_page(request, db, inv, structure, today, changed=True)
        if not confirmed:
            # the no-JavaScript path posts every answer: save what is valid first
            save_errors = svc.save_many(db, inv, structure, data)
            answers = svc.draft_answers(db, inv.id)
            errors = save_errors | {
                k: v for k, v in svc.validate_complete(structure, answers).items() if k not in save_errors
            }
            if errors:
                return self._form_page(request, inv, structure, answers, today, errors, status_code=422)
            return self._confirm_page(request, db, inv, structure, today, answers=answers)
        result = svc.submit(db, inv.id, user.id, today, anonymous=seen)
        if result.status == "changed":
            fresh = _own_invitation(db, user, invitation_id)[0]
            return self._confirm_page(request, db, fresh, structure, today, changed=True)
        if result.status in ("submitted", "already"):
            # POST-redirect-GET: reloading or going back never posts again nor meets a 405
            return redirect(request, _receipt_url(inv.id, again=result.status == "already"))
        if result.status == "invalid":
            answers = svc.draft_answers(db, inv.id)
            return self._form_page(request, inv, result.structure or structure, answers, today, result.errors, status_code=422)
        return render(request, "surveys/status.html", {"inv": inv, "state": result.status, "code": code}, status_code=409)

    @get("/kirim", sync_to_thread=True)
    def submit_by_get(self, db: DB, user: User, invitation_id: FromPath[int]) -> Redirect:
        """The submit URL opened by hand, from history or bookmarks: the survey page says where it stands."""
        _own_invitation(db, user, invitation_id)
        return Redirect(path=f"/survei/{invitation_id}", status_code=303)

    @get("/tanda-terima", sync_to_thread=True)
    def receipt(self, request: Request, db: DB, user: User, settings: Config, invitation_id: FromPath[int], ulang: FromQuery[str | None] = None) -> Any:
        """The thank-you page a submit redirects to; can be reloaded and bookmarked. Shows no date: an
        anonymous survey's submit time is not stored anywhere, and the page does not pretend otherwise."""
        inv, _a = _own_invitation(db, user, invitation_id)
        if inv.state(clock.today(settings.timezone)) != "submitted":
            return Redirect(path=f"/survei/{invitation_id}", status_code=303)
        code = svc.receipt_code(settings.secret_key, inv.id)
        return render(request, "surveys/status.html", {"inv": inv, "state": "submitted", "code": code, "again": ulang == "1"})


def _receipt_url(invitation_id: int, *, again: bool) -> str:
    return f"/survei/{invitation_id}/tanda-terima" + ("?ulang=1" if again else "")


def _date(request: Request, value: date) -> str:
    return request.app.template_engine.environment().filters["date"](value)


CONTROLLERS = [SurveyListController, SurveyController]
