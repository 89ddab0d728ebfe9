"""Login and logout."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from portal.i18n import _
from portal.services import accounts
from portal.web.core import DB, Config, is_htmx, redirect, render, safe_next, session_cookie_name

GENERIC_LOGIN_ERROR = "NIP atau kata sandi salah."


class LoginController(Controller):
    path = "/login"
    opt = {"public": True}

    @get(sync_to_thread=False)
    def show(self, request: Request, next: str | None = None, keluar: int | None = None) -> Any:  # noqa: A002
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
        ip = request.client.host if request.client else ""
        result = accounts.authenticate(db, settings, nip, password, ip)
        if not result.ok:
            if result.locked:
                message = _("Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi dalam {menit} menit.").format(
                    menit=settings.login_lock_minutes
                )
                status = 429
            else:
                message = _(GENERIC_LOGIN_ERROR)
                status = 401
            return render(
                request,
                "auth/login.html",
                {"next": next_url, "nip": nip, "errors": {"form": message}, "notice": None},
                status_code=status,
            )
        response = redirect(request, next_url)
        response.set_cookie(
            key=session_cookie_name(settings),
            value=result.token or "",
            path="/",
            httponly=True,
            secure=settings.secure_cookies,
            samesite="lax",
        )
        return response


class LogoutController(Controller):
    path = "/logout"
    opt = {"public": True}

    @post(sync_to_thread=True)
    def logout(self, request: Request, db: DB, settings: Config) -> Response:
        token = request.cookies.get(session_cookie_name(settings))
        user = request.scope.get("user")
        if user is not None:
            accounts.audit(db, user.id, "logout", f"employee:{user.id}")
        accounts.end_session(db, token)
        response = redirect(request, "/login?keluar=1")
        response.delete_cookie(session_cookie_name(settings), path="/")
        return response


__all__ = ["LoginController", "LogoutController", "is_htmx"]
