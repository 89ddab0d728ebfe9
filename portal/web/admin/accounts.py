"""Accounts (/admin/akun, administrators only): the list with search and role filter, the locked NIPs,
one account with its roles, state, login failures and active sessions. Changes are plain POST forms that
redirect to the account's page with a message; the steps that cannot be taken back (revoking a role,
granting the admin role, switching an account off, ending sessions) ask first on a page of their own; a
change the rules refuse (the last active administrator, one's own account) is the account's page again
with the reason (409). Every change is audited by the service (portal.services.accounts.admin)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal.i18n import N_, _
from portal.models import utcnow
from portal.services.accounts import admin
from portal.web.core import (
    DB,
    Config,
    FormData,
    User,
    admin_required,
    first_value,
    flash,
    positive_int,
    query_id,
    redirect,
    render,
    render_page_or_fragment,
)

BASE = "/admin/akun"
CONFIRMED = "ya"
ROLE_NAMES = {"hr": N_("BKPSDM"), "admin": N_("administrator")}
FILTER_LABELS = {
    "semua": N_("Semua akun"),
    "admin": N_("Administrator"),
    "hr": N_("BKPSDM"),
    "nonaktif": N_("Akun mati atau pegawai nonaktif"),
    "tanpa-sandi": N_("Belum aktivasi"),
}
REFUSALS = {
    "last_admin": N_("Ini satu-satunya administrator yang aktif. Jadikan orang lain administrator lebih dulu."),
    "self": N_("Anda tidak dapat mematikan akun Anda sendiri."),
}


def _account_or_404(db: Any, settings: Any, user: Any, account_id: int) -> admin.Account:
    found = admin.account(db, settings, account_id, user.session_key)
    if found is None:
        raise NotFoundException()
    return found


def _account_page(request: Request, db: Any, settings: Any, user: Any, account_id: int, error: str | None = None) -> Any:
    found = _account_or_404(db, settings, user, account_id)
    ctx = {"account": found, "error": error, "now": utcnow(), "max_failures": settings.login_max_failures}
    return render(request, "admin/accounts/show.html", ctx, db=None if error else db, status_code=409 if error else 200)


def _incomplete(request: Request) -> Any:
    message = _("Formulir tidak lengkap. Kembali ke halaman akun dan pilih tindakan dari sana.")
    return render(request, "errors/error.html", {"status": 422, "title": _("Permintaan tidak lengkap"), "message": message}, status_code=422)


def _confirm(request: Request, found: admin.Account, action: str, fields: dict[str, str], question: str, consequence: str, button: str) -> Any:
    ctx = {"account": found, "action": action, "fields": fields, "question": question, "consequence": consequence, "button": button}
    return render(request, "admin/accounts/confirm.html", ctx)


class AccountController(Controller):
    path = BASE
    guards = [admin_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config, q: FromQuery[str] = "", peran: FromQuery[str] = "semua",
              hal: FromQuery[str] = "1") -> Any:
        q = q.strip()[:100]
        role = peran if peran in admin.ROLE_FILTERS else "semua"
        ctx = {"result": admin.list_accounts(db, q, role, positive_int(hal)), "q": q, "peran": role, "filters": admin.ROLE_FILTERS,
               "filter_labels": {k: _(v) for k, v in FILTER_LABELS.items()}, "locked": admin.locked_nips(db, settings)}
        return render_page_or_fragment(request, "admin/accounts/index.html", "admin/accounts/_list.html", ctx, db=db)

    @post("/buka-kunci", sync_to_thread=True)
    def unlock(self, request: Request, db: DB, user: User, data: FormData) -> Any:
        nip = first_value(data.get("nip")).strip()
        if not nip:
            return _incomplete(request)
        cleared = admin.unlock(db, user.id, nip)
        if cleared:
            flash(db, user, _("NIP %(nip)s dibuka: %(n)s percobaan gagal dihapus.") % {"nip": nip, "n": cleared})
        else:
            flash(db, user, _("NIP %(nip)s tidak sedang terkunci.") % {"nip": nip}, "info")
        back = query_id(data.get("kembali"))
        return redirect(request, f"{BASE}/{back}" if back else BASE)

    @get("/{account_id:int}", sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, account_id: FromPath[int]) -> Any:
        return _account_page(request, db, settings, user, account_id)

    @post("/{account_id:int}/peran", sync_to_thread=True)
    def role(self, request: Request, db: DB, user: User, settings: Config, account_id: FromPath[int], data: FormData) -> Any:
        role, action = first_value(data.get("peran")), first_value(data.get("aksi"))
        if role not in admin.ROLES or action not in ("beri", "cabut"):
            return _incomplete(request)
        found = _account_or_404(db, settings, user, account_id)
        grant = action == "beri"
        name = _(ROLE_NAMES[role])
        if (not grant or role == "admin") and first_value(data.get("konfirmasi")) != CONFIRMED:
            if grant:
                question = _("Jadikan %(who)s administrator?") % {"who": found.name}
                consequence = _("Administrator dapat mengelola semua akun, termasuk memberi dan mencabut peran.")
            else:
                question = _("Cabut peran %(role)s dari %(who)s?") % {"role": name, "who": found.name}
                consequence = _("Ia tidak lagi dapat membuka halaman peran ini sejak permintaan berikutnya.")
                if account_id == user.id:
                    consequence = _("Ini akun Anda sendiri: Anda akan kehilangan akses ke halaman peran ini.")
            button = _("Ya, jadikan administrator") if grant else _("Ya, cabut peran")
            return _confirm(request, found, f"{BASE}/{account_id}/peran", {"peran": role, "aksi": action}, question, consequence, button)
        outcome = admin.set_role(db, user.id, account_id, role, grant)
        if outcome in REFUSALS:
            return _account_page(request, db, settings, user, account_id, _(REFUSALS[outcome]))
        if outcome == "ok":
            message = _("Peran %(role)s diberikan kepada %(who)s.") if grant else _("Peran %(role)s dicabut dari %(who)s.")
            flash(db, user, message % {"role": name, "who": found.name})
        if account_id == user.id and not grant and role == "admin":
            return redirect(request, "/")
        return redirect(request, f"{BASE}/{account_id}")

    @post("/{account_id:int}/status", sync_to_thread=True)
    def state(self, request: Request, db: DB, user: User, settings: Config, account_id: FromPath[int], data: FormData) -> Any:
        action = first_value(data.get("aksi"))
        if action not in ("matikan", "hidupkan"):
            return _incomplete(request)
        found = _account_or_404(db, settings, user, account_id)
        disable = action == "matikan"
        if disable and account_id != user.id and first_value(data.get("konfirmasi")) != CONFIRMED:
            question = _("Matikan akun %(who)s?") % {"who": found.name}
            consequence = _("Ia tidak dapat masuk lagi, semua sesinya berakhir dan tautan aktivasinya yang belum dipakai tidak berlaku. "
                            "Data pegawainya tetap ada. Akun dapat dihidupkan kembali kapan saja.")
            return _confirm(request, found, f"{BASE}/{account_id}/status", {"aksi": action}, question, consequence, _("Ya, matikan akun"))
        outcome = admin.set_disabled(db, user.id, account_id, disable)
        if outcome in REFUSALS:
            return _account_page(request, db, settings, user, account_id, _(REFUSALS[outcome]))
        if outcome == "ok":
            message = _("Akun %(who)s dimatikan.") if disable else _("Akun %(who)s dihidupkan kembali.")
            flash(db, user, message % {"who": found.name})
        return redirect(request, f"{BASE}/{account_id}")

    @post("/{account_id:int}/sesi", sync_to_thread=True)
    def end_sessions(self, request: Request, db: DB, user: User, settings: Config, account_id: FromPath[int], data: FormData) -> Any:
        which = first_value(data.get("sesi"))
        if not which:
            return _incomplete(request)
        found = _account_or_404(db, settings, user, account_id)
        if first_value(data.get("konfirmasi")) != CONFIRMED:
            if which == "semua":
                question = _("Akhiri semua sesi %(who)s?") % {"who": found.name}
            else:
                question = _("Akhiri sesi ini?")
            consequence = _("Perangkat yang memakai sesi itu harus masuk lagi dengan NIP dan kata sandi.")
            return _confirm(request, found, f"{BASE}/{account_id}/sesi", {"sesi": which}, question, consequence, _("Ya, akhiri sesi"))
        ended = admin.end_sessions(db, user.id, account_id, None if which == "semua" else which[:40], user.session_key)
        if ended:
            flash(db, user, _("%(n)s sesi %(who)s diakhiri.") % {"n": ended, "who": found.name})
        else:
            flash(db, user, _("Tidak ada sesi yang diakhiri (sesi itu sudah berakhir, atau sesi Anda sendiri: pakai Keluar)."), "info")
        return redirect(request, f"{BASE}/{account_id}")

