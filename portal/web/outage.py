"""What people see while the database cannot answer (PostgreSQL down or restarting, a SQLite file locked
beyond the busy timeout): 503 with a short explanation, a full page for a normal request and a message for
the page's flash area for an htmx request. Registered as an exception handler (portal/app.py), so the
normal path pays nothing; the portal recovers by itself when the database is back (the pool's pre-ping
replaces dead connections, portal.db.make_engine). docs/operations.md, "Database outage"."""

from __future__ import annotations

import logging

from litestar import Request, Response
from sqlalchemy import exc as sa_exc

from portal.db import dialect
from portal.i18n import _
from portal.web import core

log = logging.getLogger("portal")

# the exception classes the handler is registered for (portal/app.py); `dialect.unavailable` decides
EXCEPTIONS = (sa_exc.OperationalError, sa_exc.DisconnectionError, sa_exc.TimeoutError)
RETRY_AFTER_SECONDS = 10


def database_unavailable_handler(request: Request, exc: Exception) -> Response:
    if not dialect.unavailable(exc):
        return core.internal_error_handler(request, exc)
    # never the statement or its parameters (answers); survey routes as their template
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    path = core.loggable_path(request.scope)[0] or "/survei/{invitation_id}/kirim"
    log.warning("Database unavailable on %s: %s", path, reason[0][:200] if reason else type(exc).__name__)
    context = {
        "status": 503,
        "title": _("Layanan sedang terganggu"),
        "message": _(
            "Basis data portal sedang tidak dapat dihubungi. Data yang sudah tersimpan tetap aman, tetapi perubahan "
            "terakhir Anda mungkin belum tersimpan. Coba lagi dalam beberapa menit."
        ),
    }
    headers = {"retry-after": str(RETRY_AFTER_SECONDS)}
    if core.wants_fragment(request):
        # into the page's flash area, whatever the request targeted (an autosave's save status stays)
        headers.update({"hx-retarget": "#flash-area", "hx-reswap": "innerHTML"})
        return core.render(request, "partials/_error.html", context, status_code=503, headers=headers)
    return core.render(request, "errors/error.html", context, status_code=503, headers=headers)
