"""Data Master lists (HR): the overview and the competencies (employees: `people`; units and positions:
`organisation`; trainings moved to /pelatihan, the old address redirects there)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Redirect

from portal.services import master
from portal.web.core import DB, hr_required, render


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
    """The trainings moved to HR's trainings area: the old address answers with a redirect there."""

    path = "/data-master/pelatihan"
    guards = [hr_required]

    @get()
    async def index(self) -> Redirect:
        return Redirect(path="/pelatihan", status_code=303)
