"""One's own account (/akun, every logged-in user): changing the password. A refused form is the form
again (422, 429 while the NIP is locked) with every message next to its field and in the summary; a
password typed is never written back into the page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post

from portal import security
from portal.i18n import _
from portal.services import accounts
from portal.services.accounts import passwords
from portal.web.auth import session_response, user_agent
from portal.web.core import DB, Config, FormData, User, render
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


CONTROLLERS = [PasswordController]
