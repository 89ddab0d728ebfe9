"""Data Master lists (HR): the overview, units, employees, competencies; trainings moved to /pelatihan."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Redirect

from portal.services import master
from portal.web.core import DB, hr_required, is_htmx, positive_int, query_id, render


class MasterHomeController(Controller):
    path = "/data-master"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Any:
        return render(request, "master/index.html", {"counts": master.overview_counts(db)}, db=db)


class EmployeeListController(Controller):
    path = "/data-master/pegawai"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, q: FromQuery[str] = "", unit: FromQuery[str] = "", page: FromQuery[str] = "1") -> Any:
        q = q.strip()[:100]
        unit_id = query_id(unit)
        page_no = positive_int(page)
        result = master.list_employees(db, q=q, unit_id=unit_id, page=page_no)
        ctx = {"result": result, "q": q, "unit": unit_id, "units": master.unit_options(db)}
        if is_htmx(request):
            return render(request, "master/_employees_table.html", ctx)
        return render(request, "master/employees.html", ctx, db=db)


class UnitListController(Controller):
    path = "/data-master/unit"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Any:
        return render(request, "master/units.html", {"units": master.list_units(db)}, db=db)


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
