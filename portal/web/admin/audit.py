"""The audit log viewer (/admin/audit, administrators only; service: `portal.services.privacy.audit_log`):
filters in the query string (siapa, aksi, subjek, dari, sampai; page `hal`), so every view is a shareable
URL, and the streamed CSV export of what the filters select (itself audited). Read only: the log is
append-only in the application, and this controller has no route that changes or deletes an event
(tests/test_audit_log.py walks every route of the app to keep it so)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Stream

from portal import clock
from portal.services.accounts import audit
from portal.services.privacy import audit_log
from portal.services.reports import exports
from portal.web.audit_labels import action_choices, action_label
from portal.web.core import DB, Config, User, admin_required, positive_int, render

BASE = "/admin/audit"


def _filters(siapa: str | None, aksi: str | None, subjek: str | None, dari: str | None, sampai: str | None, hal: str | None = None):
    raw = {"siapa": siapa, "aksi": aksi, "subjek": subjek, "dari": dari, "sampai": sampai}
    return audit_log.parse_filters(raw, positive_int(hal))


class AuditLogController(Controller):
    path = BASE
    guards = [admin_required]

    @get(sync_to_thread=True)
    def index(
        self, request: Request, db: DB, settings: Config,
        siapa: FromQuery[str | None] = None, aksi: FromQuery[str | None] = None, subjek: FromQuery[str | None] = None,
        dari: FromQuery[str | None] = None, sampai: FromQuery[str | None] = None, hal: FromQuery[str | None] = None,
    ) -> Any:
        filters, errors, typed = _filters(siapa, aksi, subjek, dari, sampai, hal)
        page = audit_log.audit_page(db, filters, settings.timezone)
        choices = action_choices()
        if filters.action and filters.action not in {a for a, _w in choices}:
            choices.append((filters.action, filters.action))
        ctx = {
            "filters": filters,
            "typed": typed,
            "errors": errors,
            "page": page,
            "choices": choices,
            "action_label": action_label,
            "query": lambda **extra: urlencode(filters.params(**extra)),
            "retention_days": settings.audit_retention_days,
        }
        return render(request, "admin/audit.html", ctx, db=db)

    @get("/ekspor", sync_to_thread=True)
    def export(
        self, request: Request, db: DB, user: User, settings: Config,
        siapa: FromQuery[str | None] = None, aksi: FromQuery[str | None] = None, subjek: FromQuery[str | None] = None,
        dari: FromQuery[str | None] = None, sampai: FromQuery[str | None] = None,
    ) -> Stream:
        """Every event the filters select, as CSV (UTF-8 with BOM, formula-safe), streamed in batches."""
        filters, _errors, _typed = _filters(siapa, aksi, subjek, dari, sampai)
        audit(db, user.id, "audit.export", "auditlog", " ".join(f"{k}={v}" for k, v in filters.params().items()) or "semua")
        db.commit()
        headers, rows = audit_log.export(request.app.state.engine, filters, settings.timezone, action_label)
        name = exports.filename("log-audit", "csv", clock.today(settings.timezone))
        return Stream(
            exports.csv_chunks(headers, rows),
            media_type=exports.CSV_MEDIA_TYPE,
            headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"},
        )
