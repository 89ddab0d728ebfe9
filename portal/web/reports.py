"""Laporan (HR)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from portal import clock
from portal.services import reports
from portal.web.core import DB, Config, hr_required, render


class ReportsHomeController(Controller):
    path = "/laporan"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config) -> Any:
        year = clock.today(settings.timezone).year
        rows = reports.jp_by_unit(db, year)
        return render(request, "reports/index.html", {"rows": rows, "year": year}, db=db)


CONTROLLERS = [ReportsHomeController]
