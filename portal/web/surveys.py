"""Post-training surveys: the employee's list and form (/survei), the HR questionnaire builder
(/kuesioner) and attaching a reaction questionnaire to a training (/pelatihan).

The form of a questionnaire does not change per user, so its HTML is rendered once per
(questionnaire id, revision) from the same partial the builder preview uses (templates/surveys/_question.html),
with markers where per-user state goes (checked radios, typed text, errors, the autosave URL). A page
request then fills those slots from the draft answers: one query, no template work per question.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from markupsafe import Markup, escape
from sqlalchemy.engine import Connection

from portal import clock
from portal.i18n import _
from portal.services import questionnaires as qsvc
from portal.services import surveys as svc
from portal.services.questionnaires import (
    AnonymityFixed,
    QuestionnaireLocked,
    QuestionnaireNotFound,
    Structure,
)
from portal.services.surveys import AnswerValue, InvitationView
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
    run_read,
    take_flash,
)

SLOT = "\x00"


# --------------------------------------------------------------------------- the compiled form


class _Slot:
    """Used by templates/surveys/_question.html: `slot("c", q.id, 3)` leaves a marker in the output."""

    def __call__(self, *parts: Any) -> Markup:
        return Markup(SLOT + "|".join(str(p) for p in parts) + SLOT)


class CompiledForm:
    """The rendered questions of one questionnaire revision, split at the per-user slots."""

    def __init__(self, structure: Structure, html: str, env: Any) -> None:
        self.structure = structure
        parts = html.split(SLOT)
        self.literals = parts[0::2]
        self.slots: list[tuple[str, int, str]] = []
        for key in parts[1::2]:
            kind, qid, *rest = key.split("|")
            self.slots.append((kind, int(qid), rest[0] if rest else ""))
        self.env = env
        # the slot contents when a question has no error and no saved status, rendered from the same partials
        err_t = env.get_template("surveys/_question_error.html")
        st_t = env.get_template("surveys/_save_status.html")
        self.empty_error = {q.id: err_t.render(q=q, error=None) for q in structure.questions}
        self.empty_status = {q.id: st_t.render(q=q, error=None, saved_at=None) for q in structure.questions}

    def fill(
        self,
        answers: dict[int, AnswerValue],
        errors: dict[int, str] | None = None,
        autosave_base: str | None = None,
    ) -> Markup:
        errors = errors or {}
        out: list[str] = []
        literals = self.literals
        err_t = None
        for i, (kind, qid, arg) in enumerate(self.slots):
            out.append(literals[i])
            if kind == "c":
                v = answers.get(qid)
                if v is not None and v.num is not None and str(v.num) == arg:
                    out.append(" checked")
            elif kind == "cb":
                v = answers.get(qid)
                if v is not None and v.before is not None and str(v.before) == arg:
                    out.append(" checked")
            elif kind == "m":
                v = answers.get(qid)
                if v is not None and v.text and int(arg) in v.selected:
                    out.append(" checked")
            elif kind == "t":
                v = answers.get(qid)
                if v is not None and v.text:
                    out.append(str(escape(v.text)))
            elif kind == "hx":
                if autosave_base is not None:
                    out.append(
                        f' hx-post="{autosave_base}{qid}" hx-target="find .save-status" hx-swap="outerHTML"'
                        ' hx-sync="queue last"'
                    )
            elif kind == "cls":
                if qid in errors:
                    out.append(" has-error")
            elif kind == "err":
                if qid in errors:
                    err_t = err_t or self.env.get_template("surveys/_question_error.html")
                    out.append(err_t.render(q=self.structure.by_id[qid], error=errors[qid]))
                else:
                    out.append(self.empty_error[qid])
            elif kind == "st":
                out.append(self.empty_status[qid])
            elif kind == "inv":
                if qid in errors:
                    out.append(' aria-invalid="true"')
        out.append(literals[-1])
        return Markup("".join(out))


_compiled: OrderedDict[tuple[str, int, int], CompiledForm] = OrderedDict()
_compiled_lock = threading.Lock()


def compiled_form(request: Request, structure: Structure) -> CompiledForm:
    key = (structure.db_token, structure.questionnaire_id, structure.revision)
    with _compiled_lock:
        hit = _compiled.get(key)
    if hit is not None:
        return hit
    env = request.app.template_engine.engine
    html = env.get_template("surveys/_questions.html").render(
        structure=structure, slot=_Slot(), likert_labels=qsvc.LIKERT_LABELS
    )
    form = CompiledForm(structure, html, env)
    with _compiled_lock:
        _compiled[key] = form
        while len(_compiled) > 64:
            _compiled.popitem(last=False)
    return form


def _error_list(structure: Structure, errors: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {"href": f"#q-{q.id}", "text": _("Pertanyaan {n}: {msg}").format(n=q.number, msg=errors[q.id])}
        for q in structure.questions
        if q.id in errors
    ]


def _progress(structure: Structure, answers: dict[int, AnswerValue]) -> dict[str, int]:
    return {"answered": svc.count_answered(structure, answers), "total": structure.count}


# --------------------------------------------------------------------------- employee: list and form


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
            "errors": _error_list(structure, errors),
            "progress": _progress(structure, answers),
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
                "progress": _progress(structure, answers),
                "today": today,
                "changed": changed,
                "min_group": request.app.state.settings.min_group_size,
            },
            status_code=409 if changed else 200,
        )

    @get()
    async def show(self, request: Request, state: State, user: User, settings: Config, invitation_id: int) -> Any:
        """The most requested page of the portal: read without an ORM session (portal.web.core.run_read)."""
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
                    "submitted_on": None,
                    "flash": await take_flash(state, user),
                },
            )
        return self._form_page(request, inv, structure, answers, today)

    @post("/jawaban/{question_id:int}", sync_to_thread=True)
    def autosave(
        self, request: Request, db: DB, user: User, settings: Config, invitation_id: int, question_id: int, data: FormData
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
    def submit(self, request: Request, db: DB, user: User, settings: Config, invitation_id: int, data: FormData) -> Any:
        today = clock.today(settings.timezone)
        inv, _a = _own_invitation(db, user, invitation_id)
        state = inv.state(today)
        code = svc.receipt_code(settings.secret_key, inv.id)
        if state == "submitted":
            return render(request, "surveys/status.html", {"inv": inv, "state": "submitted", "code": code, "submitted_on": None, "again": True})
        structure = qsvc.load_structure(db, inv.questionnaire_id, inv.revision)
        if state != "open":
            return render(
                request,
                "surveys/status.html",
                {"inv": inv, "state": state, "code": code, "submitted_on": None},
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
        if result.status == "submitted":
            return render(request, "surveys/status.html", {"inv": inv, "state": "submitted", "code": code, "submitted_on": today, "again": False})
        if result.status == "already":
            return render(request, "surveys/status.html", {"inv": inv, "state": "submitted", "code": code, "submitted_on": None, "again": True})
        if result.status == "invalid":
            answers = svc.draft_answers(db, inv.id)
            return self._form_page(request, inv, result.structure or structure, answers, today, result.errors, status_code=422)
        return render(request, "surveys/status.html", {"inv": inv, "state": result.status, "code": code, "submitted_on": None}, status_code=409)



def _date(request: Request, value: date) -> str:
    return request.app.template_engine.engine.filters["date"](value)


# --------------------------------------------------------------------------- HR: questionnaire builder


def _locked_response(request: Request, db: Any, user: Any, qid: int) -> Any:
    message = _("Kuesioner ini sudah memiliki jawaban sehingga terkunci. Perubahan harus dibuat pada versi baru.")
    if is_htmx(request):
        return render(request, "questionnaires/_locked.html", {"qid": qid, "message": message}, status_code=409)
    return render(
        request,
        "questionnaires/locked.html",
        {"qid": qid, "message": message},
        db=db,
        status_code=409,
    )


def _questionnaire_or_404(db: Any, qid: int) -> Any:
    try:
        return qsvc.get(db, qid)
    except QuestionnaireNotFound:
        raise NotFoundException() from None


def _edit_context(db: Any, qn: Any, **extra: Any) -> dict[str, Any]:
    structure = qsvc.load_structure(db, qn.id)
    usage = qsvc.in_use(db, qn.id)
    ctx = {
        "qn": qn,
        "structure": structure,
        "usage": usage,
        "anonymity_fixed": usage["invitations"] > 0,
        "sections": qsvc.sections_of(db, qn.id),
        "kinds": qsvc.KIND_LABELS,
        "dimensions": qsvc.DIMENSION_LABELS,
        "purposes": qsvc.PURPOSE_LABELS,
        "meta": extra.pop("meta", None) or qsvc.QuestionnaireForm(qn.title, qn.description, qn.purpose, qn.anonymous),
        "meta_errors": extra.pop("meta_errors", {}),
        "new_q": extra.pop("new_q", None) or qsvc.QuestionForm(section=(structure.questions[-1].section if structure.questions else "")),
        "new_q_errors": extra.pop("new_q_errors", {}),
        "notice": None,
        "focus": None,
    }
    ctx.update(extra)
    return ctx


class QuestionnaireListController(Controller):
    path = "/kuesioner"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User) -> Any:
        return render(request, "questionnaires/index.html", {"items": qsvc.list_questionnaires(db)}, db=db)

    @get("/baru", sync_to_thread=True)
    def new(self, request: Request, db: DB, user: User) -> Any:
        return render(
            request,
            "questionnaires/new.html",
            {"form": qsvc.QuestionnaireForm(), "errors": {}, "purposes": qsvc.PURPOSE_LABELS},
            db=db,
        )

    @post("/baru", sync_to_thread=True)
    def create(self, request: Request, db: DB, user: User, data: FormData) -> Any:
        form, errors = qsvc.parse_questionnaire_form(data)
        if errors:
            return render(
                request,
                "questionnaires/new.html",
                {"form": form, "errors": errors, "purposes": qsvc.PURPOSE_LABELS},
                status_code=422,
            )
        qid = qsvc.create_questionnaire(db, user.id, form)
        flash(db, user, _("Kuesioner dibuat. Tambahkan pertanyaannya di bawah."))
        return redirect(request, f"/kuesioner/{qid}")


class QuestionnaireController(Controller):
    path = "/kuesioner/{qid:int}"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def edit(self, request: Request, db: DB, user: User, qid: int) -> Any:
        qn = _questionnaire_or_404(db, qid)
        return render(request, "questionnaires/edit.html", _edit_context(db, qn), db=db)

    @post(sync_to_thread=True)
    def update_meta(self, request: Request, db: DB, user: User, qid: int, data: FormData) -> Any:
        qn = _questionnaire_or_404(db, qid)
        form, errors = qsvc.parse_questionnaire_form(data)
        if errors:
            return render(request, "questionnaires/edit.html", _edit_context(db, qn, meta=form, meta_errors=errors), status_code=422)
        try:
            qsvc.update_questionnaire(db, user.id, qid, form)
        except QuestionnaireLocked:
            return _locked_response(request, db, user, qid)
        except AnonymityFixed:
            message = _(
                "Sifat anonim tidak dapat diubah: kuesioner ini sudah dikirim kepada peserta dengan keterangan "
                "\u201c{s}\u201d. Buat versi baru (\u201cSalin ke versi baru\u201d) untuk sifat yang lain."
            ).format(s=_("anonim") if qn.anonymous else _("tidak anonim"))
            return render(request, "questionnaires/edit.html", _edit_context(db, qn, meta=form, meta_errors={"anonymous": message}), status_code=422)
        flash(db, user, _("Data kuesioner disimpan."))
        return redirect(request, f"/kuesioner/{qid}")

    @post("/pertanyaan", sync_to_thread=True)
    def add_question(self, request: Request, db: DB, user: User, qid: int, data: FormData) -> Any:
        qn = _questionnaire_or_404(db, qid)
        form, errors = qsvc.parse_question_form(data)
        if errors:
            return render(request, "questionnaires/edit.html", _edit_context(db, qn, new_q=form, new_q_errors=errors), status_code=422)
        try:
            qsvc.add_question(db, user.id, qid, form)
        except QuestionnaireLocked:
            return _locked_response(request, db, user, qid)
        flash(db, user, _("Pertanyaan ditambahkan."))
        return redirect(request, f"/kuesioner/{qid}#daftar-pertanyaan")

    @get("/pertanyaan/{pid:int}", sync_to_thread=True)
    def edit_question(self, request: Request, db: DB, user: User, qid: int, pid: int) -> Any:
        qn = _questionnaire_or_404(db, qid)
        q = qsvc.question_row(db, qid, pid)
        if q is None:
            raise NotFoundException()
        return render(
            request,
            "questionnaires/question.html",
            {
                "qn": qn,
                "q": q,
                "form": qsvc.question_form_from(q),
                "errors": {},
                "sections": qsvc.sections_of(db, qid),
                "kinds": qsvc.KIND_LABELS,
                "dimensions": qsvc.DIMENSION_LABELS,
            },
            db=db,
        )

    @post("/pertanyaan/{pid:int}", sync_to_thread=True)
    def update_question(self, request: Request, db: DB, user: User, qid: int, pid: int, data: FormData) -> Any:
        qn = _questionnaire_or_404(db, qid)
        q = qsvc.question_row(db, qid, pid)
        if q is None:
            raise NotFoundException()
        form, errors = qsvc.parse_question_form(data)
        if errors:
            return render(
                request,
                "questionnaires/question.html",
                {
                    "qn": qn,
                    "q": q,
                    "form": form,
                    "errors": errors,
                    "sections": qsvc.sections_of(db, qid),
                    "kinds": qsvc.KIND_LABELS,
                    "dimensions": qsvc.DIMENSION_LABELS,
                },
                status_code=422,
            )
        try:
            qsvc.update_question(db, user.id, qid, pid, form)
        except QuestionnaireLocked:
            return _locked_response(request, db, user, qid)
        except QuestionnaireNotFound:
            raise NotFoundException() from None
        flash(db, user, _("Pertanyaan disimpan."))
        return redirect(request, f"/kuesioner/{qid}#pertanyaan-{pid}")

    @post("/pertanyaan/{pid:int}/hapus", sync_to_thread=True)
    def delete_question(self, request: Request, db: DB, user: User, qid: int, pid: int) -> Any:
        _questionnaire_or_404(db, qid)
        try:
            qsvc.delete_question(db, user.id, qid, pid)
        except QuestionnaireLocked:
            return _locked_response(request, db, user, qid)
        except QuestionnaireNotFound:
            raise NotFoundException() from None
        if is_htmx(request):
            return self._list_fragment(request, db, qid, _("Pertanyaan dihapus."))
        flash(db, user, _("Pertanyaan dihapus."))
        return redirect(request, f"/kuesioner/{qid}#daftar-pertanyaan")

    def _list_fragment(self, request: Request, db: Any, qid: int, notice: str | None = None, focus: str | None = None) -> Any:
        qn = _questionnaire_or_404(db, qid)
        structure = qsvc.load_structure(db, qid)
        return render(
            request,
            "questionnaires/_questions.html",
            {"qn": qn, "structure": structure, "notice": notice, "focus": focus},
        )

    @post("/pertanyaan/{pid:int}/pindah", sync_to_thread=True)
    def move_question(self, request: Request, db: DB, user: User, qid: int, pid: int, data: FormData) -> Any:
        _questionnaire_or_404(db, qid)
        direction = "up" if first_value(data.get("arah")) == "naik" else "down"
        try:
            moved = qsvc.move_question(db, user.id, qid, pid, direction)
        except QuestionnaireLocked:
            return _locked_response(request, db, user, qid)
        except QuestionnaireNotFound:
            raise NotFoundException() from None
        notice = _("Urutan disimpan.") if moved else _("Pertanyaan sudah di ujung bagiannya.")
        if is_htmx(request):
            return self._list_fragment(request, db, qid, notice, focus=f"pindah-{pid}-{'naik' if direction == 'up' else 'turun'}")
        flash(db, user, notice, "success" if moved else "info")
        return redirect(request, f"/kuesioner/{qid}#pertanyaan-{pid}")

    @post("/bagian/pindah", sync_to_thread=True)
    def move_section(self, request: Request, db: DB, user: User, qid: int, data: FormData) -> Any:
        _questionnaire_or_404(db, qid)
        direction = "up" if first_value(data.get("arah")) == "naik" else "down"
        try:
            moved = qsvc.move_section(db, user.id, qid, first_value(data.get("bagian")), direction)
        except QuestionnaireLocked:
            return _locked_response(request, db, user, qid)
        notice = _("Urutan bagian disimpan.") if moved else _("Bagian sudah di ujung.")
        if is_htmx(request):
            return self._list_fragment(request, db, qid, notice)
        flash(db, user, notice, "success" if moved else "info")
        return redirect(request, f"/kuesioner/{qid}#daftar-pertanyaan")

    @get("/pratinjau", sync_to_thread=True)
    def preview(self, request: Request, db: DB, user: User, qid: int) -> Any:
        _questionnaire_or_404(db, qid)
        structure = qsvc.load_structure(db, qid)
        form = compiled_form(request, structure)
        return render(
            request,
            "questionnaires/preview.html",
            {"structure": structure, "questions_html": form.fill({}, {}, None), "progress": {"answered": 0, "total": structure.count}},
            db=db,
        )

    @post("/salin", sync_to_thread=True)
    def copy(self, request: Request, db: DB, user: User, qid: int) -> Any:
        _questionnaire_or_404(db, qid)
        new_id = qsvc.copy_to_new_version(db, user.id, qid)
        flash(db, user, _("Versi baru dibuat. Anda dapat mengubahnya; versi lama tetap tersimpan bersama jawabannya."))
        return redirect(request, f"/kuesioner/{new_id}")


# --------------------------------------------------------------------------- HR: trainings


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


class TrainingSurveyController(Controller):
    path = "/pelatihan"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config, page: str = "1") -> Any:
        data = svc.trainings_overview(db, positive_int(page))
        return render(request, "surveys/trainings.html", {"data": data, "today": clock.today(settings.timezone)}, db=db)

    def _page(self, request: Request, db: Any, settings: Any, tid: int, form: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Any:
        info = svc.training_survey(db, tid)
        if info is None:
            raise NotFoundException()
        t = info["training"]
        today = clock.today(settings.timezone)
        if form is None:
            opens, closes = svc.default_window(t.ends_on, settings.survey_window_days)
            qid = t.reaction_questionnaire_id or qsvc.standard_l1_id(db)
            form = {
                "questionnaire_id": str(qid or ""),
                "opens_on": (t.survey_opens_on or opens).isoformat(),
                "closes_on": (t.survey_closes_on or closes).isoformat(),
            }
        window = info["window"]
        return render(
            request,
            "surveys/training.html",
            {
                "info": info,
                "form": form,
                "errors": errors or {},
                "questionnaires": svc.reaction_questionnaires(db),
                "window_days": settings.survey_window_days,
                "window_state": window.state(today),
                "frozen": window.frozen(today),
                "frozen_message": svc.frozen_message(window.closes_on) if window.frozen(today) else "",
            },
            db=db if status_code == 200 else None,
            status_code=status_code,
        )

    @get("/{tid:int}/survei", sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, tid: int) -> Any:
        return self._page(request, db, settings, tid)

    @post("/{tid:int}/survei", sync_to_thread=True)
    def save(self, request: Request, db: DB, user: User, settings: Config, tid: int, data: FormData) -> Any:
        form = {k: first_value(data.get(k)) for k in ("questionnaire_id", "opens_on", "closes_on")}
        qid = int(form["questionnaire_id"]) if form["questionnaire_id"].isdigit() else None
        try:
            result = svc.attach(
                db, user.id, tid, qid, _parse_date(form["opens_on"]), _parse_date(form["closes_on"]), today=clock.today(settings.timezone)
            )
        except LookupError:
            raise NotFoundException() from None
        if not result.ok:
            status = 409 if "form" in result.errors else 422
            return self._page(request, db, settings, tid, form if status == 422 else None, result.errors, status_code=status)
        msg = _("Survei pelatihan disimpan. {n} undangan baru dibuat.").format(n=result.created)
        if result.removed:
            msg += " " + _("{n} undangan yang belum dikirim dihapus.").format(n=result.removed)
        flash(db, user, msg)
        return redirect(request, f"/pelatihan/{tid}/survei")

    @post("/{tid:int}/survei/tutup", sync_to_thread=True)
    def close(self, request: Request, db: DB, user: User, settings: Config, tid: int, data: FormData) -> Any:
        """Close the survey window now. Irreversible for an anonymous survey: the first post shows a
        confirmation page, the confirmed one (konfirmasi=ya) closes."""
        info = svc.training_survey(db, tid)
        if info is None:
            raise NotFoundException()
        today = clock.today(settings.timezone)
        window = info["window"]
        if window.state(today) != "open":
            return self._page(request, db, settings, tid, errors={"form": _("Hanya survei yang sedang dibuka yang dapat ditutup lebih awal.")}, status_code=409)
        if first_value(data.get("konfirmasi")) != "ya":
            return render(request, "surveys/close_confirm.html", {"info": info, "window": window, "today": today}, db=db)
        try:
            problem = svc.close_now(db, user.id, tid, today=today)
        except LookupError:
            raise NotFoundException() from None
        if problem:
            return self._page(request, db, settings, tid, errors={"form": problem}, status_code=409)
        flash(db, user, _("Survei ditutup. Hasilnya tampil di laporan pelatihan bila jumlah tanggapan sudah mencukupi."))
        return redirect(request, f"/pelatihan/{tid}/survei")


CONTROLLERS = [
    SurveyListController,
    SurveyController,
    QuestionnaireListController,
    QuestionnaireController,
    TrainingSurveyController,
]

