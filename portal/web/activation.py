"""Getting into one's account without a password (public): a one-time link (/aktivasi/<code>, or the code
typed at /aktivasi) sets the password and logs the person in; /lupa-sandi asks for such a link by e-mail.

Every link that cannot be used (unknown, used, expired, the account switched off) gets the same page
with 404, and the forgotten-password form the same answer whatever the NIP: neither tells whether a NIP
or an e-mail address exists. The code never reaches a log (portal.web.core.loggable_path)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath, FromQuery

from portal import security
from portal.i18n import _
from portal.services import accounts
from portal.services.accounts import activation, passwords, tokens
from portal.web.auth import session_response, user_agent
from portal.web.core import DB, Config, FormData, redirect, render, session_cookie_name
from portal.web.middleware import client_address

BASE = "/aktivasi"
FIELDS = ("new", "repeat")


def _invalid(request: Request) -> Any:
    return render(request, "activation/invalid.html", {}, status_code=404)


def _form(request: Request, info: tokens.LinkInfo, code: str, errors: dict[str, str], status_code: int = 200) -> Any:
    ctx = {"info": info, "code": code, "errors": {k: errors[k] for k in FIELDS if k in errors}, "min_length": passwords.MIN_LENGTH}
    return render(request, "activation/form.html", ctx, status_code=status_code)


class ActivationController(Controller):
    path = BASE
    opt = {"public": True}

    @get(sync_to_thread=False)
    def enter_code(self, request: Request, kode: FromQuery[str] = "") -> Any:
        """The form to type a code from a hand-out; with `kode` it goes to that code's page."""
        code = tokens.normalise_code(kode) if kode else None
        if code is not None:
            return redirect(request, f"{BASE}/{tokens.shown_code(code)}")
        error = _("Kode terdiri atas 20 huruf dan angka, misalnya K7QM-3XRT-9D2F-HV6B-1NCP. Periksa lagi kode Anda.") if kode else None
        return render(request, "activation/code.html", {"kode": kode[:60], "error": error}, status_code=422 if error else 200)

    @get("/{code:str}", sync_to_thread=True)
    def show(self, request: Request, db: DB, code: FromPath[str]) -> Any:
        info = tokens.find(db, code)
        if info is None:
            return _invalid(request)
        return _form(request, info, code, {})

    @post("/{code:str}", sync_to_thread=True)
    def set_password(self, request: Request, db: DB, settings: Config, code: FromPath[str], data: FormData) -> Any:
        outcome = tokens.use(db, settings, code, data, client_address(request.scope, settings), user_agent(request))
        if outcome.info is None:
            return _invalid(request)
        if outcome.token is None:
            return _form(request, outcome.info, code, outcome.errors, status_code=422)
        # whoever was logged in in this browser before is logged out: the link's person is now
        accounts.end_session(db, request.cookies.get(session_cookie_name(settings)))
        welcome = _("Kata sandi Anda sudah dibuat. Selamat datang di Portal Kompetensi ASN.")
        if outcome.info.purpose == "reset":
            welcome = _("Kata sandi baru Anda sudah disimpan. Sesi lain di perangkat lain telah diakhiri.")
        accounts.set_flash(db, security.session_key(outcome.token), welcome)
        db.commit()
        return session_response(request, settings, outcome.token, "/")


class ForgottenPasswordController(Controller):
    path = "/lupa-sandi"
    opt = {"public": True}

    @get(sync_to_thread=False)
    def show(self, request: Request, settings: Config) -> Any:
        return render(request, "activation/forgot.html", {"mail": activation.mail_enabled(settings), "nip": "", "errors": {}, "done": False})

    @post(sync_to_thread=True)
    def submit(self, request: Request, db: DB, settings: Config, data: FormData) -> Any:
        mail = activation.mail_enabled(settings)
        nip = activation.clean_nip(str(data.get("nip") or ""))
        if mail and not nip:
            errors = {"nip": _("Masukkan NIP Anda (18 digit).")}
            return render(request, "activation/forgot.html", {"mail": mail, "nip": "", "errors": errors, "done": False}, status_code=422)
        result = activation.request_reset(db, settings, nip, client_address(request.scope, settings)) if mail else None
        if result is not None and result.throttled:
            errors = {"form": _("Terlalu banyak permintaan. Coba lagi satu jam lagi, atau hubungi BKPSDM.")}
            return render(request, "activation/forgot.html", {"mail": mail, "nip": nip, "errors": errors, "done": False}, status_code=429)
        page = render(request, "activation/forgot.html", {"mail": mail, "nip": "", "errors": {}, "done": mail})
        if result is not None and result.link is not None:
            # after the answer has gone: the answer's timing must not tell that an e-mail exists
            page.background = BackgroundTask(activation.send_links, settings, [result.link])
        return page


CONTROLLERS = [ActivationController, ForgottenPasswordController]
