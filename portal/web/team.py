"""The supervisor's team (/tim): the direct reports with the status of both assessments and the L3
ratings due, and the supervisor's assessment of one report (/tim/{cycle_id}/{subject_id} and its
steps, the same pages as the self-assessment: portal/web/assessments.py).

The routes take the report's id and answer 404 unless that person is a current, active direct report
(`get_report_assessment_for`).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from sqlmodel import Session

from portal import clock
from portal.services import akpk
from portal.services import assessments as svc
from portal.services import application as application_svc
from portal.services.accounts import CurrentUser
from portal.web.assessments import FormBody, autosave, do_submit, not_found, save_all, show_confirm, show_form, show_result
from portal.web.core import DB, Config, User, query_id, render, supervisor_required


def get_report_assessment_for(db: Session, user: CurrentUser, cycle_id: int, subject_id: int) -> svc.Scope:
    """The user's assessment of a current, active direct report; 404 for anyone else (or no such cycle)."""
    try:
        return svc.report_scope(db, user.id, cycle_id, subject_id)
    except svc.NotFound as exc:
        raise not_found(exc) from exc


class TeamController(Controller):
    """The team page, then /tim/{cycle_id}/{subject_id} and its steps."""

    path = "/tim"
    guards = [supervisor_required]

    @get("/", sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config, siklus: FromQuery[str | None] = None) -> Any:
        today = clock.today(settings.timezone)
        cycles = akpk.list_cycles(db)
        cycle = None
        if (cycle_id := query_id(siklus)) is not None:
            cycle = next((c for c in cycles if c.id == cycle_id), None) or akpk.get_cycle(db, cycle_id)
        cycle = cycle or akpk.default_cycle(db, today)
        rows = svc.team(db, user.id, cycle.id if cycle else None)
        due = application_svc.due_ratings(db, user.id, today, settings.application_window_days)
        ctx = {"cycle": cycle, "cycles": cycles, "rows": rows, "today": today, "due_ratings": due}
        return render(request, "team/index.html", ctx, db=db)

    @get("/{cycle_id:int}/{subject_id:int}", sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int]) -> Any:
        return show_form(request, db, get_report_assessment_for(db, user, cycle_id, subject_id), settings)

    @post("/{cycle_id:int}/{subject_id:int}/kompetensi/{competency_id:int}", sync_to_thread=True)
    def save_item(
        self,
        request: Request,
        db: DB,
        user: User,
        settings: Config,
        cycle_id: FromPath[int],
        subject_id: FromPath[int],
        competency_id: FromPath[int],
        data: FormBody,
    ) -> Any:
        return autosave(request, db, get_report_assessment_for(db, user, cycle_id, subject_id), settings, competency_id, data)

    @post("/{cycle_id:int}/{subject_id:int}/simpan", sync_to_thread=True)
    def save(
        self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int], data: FormBody
    ) -> Any:
        return save_all(request, db, get_report_assessment_for(db, user, cycle_id, subject_id), settings, data)

    @get("/{cycle_id:int}/{subject_id:int}/kirim", sync_to_thread=True)
    def confirm(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int]) -> Any:
        return show_confirm(request, db, get_report_assessment_for(db, user, cycle_id, subject_id), settings)

    @post("/{cycle_id:int}/{subject_id:int}/kirim", sync_to_thread=True)
    def submit(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int]) -> Any:
        return do_submit(request, db, get_report_assessment_for(db, user, cycle_id, subject_id), settings)

    @get("/{cycle_id:int}/{subject_id:int}/hasil", sync_to_thread=True)
    def result(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], subject_id: FromPath[int]) -> Any:
        return show_result(request, db, get_report_assessment_for(db, user, cycle_id, subject_id), settings)


CONTROLLERS = [TeamController]

__all__ = ["CONTROLLERS"]
