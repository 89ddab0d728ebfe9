"""The impact of trainings (L3 results), /dampak: HR's overview of the trainings and the per-training impact
report with its gap-closure fragment; anyone else sees only the individual results they may see.

Thin controllers: call portal.services.impact, render templates/impact. Per-training aggregates are HR's.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal import clock
from portal.services import impact as svc
from portal.web.core import DB, Config, User, hr_required, positive_int, render, render_page_or_fragment


class ImpactIndexController(Controller):
    path = "/dampak"

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config, halaman: FromQuery[str] = "1") -> Any:
        today = clock.today(settings.timezone)
        window_days = settings.application_window_days
        if user.is_hr_or_admin:
            context = {
                "data": svc.trainings_overview(db, today, positive_int(halaman)),
                "units": svc.overdue_by_unit(db, today, window_days),
                "window_days": window_days,
                "today": today,
                "own": None,
            }
        else:
            context = {"data": None, "units": [], "window_days": window_days, "today": today, "own": svc.visible_trainings(db, user.id)}
        return render(request, "impact/index.html", context, db=db)


class ImpactTrainingController(Controller):
    path = "/dampak/{training_id:int}"

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int], halaman: FromQuery[str] = "1") -> Any:
        today = clock.today(settings.timezone)
        if user.is_hr_or_admin:
            impact = svc.training_impact(db, training_id, today, settings.application_window_days, positive_int(halaman))
            if impact is None:
                raise NotFoundException()
            return render(request, "impact/training.html", {"impact": impact, "today": today}, db=db)
        rows = svc.visible_enrollments(db, training_id, user.id)
        if not rows:
            raise NotFoundException()
        title = svc.training_title(db, training_id)
        return render(request, "impact/training_own.html", {"rows": rows, "title": title, "training_id": training_id, "today": today}, db=db)

    @get("/kompetensi", guards=[hr_required], sync_to_thread=True)
    def gap(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int]) -> Any:
        """The gap-closure section (HR): a fragment for the impact page (htmx), or a page of its own."""
        found = svc.training_gap(db, training_id)
        if found is None:
            raise NotFoundException()
        training, gap = found
        return render_page_or_fragment(
            request, "impact/gap.html", "impact/_gap.html", {"gap": gap, "training": training, "training_id": training_id}, db=db
        )


CONTROLLERS = [
    ImpactIndexController,
    ImpactTrainingController,
]
