"""One's own account (/akun): changing the password (logged in), and the language switch of the footer
(/akun/bahasa, also before login: then remembered in a cookie instead of on the account). A refused form is the form
again (422, 429 while the NIP is locked) with every message next to its field and in the summary; a
password typed is never written back into the page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie

from portal import i18n, security
from portal.i18n import _
from portal.services import accounts
from portal.services.accounts import passwords, preferences
from portal.web.auth import session_response, user_agent
from portal.web.core import DB, LOCALE_COOKIE, Config, FormData, User, first_value, flash, redirect, render, safe_next
from portal.web.middleware import client_address

FIELDS = ("current", "new", "repeat")  # the form's fields, in the order of the page (error summary)


def _page(request: Request, errors: dict[str, str], *, db: Any = None, status_code: int = 200) -> Any:
    ordered = {k: errors[k] for k in FIELDS if k in errors}
    ctx = {"errors": ordered, "min_length": passwords.MIN_LENGTH}
    return render(request, "account/password.html", ctx, db=db, status_code=status_code)


class PasswordController(Controller):
    path = "/akun/sandi"

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB) -> Any:
        return _page(request, {}, db=db)

    @post(sync_to_thread=True)
    def change(self, request: Request, db: DB, user: User, settings: Config, data: FormData) -> Any:
        ip = client_address(request.scope, settings)
        outcome = passwords.change_password(db, settings, user.id, data, ip, user_agent(request))
        if outcome.token is None:
            return _page(request, outcome.errors, status_code=outcome.status)
        accounts.set_flash(db, security.session_key(outcome.token), _("Kata sandi Anda sudah diganti. Sesi lain di perangkat lain telah diakhiri."))
        db.commit()
        return session_response(request, settings, outcome.token, "/")


class LanguageController(Controller):
    path = "/akun/bahasa"

    @post(sync_to_thread=True, opt={"public": True})
    def switch(self, request: Request, db: DB, settings: Config, data: FormData) -> Any:
        """The footer's switch: remembered on the account (and its e-mails), or before login in a cookie;
        back to the page it was used on."""
        locale = i18n.supported(first_value(data.get("locale")))
        back = safe_next(first_value(data.get("next")))
        user = request.scope.get("user")
        if locale is None:
            return redirect(request, back)
        if user is None:
            response = redirect(request, back)
            response.cookies.append(Cookie(key=LOCALE_COOKIE, value=locale, path="/", max_age=365 * 86400,
                                       secure=settings.secure_cookies, httponly=True, samesite="lax"))
            return response
        preferences.set_locale(db, user.id, locale)
        with i18n.use_locale(locale):
            flash(db, user, _("Bahasa portal diganti ke %(language)s.") % {"language": i18n.LOCALE_NAMES[locale]})
        return redirect(request, back)


CONTROLLERS = [PasswordController, LanguageController]
