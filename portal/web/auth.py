"""Login and logout, and the response that starts a session (also after activation or a password change)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery

from portal.i18n import N_, _
from portal.services import accounts
from portal.settings import Settings
from portal.web.core import (
    DB,
    Config,
    expired_cookie,
    is_htmx,
    presession_cookie_name,
    redirect,
    render,
    safe_next,
    session_cookie_name,
)
from portal.web.middleware import client_address

GENERIC_LOGIN_ERROR = N_("NIP atau kata sandi salah.")


def user_agent(request: Request) -> str:
    return request.headers.get("user-agent", "")[:200]


def session_response(request: Request, settings: Settings, token: str, url: str) -> Response:
    """The redirect to `url` that hands the browser a new session's cookie (after login, activation or a
    password change); the pre-session value of the login form is spent."""
    response = redirect(request, url)
    response.set_cookie(
        key=session_cookie_name(settings),
        value=token,
        path="/",
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
    )
    # the login form's token is spent: the next anonymous page gets a new pre-session value
    response.cookies.append(expired_cookie(presession_cookie_name(settings), settings))
    return response


class LoginController(Controller):
    path = "/login"
    # "csrf": "login": the login form's token (pre-session cookie) is accepted even with a session
    opt = {"public": True, "csrf": "login"}

    @get(sync_to_thread=False)
    def show(self, request: Request, next: FromQuery[str | None] = None, keluar: FromQuery[int | None] = None) -> Any:  # noqa: A002
        if request.scope.get("user") is not None:
            return redirect(request, safe_next(next))
        notice = _("Anda telah keluar.") if keluar else None
        return render(request, "auth/login.html", {"next": safe_next(next), "nip": "", "errors": {}, "notice": notice})

    @post(sync_to_thread=True)
    def submit(
        self,
        request: Request,
        db: DB,
        settings: Config,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Any:
        nip = (data.get("nip") or "").strip()
        password = data.get("password") or ""
        next_url = safe_next(data.get("next"))
        errors: dict[str, str] = {}
        if not nip:
            errors["nip"] = _("Masukkan NIP Anda (18 digit).")
        if not password:
            errors["password"] = _("Masukkan kata sandi Anda.")
        if errors:
            return render(request, "auth/login.html", {"next": next_url, "nip": nip, "errors": errors, "notice": None}, status_code=422)
        # logging in while logged in ends the session of the incoming cookie first, whatever the outcome
        old_token = request.cookies.get(session_cookie_name(settings))
        if old_token:
            accounts.end_session(db, old_token)
            request.scope["user"] = None  # the page below is the anonymous login page
        result = accounts.authenticate(db, settings, nip, password, client_address(request.scope, settings), user_agent(request))
        if not result.ok:
            if result.locked:
                message = _("Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi dalam {menit} menit.").format(
                    menit=settings.login_lock_minutes
                )
                status = 429
            else:
                message = _(GENERIC_LOGIN_ERROR)
                status = 401
            page = render(
                request,
                "auth/login.html",
                {"next": next_url, "nip": nip, "errors": {"form": message}, "notice": None},
                status_code=status,
            )
            if old_token:
                page.cookies.append(expired_cookie(session_cookie_name(settings), settings))
            return page
        return session_response(request, settings, result.token or "", next_url)


class LogoutController(Controller):
    path = "/logout"
    # "anonymous-ok": without a session (it expired) there is nothing to protect, just cookies to drop
    opt = {"public": True, "csrf": "anonymous-ok"}

    @post(sync_to_thread=True)
    def logout(self, request: Request, db: DB, settings: Config) -> Response:
        token = request.cookies.get(session_cookie_name(settings))
        user = request.scope.get("user")
        if user is not None:
            accounts.audit(db, user.id, "logout", f"employee:{user.id}")
        accounts.end_session(db, token)
        response = redirect(request, "/login?keluar=1")
        response.cookies.append(expired_cookie(session_cookie_name(settings), settings))
        response.cookies.append(expired_cookie(presession_cookie_name(settings), settings))
        return response


__all__ = ["LoginController", "LogoutController", "is_htmx", "session_response", "user_agent"]
