"""The ASGI layers around the routes: the session and CSRF check (auth middleware, inside Litestar's
routing) and the outermost wrapper (security headers, no `server` banner, the access log)."""

from __future__ import annotations

import time
from typing import Any

import anyio.to_thread
from litestar import Request
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.engine import Engine

from portal import i18n, security
from portal.i18n import _
from portal.services import accounts
from portal.services.accounts import CurrentUser
from portal.settings import Settings
from portal.web.core import (
    CSRF_FIELD,
    CSRF_REFUSED,
    HEALTH_PATH,
    LOCALE_COOKIE,
    STATIC_PATH,
    access_log,
    loggable_path,
    presession_cookie_name,
    run_read,
    session_cookie_name,
)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "x-csrftoken"


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name:
                    return v
    return None


def client_address(scope: Scope, settings: Settings) -> str:
    """The client's address for throttling and logs: the peer, or X-Forwarded-For behind a trusted
    proxy (PORTAL_TRUSTED_PROXIES; see portal.security.client_ip)."""
    client = scope.get("client")
    peer = client[0] if client else ""
    if not settings.trusted_proxies:
        return peer
    forwarded = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-forwarded-for"]
    return security.client_ip(peer, forwarded, settings.trusted_proxies)


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == name), None)


def request_locale(scope: Scope, settings: Settings, user: CurrentUser | None) -> str:
    """The language of a request: the one chosen on the account; before login the one chosen with the
    switch (a cookie), else the browser's (Accept-Language); else the portal's default (PORTAL_LOCALE)."""
    if user is not None:
        return i18n.supported(user.locale) or i18n.supported(settings.locale) or i18n.DEFAULT_LOCALE
    chosen = i18n.supported(_cookie(scope, LOCALE_COOKIE))
    return chosen or i18n.negotiate(_header(scope, b"accept-language"), settings.locale)


def auth_middleware(app: ASGIApp) -> ASGIApp:
    """Resolve the session cookie into `scope["user"]` (a CurrentUser or None), then refuse an unsafe
    request without the CSRF token of its session (or, before login, of its pre-session cookie) and a
    path id no row can have (404)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["user"] = None
            path = scope.get("path", "")
            if not path.startswith(STATIC_PATH + "/"):
                litestar_app = scope["litestar_app"]
                settings: Settings = litestar_app.state.settings
                token = _cookie(scope, session_cookie_name(settings))
                if token:
                    state: State = litestar_app.state
                    user, upkeep = await run_read(state, lambda conn: accounts.read_session(conn, settings, token))
                    if upkeep:  # a write (at most once a minute per session): it may wait for a lock
                        await anyio.to_thread.run_sync(_keep_session, state.engine, token, upkeep)
                    scope["user"] = user
                    scope["auth"] = token
                    # the account's language (the outer layer set the browser's); threads copy it
                    i18n.set_locale(request_locale(scope, settings, user))
                handler = scope.get("route_handler")
                opt: dict[str, Any] = handler.opt if handler is not None else {}
                if scope["user"] is None and not opt.get("public"):
                    # every page is behind login unless its handler says `opt={"public": True}`: 401 ->
                    # the login page, so that an expired session sends people to log in again. Here and
                    # not as an app-wide guard: Litestar copies the handler for each guard it calls, a
                    # cost every request paid (docs/dev/performance.md)
                    raise NotAuthorizedException()
                if scope["user"] is not None or opt.get("public"):
                    if scope.get("method") in UNSAFE_METHODS:
                        await _check_csrf(scope, receive, settings, opt)
                    _check_path_ids(scope)
        await app(scope, receive, send)

    return middleware


def expected_csrf_tokens(scope: Scope, settings: Settings, opt: dict[str, Any]) -> list[str]:
    """The tokens an unsafe request may carry: its session's; before login, its pre-session cookie's
    (the login form accepts that one even with a session, from a tab opened before logging in)."""
    tokens = []
    user: CurrentUser | None = scope.get("user")
    if user is not None:
        tokens.append(security.session_csrf_token(settings.secret_key, user.session_key))
    if user is None or opt.get("csrf") == "login":
        presession = _cookie(scope, presession_cookie_name(settings))
        if security.valid_presession_value(presession):
            tokens.append(security.login_csrf_token(settings.secret_key, presession or ""))
    return tokens


async def _check_csrf(scope: Scope, receive: Receive, settings: Settings, opt: dict[str, Any]) -> None:
    if scope.get("user") is None and opt.get("csrf") == "anonymous-ok":
        return  # nothing to protect without a session (logout)
    expected = expected_csrf_tokens(scope, settings, opt)
    given = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == CSRF_HEADER.encode()), None)
    if given is None and expected:
        # the form is parsed once: Litestar keeps it for the handler's `data`
        form = await Request(scope, receive).form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not any(security.same_token(token, given) for token in expected):
        raise PermissionDeniedException(_(CSRF_REFUSED))


def _check_path_ids(scope: Scope) -> None:
    """Every `{x:int}` path parameter is an id: one no row can have is a 404 (the normal page),
    never an overflow in the database."""
    for value in scope.get("path_params", {}).values():
        if type(value) is int and not 1 <= value <= security.MAX_DB_ID:
            raise NotFoundException()


def _keep_session(engine: Engine, token: str, upkeep: str) -> None:
    with engine.connect() as conn:
        accounts.keep_session(conn, token, upkeep)


def security_headers_middleware(app: ASGIApp, settings: Settings) -> ASGIApp:
    """The outermost wrapper: security headers on every response (also those made before routing),
    no `server` banner, and the portal's access log (logger "portal.access": method, path, status,
    duration; survey routes as route templates without the client address, the survey submit never, a
    passing health check never).
    A HEAD request is answered as its GET without the body (monitoring tools and link checkers use HEAD)."""
    extra = [(k.encode(), v.encode()) for k, v in security.SECURITY_HEADERS.items()]
    if settings.is_production or settings.secure_cookies:
        extra.append((security.HSTS_HEADER[0].encode(), security.HSTS_HEADER[1].encode()))

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        is_static = scope.get("path", "").startswith(STATIC_PATH + "/")
        status = 500
        head = scope.get("method") == "HEAD"

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                if not is_static:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # the language before anything is known of the session (404 of an unknown path, the login
        # page); the auth middleware replaces it with the account's
        locale = i18n.set_locale(request_locale(scope, settings, None))
        try:
            await app({**scope, "method": "GET"} if head else scope, receive, send_wrapper)
        finally:
            i18n.reset_locale(locale)
            if settings.access_log:
                _log_access(scope, settings, status, started)

    return middleware


def _log_access(scope: Scope, settings: Settings, status: int, started: float) -> None:
    path, is_survey = loggable_path(scope)
    if path is None or (status == 200 and path == HEALTH_PATH):
        return  # a load balancer probes /healthz every few seconds: only a failing check is news
    client = "-" if is_survey else (client_address(scope, settings) or "-")
    ms = (time.perf_counter() - started) * 1000
    access_log.info("%s %s %s %s %.1fms", client, scope.get("method", "-"), path, status, ms)
