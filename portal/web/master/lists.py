"""Data Master lists (HR): the overview, competencies, trainings (employees: `people`; units and
positions: `organisation`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromQuery

from portal.services import master
from portal.web.core import DB, hr_required, positive_int, render


class MasterHomeController(Controller):
    path = "/data-master"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Any:
        return render(request, "master/index.html", {"counts": master.overview_counts(db)}, db=db)


class CompetencyListController(Controller):
    path = "/data-master/kompetensi"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Any:
        return render(request, "master/competencies.html", {"competencies": master.list_competencies(db)}, db=db)


class TrainingListController(Controller):
    path = "/data-master/pelatihan"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, page: FromQuery[str] = "1") -> Any:
        page_no = positive_int(page)
        return render(request, "master/trainings.html", {"result": master.list_trainings(db, page_no)}, db=db)
