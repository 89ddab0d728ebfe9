"""Web plumbing shared by every controller: the database dependency, guards, page rendering, redirects
and request parsing helpers (the middleware is portal.web.middleware, the error pages portal.web.errors)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncGenerator, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlsplit

import anyio.to_thread
from litestar import MediaType, Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.types import Scope
from markupsafe import Markup
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import security
from portal.db import dialect
from portal.i18n import N_, _
from portal.services import accounts
from portal.services.accounts import CurrentUser
from portal.settings import Settings
from portal.web.chrome import Chrome

access_log = logging.getLogger("portal.access")
T = TypeVar("T")

# Handler parameter types for the app-level dependencies (explicit, as Litestar 3 will require):
#   def handler(self, request: Request, db: DB, user: User, settings: Config) -> ...
DB = NamedDependency[Session]
# A url-encoded form body as a dict (multi-valued fields arrive as lists).
FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
User = NamedDependency[CurrentUser]
Config = NamedDependency[Settings]

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"
STATIC_PATH = "/static"  # where the static files router is mounted (portal/app.py)


def session_cookie_name(settings: Settings) -> str:
    return "__Host-portal_session" if settings.secure_cookies else "portal_session"


def presession_cookie_name(settings: Settings) -> str:
    """The random value the login form's CSRF token is bound to, before there is a session."""
    return "__Host-portal_login" if settings.secure_cookies else "portal_login"


def expired_cookie(name: str, settings: Settings) -> Cookie:
    """A Set-Cookie that really deletes `name`: with the attributes it was set with (a `__Host-`
    cookie is only replaced by one that is Secure, Path=/, without Domain)."""
    return Cookie(key=name, value="", path="/", max_age=0, expires=0, secure=settings.secure_cookies, httponly=True, samesite="lax")


# --------------------------------------------------------------------------- dependencies


# Returns connections of finished requests to the pool. Its own threads, never the handlers' ones:
# Litestar runs a SYNC dependency's cleanup on the handlers' executor, so under a burst larger than the
# pool every handler thread could wait for a connection that only a cleanup queued behind them would
# free (a deadlock until the pool timeout). These threads never wait for a connection themselves.
_RELEASE = ThreadPoolExecutor(max_workers=4, thread_name_prefix="db-release")


def _release(session: Session) -> None:
    session.rollback()
    session.close()


