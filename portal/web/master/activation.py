"""One-time links for HR (BKPSDM) and admins: for one person from their Data Master page
(/data-master/pegawai/{id}/aktivasi: activation without a password, reset with one), or for everyone of a
unit who has no password yet (/data-master/aktivasi). The codes exist only in the answer to the POST (the
database keeps their hashes): a printable list, or the same as CSV; e-mailed too when e-mail is on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from portal.i18n import N_, _, format_datetime
from portal.services.accounts import activation, tokens
from portal.services.master import units
from portal.services.reports.exports import CSV_MEDIA_TYPE, csv_chunks
from portal.settings import Settings
from portal.web.core import DB, Config, FormData, User, first_value, hr_required, query_id, render

CSV_HEADERS = ("Unit kerja", "NIP", "Nama", "Email", "Jenis", "Kode", "Tautan", "Berlaku sampai")
PURPOSE_WORDS = {"activation": N_("Aktivasi"), "reset": N_("Atur ulang kata sandi")}


def site_url(request: Request, settings: Any) -> str:
    """The portal's address for printed links: PORTAL_BASE_URL when it is set, else the address HR's own
    browser used (HR reads the page; no e-mail is built from it)."""
    if settings.base_url != Settings.base_url or settings.smtp_configured:
        return settings.base_url
    scheme = "https" if settings.secure_cookies else request.url.scheme
    return f"{scheme}://{request.url.netloc}"


def _links_page(request: Request, settings: Any, links: list[tokens.IssuedLink], sent: int, unit: str | None) -> Any:
    ctx = {"links": links, "sent": sent, "unit": unit, "site": site_url(request, settings), "mail": activation.mail_enabled(settings)}
    return render(request, "master/activation_links.html", ctx)


def _csv(request: Request, settings: Any, links: list[tokens.IssuedLink], stamp: datetime) -> Stream:
    site = site_url(request, settings)
    rows = (
        (link.unit or "", link.nip, link.name, link.email or "", PURPOSE_WORDS[link.purpose], link.code, activation.link_url(site, link.code),
         format_datetime(link.expires_at, settings.locale, settings.timezone))
        for link in links
    )
    name = f"tautan-aktivasi-{stamp:%Y%m%d-%H%M}.csv"
    # the content type is set as a header too: a handler annotated `-> Any` would otherwise answer JSON's
    headers = {"content-disposition": f'attachment; filename="{name}"', "content-type": f"{CSV_MEDIA_TYPE}; charset=utf-8"}
    return Stream(csv_chunks(CSV_HEADERS, rows), status_code=200, media_type=CSV_MEDIA_TYPE, headers=headers)


class PersonLinkController(Controller):
    path = "/data-master/pegawai/{employee_id:int}/aktivasi"
    guards = [hr_required]

    @post(sync_to_thread=True)
    def issue(self, request: Request, db: DB, user: User, settings: Config, employee_id: FromPath[int]) -> Any:
        link = tokens.issue_for_person(db, user.id, user.is_admin, employee_id)
        if link == "not_found":
            raise NotFoundException()
        if link == "admin_only":
            raise PermissionDeniedException(_("Tautan untuk akun administrator hanya dapat dibuat oleh administrator."))
        if isinstance(link, str):
            message = _("Akun ini tidak dapat masuk (pegawai nonaktif atau akunnya dimatikan admin), jadi tidak dibuatkan tautan.")
            return render(request, "errors/error.html", {"status": 409, "title": _("Tautan tidak dibuat"), "message": message}, status_code=409)
        sent = activation.send_links(settings, [link])
        return _links_page(request, settings, [link], sent, None)


class UnitLinksController(Controller):
    path = "/data-master/aktivasi"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, settings: Config, unit: FromQuery[str] = "", sub: FromQuery[str] = "1") -> Any:
        return self._form(request, db, settings, query_id(unit), sub != "0", None)

    def _form(self, request: Request, db: Any, settings: Any, unit_id: int | None, with_sub: bool, error: str | None) -> Any:
        tree = units.tree(db)
        chosen = tree.by_id.get(unit_id) if unit_id else None
        counts = activation.unit_candidates(db, self._unit_ids(tree, chosen.id, with_sub)) if chosen else None
        ctx = {"units": tree.options(), "unit": chosen, "sub": with_sub, "counts": counts, "error": error,
               "mail": activation.mail_enabled(settings), "days": tokens.LINK_DAYS}
        return render(request, "master/activation.html", ctx, db=db, status_code=422 if error else 200)

    @staticmethod
    def _unit_ids(tree: units.UnitTree, unit_id: int, with_sub: bool) -> list[int]:
        return sorted({unit_id} | (tree.below(unit_id) if with_sub else set()))

    @post(sync_to_thread=True)
    def issue(self, request: Request, db: DB, user: User, settings: Config, data: FormData) -> Any:
        unit_id = query_id(data.get("unit"))
        with_sub = first_value(data.get("sub")) == "1"
        tree = units.tree(db)
        if unit_id is None or unit_id not in tree.by_id:
            return self._form(request, db, settings, None, with_sub, _("Pilih unit kerja dari daftar."))
        stamp = datetime.now().astimezone()
        links = activation.issue_for_units(db, user.id, user.is_admin, self._unit_ids(tree, unit_id, with_sub))
        if links is None:
            message = _("Terlalu banyak pegawai sekaligus (lebih dari %(n)s). Pilih unit yang lebih kecil.") % {"n": activation.MAX_PER_ISSUE}
            return self._form(request, db, settings, unit_id, with_sub, message)
        if not links:
            return self._form(request, db, settings, unit_id, with_sub, _("Semua pegawai di unit ini sudah memiliki kata sandi. Tidak ada tautan yang dibuat."))
        sent = activation.send_links(settings, links)
        if first_value(data.get("format")) == "csv":
            return _csv(request, settings, links, stamp)
        return _links_page(request, settings, links, sent, tree.by_id[unit_id].name)

