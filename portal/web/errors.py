"""The error pages (401 sends to the login page; 403, 404, 405, 413, other 4xx, 500) and what people see
while the database cannot answer (PostgreSQL down or restarting, a SQLite file locked beyond the busy
timeout): 503 with a short explanation, a full page for a normal request and a message for the page's flash
area for an htmx request. Registered as exception handlers (portal/app.py), so the normal path pays nothing;
the portal recovers by itself when the database is back (the pool's pre-ping replaces dead connections,
portal.db.make_engine). docs/operations.md, "Database outage"."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.response import Redirect
from litestar.types import Scope
from sqlalchemy import exc as sa_exc

from portal.db import dialect
from portal.i18n import _
from portal.web.core import CSRF_REFUSED, is_htmx, loggable_path, render, safe_next, wants_fragment

log = logging.getLogger("portal")

# the exception classes the outage handler is registered for (portal/app.py); `dialect.unavailable` decides
DATABASE_EXCEPTIONS = (sa_exc.OperationalError, sa_exc.DisconnectionError, sa_exc.TimeoutError)
RETRY_AFTER_SECONDS = 10


def error_page(request: Request, status: int, title: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """The error page, or for an htmx request that wants a fragment the error partial; plain text when
    even rendering fails."""
    template = "partials/_error.html" if wants_fragment(request) else "errors/error.html"
    try:
        context = {"status": status, "title": title, "message": message}
        return render(request, template, context, status_code=status, headers=headers)
    except Exception:
        return Response(content=f"{status} {title}", status_code=status, media_type="text/plain")


def logged_path(scope: Scope) -> str:
    """The path an error log line names: survey routes as their template, never an invitation."""
    return loggable_path(scope)[0] or "/survei/{invitation_id}/kirim"


def not_authorized_handler(request: Request, _exc: Exception) -> Response:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    if is_htmx(request):
        path = request.headers.get("hx-current-url") or path
        path = safe_next(urlsplit(path).path + (("?" + urlsplit(path).query) if urlsplit(path).query else ""))
    target = "/login" if path in ("/", "") else f"/login?next={quote(path, safe='/')}"
    if is_htmx(request):
        return Response(content="", status_code=401, headers={"HX-Redirect": target})
    return Redirect(path=target, status_code=303)


def permission_denied_handler(request: Request, exc: PermissionDeniedException) -> Response:
    detail = exc.detail or ""
    if "CSRF" in detail:
        message = _(CSRF_REFUSED)
    elif detail and detail != "Forbidden":
        message = detail
    else:
        message = _("Anda tidak memiliki akses ke halaman ini.")
    return error_page(request, 403, _("Akses ditolak"), message)


def not_found_handler(request: Request, exc: NotFoundException) -> Response:
    detail = exc.detail if exc.detail and exc.detail != "Not Found" else _("Halaman atau data yang Anda cari tidak ada.")
    return error_page(request, 404, _("Tidak ditemukan"), detail)


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status == 405:
        return error_page(request, 405, _("Metode tidak diizinkan"), _("Permintaan ini tidak didukung."))
    if status == 413:
        return error_page(request, 413, _("Berkas terlalu besar"), _("Berkas yang dikirim terlalu besar. Bagi menjadi beberapa berkas yang lebih kecil."))
    if 400 <= status < 500:
        detail = exc.detail if exc.detail and not exc.detail.startswith(("Validation failed", "Bad Request")) else None
        return error_page(request, status, _("Permintaan tidak valid"), detail or _("Data yang dikirim tidak valid."))
    log.exception("HTTP error %s on %s", status, logged_path(request.scope), exc_info=exc)
    return error_page(request, status, _("Terjadi kesalahan"), _("Maaf, terjadi kesalahan pada server. Coba lagi sebentar lagi."))


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("Unhandled error on %s", logged_path(request.scope), exc_info=exc)
    return error_page(
        request, 500, _("Terjadi kesalahan"), _("Maaf, terjadi kesalahan pada server. Jawaban Anda yang sudah tersimpan tidak hilang.")
    )


def database_unavailable_handler(request: Request, exc: Exception) -> Response:
    if not dialect.unavailable(exc):
        return internal_error_handler(request, exc)
    # never the statement or its parameters (answers); survey routes as their template
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    log.warning("Database unavailable on %s: %s", logged_path(request.scope), reason[0][:200] if reason else type(exc).__name__)
    title = _("Layanan sedang terganggu")
    message = _(
        "Basis data portal sedang tidak dapat dihubungi. Data yang sudah tersimpan tetap aman, tetapi perubahan "
        "terakhir Anda mungkin belum tersimpan. Coba lagi dalam beberapa menit."
    )
    headers = {"retry-after": str(RETRY_AFTER_SECONDS)}
    if wants_fragment(request):
        # into the page's flash area, whatever the request targeted (an autosave's save status stays)
        headers.update({"hx-retarget": "#flash-area", "hx-reswap": "innerHTML"})
    return error_page(request, 503, title, message, headers)
