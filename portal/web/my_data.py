"""Data Saya (/data-saya, every logged-in employee; service: `portal.services.privacy`): everything the
portal holds about the user, its JSON and XLSX downloads, and the form to ask HR for a correction.

No route here takes an id: whose data is read comes from the session only (`_me`), so nobody can ask for
anyone else's (tests/test_my_data.py tries). The downloads are audited as the user's own act."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Stream

from portal import clock
from portal.i18n import _
from portal.models import CORRECTION_SECTIONS, utcnow
from portal.services.accounts import CurrentUser
from portal.services.privacy import Me, corrections, my_data
from portal.services.privacy._types import CORRECTION_SECTION
from portal.services.reports import exports
from portal.settings import Settings
from portal.web.audit_labels import action_label
from portal.web.core import (
    DB,
    Config,
    FormData,
    User,
    flash,
    redirect,
    render,
    wants_fragment,
)

BASE = "/data-saya"
MEDIA = {"json": "application/json", "xlsx": exports.XLSX_MEDIA_TYPE}


def cell_kind(value: Any) -> str:
    """How a template writes a value of Data Saya (templates/my_data/_section.html)."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, int):
        return "number"
    if isinstance(value, (float, Decimal)):
        return "decimal"
    return "text"


def _me(user: CurrentUser) -> Me:
    """Whose data: the logged-in user, always."""
    return Me(user.id, user.nip)


def _page(request: Request, db: DB, user: CurrentUser, settings: Settings, form: Any = None, errors: dict[str, str] | None = None,
          status_code: int = 200) -> Any:
    """The page, or (an htmx post of the correction form) the form alone."""
    ctx: dict[str, Any] = {
        "form": form or corrections.CorrectionForm(),
        "errors": errors or {},
        "sections": [(key, _(CORRECTION_SECTION[key])) for key in CORRECTION_SECTIONS],
    }
    if wants_fragment(request):
        return render(request, "my_data/_correction_form.html", ctx, status_code=status_code)
    ctx |= {
        "data": my_data.my_data(db, _me(user), action_label),
        "caps": my_data.PAGE_CAPS,
        "anonymous_note": _(my_data.ANONYMOUS_NOTE),
        "retention": settings,
        "cell_kind": cell_kind,
    }
    return render(request, "my_data/index.html", ctx, db=db if status_code == 200 else None, status_code=status_code)


class MyDataController(Controller):
    path = BASE

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config) -> Any:
        return _page(request, db, user, settings)

    @get("/unduh/{fmt:str}", sync_to_thread=True)
    def download(self, request: Request, db: DB, user: User, settings: Config, fmt: FromPath[str]) -> Stream:
        """All of it, as JSON or XLSX (a sheet per section), streamed."""
        if fmt not in my_data.FORMATS:
            raise NotFoundException()
        me = _me(user)
        my_data.record_download(db, me, fmt)
        engine, now = request.app.state.engine, utcnow()
        writer = my_data.json_chunks if fmt == "json" else my_data.xlsx_chunks
        name = exports.filename(f"data-saya-{me.nip}", fmt, clock.today(settings.timezone))
        return Stream(
            writer(engine, me, action_label, settings.timezone, now),
            media_type=MEDIA[fmt],
            headers={"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"},
        )

    @post("/koreksi", sync_to_thread=True)
    def request_correction(self, request: Request, db: DB, user: User, settings: Config, data: FormData) -> Any:
        outcome = corrections.create(db, user.id, data)
        if not outcome.ok:
            return _page(request, db, user, settings, outcome.form, outcome.errors, status_code=outcome.status)
        flash(db, user, _("Permintaan koreksi terkirim ke BKPSDM. Statusnya tampil di bagian Permintaan koreksi."))
        return redirect(request, f"{BASE}#koreksi")


CONTROLLERS = [MyDataController]
