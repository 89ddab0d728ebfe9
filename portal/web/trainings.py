"""HR's trainings area (/pelatihan): the training calendar of a year and of a month, creating and
editing a training, its participants (`trainings_roster`) and its reaction survey: attaching a
questionnaire with its window and inviting the participants, closing a survey early (a closed
anonymous survey stays closed: portal.services.trainings.SurveyWindow)."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal import clock
from portal.i18n import _
from portal.services import questionnaires as qsvc
from portal.services import trainings as svc
from portal.services.trainings import calendar, editing, participants
from portal.services.trainings._types import TrainingForm
from portal.web.core import (
    DB,
    Config,
    FormData,
    User,
    first_value,
    flash,
    hr_required,
    positive_int,
    redirect,
    render,
)
from portal.web.trainings_roster import RosterController


class TrainingController(Controller):
    """The calendar (a year's list, a month) and the training form."""

    path = "/pelatihan"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config, tahun: FromQuery[str] = "", page: FromQuery[str] = "1") -> Any:
        today = clock.today(settings.timezone)
        year = calendar.year_or(tahun, today.year)
        data = calendar.year_list(db, year, positive_int(page), today=today)
        # the month the calendar link opens: this month in this year, else the first month with a training
        first = today if year == today.year else max(data.rows[0].starts_on, date(year, 1, 1)) if data.rows else date(year, 1, 1)
        return render(request, "trainings/index.html", {"data": data, "today": today, "month": first.strftime("%Y-%m"), "min_year": calendar.MIN_YEAR, "max_year": calendar.MAX_YEAR}, db=db)

    @get("/kalender", sync_to_thread=True)
    def month(self, request: Request, db: DB, settings: Config, bulan: FromQuery[str] = "") -> Any:
        today = clock.today(settings.timezone)
        month = calendar.month_or(bulan, today)
        return render(request, "trainings/calendar.html", {"cal": calendar.month_calendar(db, month, today=today), "today": today}, db=db)

    def _form_page(
        self, request: Request, db: Any, form: TrainingForm, errors: dict[str, str], *, tid: int | None = None, status_code: int = 200
    ) -> Any:
        ctx = {
            "form": form,
            "errors": errors,
            "tid": tid,
            "kinds": editing.kind_options(),
            "modes": editing.mode_options(),
            "groups": editing.competency_groups(db),
            "has_survey": False,
            "participants": 0,
        }
        if tid is not None:
            facts = participants.facts(db, tid)
            if facts is None:
                raise NotFoundException()
            ctx["has_survey"] = facts.reaction_questionnaire_id is not None
            ctx["participants"] = calendar.participant_counts(db, [tid]).get(tid, {}).get("enrolled", 0)
        return render(request, "trainings/form.html", ctx, db=db if status_code == 200 else None, status_code=status_code)

    @get("/baru", sync_to_thread=True)
    def new(self, request: Request, db: DB) -> Any:
        return self._form_page(request, db, TrainingForm(), {})

    @post("/baru", sync_to_thread=True)
    def create(self, request: Request, db: DB, user: User, data: FormData) -> Any:
        form = editing.form_from(data)
        result = editing.create(db, user.id, form)
        if not result.ok:
            return self._form_page(request, db, form, result.errors, status_code=422)
        flash(db, user, _("Pelatihan %(t)s disimpan. Tambahkan pesertanya di bawah.") % {"t": form.title})
        return redirect(request, f"/pelatihan/{result.training_id}/peserta")

    @get("/{tid:int}/ubah", sync_to_thread=True)
    def edit(self, request: Request, db: DB, tid: FromPath[int]) -> Any:
        form = editing.form_of(db, tid)
        if form is None:
            raise NotFoundException()
        return self._form_page(request, db, form, {}, tid=tid)

    @post("/{tid:int}/ubah", sync_to_thread=True)
    def update(self, request: Request, db: DB, user: User, tid: FromPath[int], data: FormData) -> Any:
        form = editing.form_from(data)
        try:
            result = editing.update(db, user.id, tid, form)
        except LookupError:
            raise NotFoundException() from None
        if not result.ok:
            return self._form_page(request, db, form, result.errors, tid=tid, status_code=422)
        message = _("Perubahan pelatihan disimpan.")
        if result.jp_carried:
            message += " " + _("JP diakui %(n)s peserta disesuaikan dengan JP baru.") % {"n": result.jp_carried}
        flash(db, user, message)
        return redirect(request, f"/pelatihan?tahun={result.year}")


class TrainingSurveyController(Controller):
    """A training's reaction survey."""

    path = "/pelatihan/{tid:int}/survei"
    guards = [hr_required]

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
            "trainings/survey.html",
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

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, tid: FromPath[int]) -> Any:
        return self._page(request, db, settings, tid)

    @post(sync_to_thread=True)
    def save(self, request: Request, db: DB, user: User, settings: Config, tid: FromPath[int], data: FormData) -> Any:
        form = {k: first_value(data.get(k)) for k in ("questionnaire_id", "opens_on", "closes_on")}
        qid = int(form["questionnaire_id"]) if form["questionnaire_id"].isdigit() else None
        try:
            result = svc.attach(
                db, user.id, tid, qid, clock.parse_iso_date(form["opens_on"]), clock.parse_iso_date(form["closes_on"]), today=clock.today(settings.timezone)
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

    @post("/tutup", sync_to_thread=True)
    def close(self, request: Request, db: DB, user: User, settings: Config, tid: FromPath[int], data: FormData) -> Any:
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
            return render(request, "trainings/close_confirm.html", {"info": info, "window": window, "today": today}, db=db)
        try:
            problem = svc.close_now(db, user.id, tid, today=today)
        except LookupError:
            raise NotFoundException() from None
        if problem:
            return self._page(request, db, settings, tid, errors={"form": problem}, status_code=409)
        flash(db, user, _("Survei ditutup. Hasilnya tampil di laporan pelatihan bila jumlah tanggapan sudah mencukupi."))
        return redirect(request, f"/pelatihan/{tid}/survei")


CONTROLLERS = [
    TrainingController,  # /pelatihan, /pelatihan/kalender, /pelatihan/baru, /pelatihan/{tid}/ubah
    RosterController,  # /pelatihan/{tid}/peserta...
    TrainingSurveyController,  # /pelatihan/{tid}/survei...
]
