"""HR's trainings and their reaction surveys (/pelatihan): the list, attaching a questionnaire with its
window and inviting the participants, closing a survey early (a closed anonymous survey stays closed:
portal.services.trainings.SurveyWindow)."""

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


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


class TrainingSurveyController(Controller):
    path = "/pelatihan"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config, page: FromQuery[str] = "1") -> Any:
        data = svc.trainings_overview(db, positive_int(page))
        return render(request, "trainings/index.html", {"data": data, "today": clock.today(settings.timezone)}, db=db)

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

    @get("/{tid:int}/survei", sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, tid: FromPath[int]) -> Any:
        return self._page(request, db, settings, tid)

    @post("/{tid:int}/survei", sync_to_thread=True)
    def save(self, request: Request, db: DB, user: User, settings: Config, tid: FromPath[int], data: FormData) -> Any:
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


CONTROLLERS = [TrainingSurveyController]
