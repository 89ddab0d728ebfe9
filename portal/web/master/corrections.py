"""Correction requests, HR's side (/data-master/koreksi; service: `portal.services.privacy.corrections`):
the open requests as a queue (oldest first), the handled ones with their replies, and the form that marks
one handled with a reply the employee reads on Data Saya. HR corrects the data itself where it lives."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal.i18n import _
from portal.services.privacy import corrections
from portal.services.privacy._types import CORRECTION_SECTION
from portal.web.core import (
    DB,
    FormData,
    User,
    first_value,
    flash,
    hr_required,
    positive_int,
    redirect,
    render,
)

BASE = "/data-master/koreksi"


def _page(request: Request, db: Any, status: str, page: int, reply: dict[int, str] | None = None,
          errors: dict[int, str] | None = None, status_code: int = 200) -> Any:
    ctx = {
        "requests": corrections.list_requests(db, status, page),
        "section_labels": CORRECTION_SECTION,
        "reply": reply or {},
        "reply_errors": errors or {},
    }
    return render(request, "master/corrections.html", ctx, db=db if status_code == 200 else None, status_code=status_code)


class CorrectionController(Controller):
    path = BASE
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, status: FromQuery[str | None] = None, hal: FromQuery[str | None] = None) -> Any:
        return _page(request, db, status or "open", positive_int(hal))

    @post("/{request_id:int}", sync_to_thread=True)
    def close(self, request: Request, db: DB, user: User, request_id: FromPath[int], data: FormData) -> Any:
        note = first_value(data.get("catatan"))
        outcome = corrections.close(db, request_id, user.id, note)
        if outcome.status == 404:
            raise NotFoundException()
        if not outcome.ok:
            message = outcome.errors.get("catatan", "")
            return _page(request, db, "open", 1, {request_id: note}, {request_id: message}, status_code=outcome.status)
        flash(db, user, _("Permintaan koreksi ditandai selesai; balasan Anda tampil di Data Saya pegawai."))
        return redirect(request, BASE)
