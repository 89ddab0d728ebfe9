"""HR's questionnaire builder (/kuesioner): the list, a new questionnaire, editing its data and its
questions while nobody has answered it, the preview, copying to a new version."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from portal.i18n import _
from portal.services import questionnaires as qsvc
from portal.services.questionnaires import (
    AnonymityFixed,
    QuestionnaireLocked,
    QuestionnaireNotFound,
)
from portal.web.core import (
    DB,
    FormData,
    User,
    first_value,
    flash,
    hr_required,
    is_htmx,
    redirect,
    render,
)
from portal.web.survey_form import compiled_form


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
    def edit(self, request: Request, db: DB, user: User, qid: FromPath[int]) -> Any:
        qn = _questionnaire_or_404(db, qid)
        return render(request, "questionnaires/edit.html", _edit_context(db, qn), db=db)

    @post(sync_to_thread=True)
    def update_meta(self, request: Request, db: DB, user: User, qid: FromPath[int], data: FormData) -> Any:
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
    def add_question(self, request: Request, db: DB, user: User, qid: FromPath[int], data: FormData) -> Any:
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
    def edit_question(self, request: Request, db: DB, user: User, qid: FromPath[int], pid: FromPath[int]) -> Any:
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
    def update_question(self, request: Request, db: DB, user: User, qid: FromPath[int], pid: FromPath[int], data: FormData) -> Any:
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
    def delete_question(self, request: Request, db: DB, user: User, qid: FromPath[int], pid: FromPath[int]) -> Any:
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
    def move_question(self, request: Request, db: DB, user: User, qid: FromPath[int], pid: FromPath[int], data: FormData) -> Any:
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
    def move_section(self, request: Request, db: DB, user: User, qid: FromPath[int], data: FormData) -> Any:
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
    def preview(self, request: Request, db: DB, user: User, qid: FromPath[int]) -> Any:
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
    def copy(self, request: Request, db: DB, user: User, qid: FromPath[int]) -> Any:
        _questionnaire_or_404(db, qid)
        new_id = qsvc.copy_to_new_version(db, user.id, qid)
        flash(db, user, _("Versi baru dibuat. Anda dapat mengubahnya; versi lama tetap tersimpan bersama jawabannya."))
        return redirect(request, f"/kuesioner/{new_id}")


CONTROLLERS = [QuestionnaireListController, QuestionnaireController]