async def provide_db(state: State) -> AsyncGenerator[Session, None]:
    """A database session per request. Services commit explicitly; anything left open is rolled back.

    The session connects lazily in the handler's thread; after a commit it holds no connection and is
    closed right here, otherwise (PostgreSQL: a network round trip) the rollback runs on the release
    threads."""
    session = Session(state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction() and dialect.rollback_waits_for_the_network(state.engine.dialect.name):
            await asyncio.get_running_loop().run_in_executor(_RELEASE, _release, session)
        else:
            # nothing open, or SQLite: ending a read transaction there never waits for a lock or
            # for I/O (writes commit in the handler), so it is cheaper than a thread hop
            _release(session)


async def run_read(state: State, body: Callable[[Connection], T]) -> T:
    """Runs the read-only body of a hot page with a plain Core connection, without an ORM session, where
    `portal.db.reads` says such reads are cheapest. `body` must only read."""
    return await state.reads.run(body)


async def take_flash(state: State, user: CurrentUser) -> tuple[str, str] | None:
    """The one-shot flash message of the session, for pages that read through `run_read` (popping it
    is a write: in a worker thread, with a session of its own)."""
    if not user.has_flash:
        return None

    def pop() -> tuple[str, str] | None:
        with Session(state.engine, expire_on_commit=False) as db:
            return accounts.pop_flash(db, user.session_key)

    return await anyio.to_thread.run_sync(pop)


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_user(request: Request) -> CurrentUser:
    user = request.scope.get("user")
    if user is None:
        raise NotAuthorizedException()
    return user


# --------------------------------------------------------------------------- CSRF, logs (the middleware is in portal.web.middleware)

CSRF_REFUSED = N_("Formulir ini sudah kedaluwarsa atau tidak sah. Muat ulang halaman, lalu coba lagi.")
CSRF_FIELD = "_csrf_token"
LOCALE_COOKIE = "portal_locale"  # the language chosen before login (web/account.py); after login: the account's


HEALTH_PATH = "/healthz"  # the health check (portal.web.home), for load balancers and monitoring
SURVEY_PREFIX = "/survei"
# never logged, not even as a template: the submit of a survey (its time and order would link a
# person to an anonymous response)
UNLOGGED_TEMPLATES = frozenset({"/survei/{invitation_id}/kirim"})
# paths that carry a secret (a one-time link's code): logged as "/aktivasi/…"
SECRET_PREFIX = "/aktivasi/"


def loggable_path(scope: Scope) -> tuple[str | None, bool]:
    """The path as logs may show it, and whether it is a survey route. Survey routes appear as their
    route template (no invitation id), the submit not at all (None); a one-time link without its code."""
    path = scope.get("path", "")
    if path.startswith(SECRET_PREFIX):
        return SECRET_PREFIX + "…", False
    if path != SURVEY_PREFIX and not path.startswith(SURVEY_PREFIX + "/"):
        return path, False
    template = scope.get("path_template")
    if template in UNLOGGED_TEMPLATES or path.rstrip("/").endswith("/kirim"):
        return None, True
    return (template or SURVEY_PREFIX + "/…"), True


# --------------------------------------------------------------------------- guards
# (never name a parameter `_` here: it would hide the translation function)
# Guards are `async def`: Litestar runs a plain `def` guard in a worker thread, a thread hop per guard
# on every request (measured in the app: /healthz 0.34 -> 0.19 ms of CPU; docs/dev/performance.md).


async def hr_required(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    user = connection.scope.get("user")
    if user is None:
        raise NotAuthorizedException()
    if not user.is_hr_or_admin:
        raise PermissionDeniedException(_("Halaman ini hanya untuk petugas BKPSDM."))


async def admin_required(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    user = connection.scope.get("user")
    if user is None:
        raise NotAuthorizedException()
    if not user.is_admin:
        raise PermissionDeniedException(_("Halaman ini hanya untuk administrator."))


async def supervisor_required(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    user = connection.scope.get("user")
    if user is None:
        raise NotAuthorizedException()
    if not user.is_supervisor:
        raise PermissionDeniedException(_("Halaman ini hanya untuk atasan yang memiliki bawahan langsung."))


# --------------------------------------------------------------------------- rendering


@lru_cache(maxsize=64)
def asset_version(file_path: str) -> str:
    try:
        return hashlib.sha256((STATIC_DIR / file_path).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


@lru_cache(maxsize=64)
def static_url(file_path: str) -> str:
    """The URL of a static file with its content hash (served with a one-year immutable cache)."""
    return f"{STATIC_PATH}/{quote(file_path)}?v={asset_version(file_path)}"


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


NAV_ITEMS = (
    # (path, label, role needed, the prefix of the pages it stands for)
    ("/", "Beranda", None, "/"),
    ("/penilaian", "Penilaian Kompetensi", None, "/penilaian"),
    ("/survei", "Survei Pelatihan", None, "/survei"),
    ("/tim", "Tim Saya", "supervisor", "/tim"),
    ("/laporan", "Laporan", "hr", "/laporan"),
    ("/data-master", "Data Master", "hr", "/data-master"),
    ("/admin/akun", "Admin", "admin", "/admin"),
)


def nav_for(user: CurrentUser | None, path: str) -> list[dict[str, Any]]:
    if user is None:
        return []
    items = []
    for href, label, role, prefix in NAV_ITEMS:
        if role == "supervisor" and not user.is_supervisor:
            continue
        if role == "hr" and not user.is_hr_or_admin:
            continue
        if role == "admin" and not user.is_admin:
            continue
        current = path == href if href == "/" else (path == prefix or path.startswith(prefix + "/"))
        items.append({"href": href, "label": _(label), "current": current})
    return items


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    db: Session | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Template:
    """Render a full page (or, for a fragment template, just the fragment).

    Pops the one-shot flash message of the session when `db` is given."""
    user: CurrentUser | None = request.scope.get("user")
    ctx = dict(context or {})
    ctx.setdefault("user", user)
    ctx.setdefault("nav", nav_for(user, request.url.path))
    ctx.setdefault("here", _here(request))
    if db is not None and user is not None and user.has_flash and "flash" not in ctx:
        ctx["flash"] = accounts.pop_flash(db, user.session_key)
    ctx.setdefault("flash", None)
    token, cookies = _csrf_for_page(request, user)
    token = security.mask_token(token)  # a fresh mask per page: compressed pages never repeat the secret
    # not `csrf_input`/`csrf_token`: Litestar's template response sets those from its own CSRF middleware
    ctx["csrf_value"] = token
    ctx["csrf_field"] = Markup('<input type="hidden" name="%s" value="%s">') % (CSRF_FIELD, token)
    env = request.app.template_engine.environment()  # the request's language
    ctx["chrome"] = Chrome(env, user, ctx["nav"], ctx["csrf_field"], ctx["here"])
    hdrs = {"vary": "HX-Request, HX-Request-Type"}
    hdrs.update(headers or {})
    return Template(
        template_name=template, context=ctx, status_code=status_code, headers=hdrs, media_type=MediaType.HTML, cookies=cookies
    )


def _here(request: Request) -> str:
    """Where the footer's language switch returns to: this page; after a POST, the page the form was on."""
    if request.method == "GET":
        return safe_next(request.url.path + ("?" + request.url.query if request.url.query else ""))
    return safe_next(urlsplit(request.headers.get("referer", "/")).path)


def wants_fragment(request: Request) -> bool:
    """An htmx request that wants a fragment (a history restore asks for the full page)."""
    return is_htmx(request) and request.headers.get("hx-request-type", "partial") != "full"


def render_page_or_fragment(
    request: Request,
    page: str,
    fragment: str,
    context: dict[str, Any] | None = None,
    *,
    db: Session | None = None,
    status_code: int = 200,
) -> Template:
    """One URL, two answers: the fragment alone for an htmx swap, the page (which includes the same
    fragment) otherwise. Both carry `Vary: HX-Request, HX-Request-Type` (set by `render`), so a cache
    never serves one for the other. The flash message is popped only for the full page."""
    if wants_fragment(request):
        return render(request, fragment, context, status_code=status_code)
    return render(request, page, context, db=db, status_code=status_code)


def _csrf_for_page(request: Request, user: CurrentUser | None) -> tuple[str, list[Cookie]]:
    """The CSRF token the page's forms and htmx requests send back: derived from the session, or
    before login from the pre-session cookie (set here when missing)."""
    settings: Settings = request.app.state.settings
    if user is not None:
        return security.session_csrf_token(settings.secret_key, user.session_key), []
    name = presession_cookie_name(settings)
    value = request.cookies.get(name)
    cookies = []
    if not security.valid_presession_value(value):
        value = security.new_presession_value()
        cookies.append(Cookie(key=name, value=value, path="/", secure=settings.secure_cookies, httponly=True, samesite="lax"))
    return security.login_csrf_token(settings.secret_key, value or ""), cookies


def flash(db: Session, user: CurrentUser, message: str, kind: str = "success") -> None:
    accounts.set_flash(db, user.session_key, message, kind)
    db.commit()


def redirect(request: Request, url: str) -> Response:
    """A redirect that also works for htmx requests (HX-Redirect)."""
    if is_htmx(request):
        return Response(content="", status_code=200, headers={"HX-Redirect": url})
    return Redirect(path=url, status_code=303)


def first_value(value: Any) -> str:
    """One form/query value as text (the first when a field was sent several times)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def positive_int(value: Any, default: int = 1) -> int:
    """A page number from the query string; anything unreadable falls back to `default`, so a
    mistyped URL shows page 1 instead of an error; a huge number is capped (no database overflow)."""
    text = first_value(value).strip()
    if not (text.isascii() and text.isdigit()):
        return default
    if len(text) > 10:
        return security.MAX_DB_ID
    return min(max(1, int(text)), security.MAX_DB_ID)


def query_id(value: Any) -> int | None:
    """An id from a query (or form) value: None when it is not a number a row can have (empty,
    not digits, 0, or beyond the database's integer range), so that the caller ignores the filter
    or answers 404 instead of failing in the database."""
    text = first_value(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= security.MAX_DB_ID else None


def safe_next(url: str | None) -> str:
    """Only same-site absolute paths are followed after login."""
    if not url:
        return "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url
