"""Beranda (home) per role, and the health check."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get
from litestar.datastructures import State

from portal import clock
from portal.db import ping
from portal.services import home
from portal.web.core import DB, HEALTH_PATH, Config, User, render, run_read


class HomeController(Controller):
    path = "/"

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config) -> Any:
        today = clock.today(settings.timezone)
        data = home.employee_home(db, user.id, user.is_supervisor, today, settings.application_window_days)
        hr = None
        if user.is_hr_or_admin:
            data.tasks.extend(home.hr_tasks(db))
            hr = home.hr_counts(db, today) | home.jp_compliance_summary(db, today.year)
        return render(request, "home/index.html", {"data": data, "hr": hr, "today": today}, db=db)


HEALTHY = msgspec.json.encode({"status": "ok", "database": "ok"})
UNHEALTHY = msgspec.json.encode({"status": "error", "database": "unreachable"})


class HealthController(Controller):
    path = HEALTH_PATH
    opt = {"public": True}

    @get()
    async def health(self, state: State) -> Response:
        """Where the portal's hot reads run (portal.db.reads): on SQLite no thread hop for a `SELECT 1`."""
        try:
            ok = await run_read(state, ping)
        except Exception:  # noqa: BLE001 - any failure to reach the database is "unreachable"
            ok = False
        # the two possible bodies are constants, encoded once (no serialisation per probe)
        return Response(content=HEALTHY if ok else UNHEALTHY, media_type=MediaType.JSON, status_code=200 if ok else 503)
