"""Imports of master data (/data-master/impor, HR): per kind a page with the templates, the upload form
and the history; an uploaded file becomes a preview (nothing changes yet) with every rejected row; then
"Terapkan" (all rows, or only the valid ones), "Buang" (drop the preview), or, once applied,
"Batalkan impor" after a confirmation page."""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery

from portal import clock
from portal.i18n import _
from portal.services import imports
from portal.services.imports import templates
from portal.web.core import DB, Config, FormData, User, first_value, flash, hr_required, positive_int, redirect, render

# the body a browser may send at all (the import's own limit, PORTAL_IMPORT_MAX_MB, is checked with a
# clear message on the form; above this, the 413 page)
UPLOAD_BODY_LIMIT = 64 * 1_048_576
REJECTS_PER_PAGE = 50
TEMPLATE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def _kind(slug: str) -> Any:
    kind = imports.KINDS.get(slug)
    if kind is None:
        raise NotFoundException()
    return kind


def _batch_or_404(db: Any, kind: str, batch_id: int) -> imports.BatchView:
    found = imports.batch(db, batch_id, kind)
    if found is None:
        raise NotFoundException()
    return found


class ImportController(Controller):
    path = "/data-master/impor"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Any:
        applied = imports.count_batches(db)
        kinds = [(k, applied.get(k.slug, 0)) for k in imports.KINDS.values()]
        return render(request, "master/imports/index.html", {"kinds": kinds}, db=db)

    def _kind_page(self, request: Request, db: Any, settings: Any, slug: str, error: str | None = None, status_code: int = 200) -> Any:
        kind = _kind(slug)
        ctx = {"kind": kind, "columns": kind.columns_for(db), "history": imports.history(db, slug), "error": error, "max_mb": settings.import_max_mb}
        return render(request, "master/imports/kind.html", ctx, db=db if status_code == 200 else None, status_code=status_code)

    @get("/{kind:str}", sync_to_thread=True)
    def kind_page(self, request: Request, db: DB, settings: Config, kind: FromPath[str]) -> Any:
        return self._kind_page(request, db, settings, kind)

    @get("/{kind:str}/templat/{fmt:str}", sync_to_thread=True)
    def template(self, db: DB, kind: FromPath[str], fmt: FromPath[str]) -> Response:
        _kind(kind)
        if fmt not in TEMPLATE_TYPES:
            raise NotFoundException()
        content = templates.xlsx_template(db, kind) if fmt == "xlsx" else templates.csv_template(db, kind)
        return Response(
            content, media_type=TEMPLATE_TYPES[fmt],
            headers={"content-disposition": f'attachment; filename="templat-impor-{kind}.{fmt}"', "cache-control": "no-store"},
        )

    @post("/{kind:str}", sync_to_thread=True, request_max_body_size=UPLOAD_BODY_LIMIT)
    def upload(self, request: Request, db: DB, user: User, settings: Config, kind: FromPath[str], data: Multipart) -> Any:
        _kind(kind)
        upload = data.get("berkas")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return self._kind_page(request, db, settings, kind, _("Pilih berkas .xlsx atau .csv yang akan diimpor."), 422)
        limit = settings.import_max_mb * 1_048_576
        content = upload.file.read(limit + 1)
        try:
            batch_id = imports.preview(db, kind, content, upload.filename, user.id, clock.today(settings.timezone), limit)
        except imports.ImportFileError as exc:
            db.rollback()
            return self._kind_page(request, db, settings, kind, exc.message, 422)
        return redirect(request, f"/data-master/impor/{kind}/{batch_id}")

    @get("/{kind:str}/{batch_id:int}", sync_to_thread=True)
    def show(self, request: Request, db: DB, kind: FromPath[str], batch_id: FromPath[int], hal: FromQuery[str] = "1") -> Any:
        k = _kind(kind)
        found = _batch_or_404(db, kind, batch_id)
        rejects, ignored = imports.rejected_rows(db, batch_id)
        pages = max(1, ceil(len(rejects) / REJECTS_PER_PAGE))
        page = min(positive_int(hal), pages)
        shown = rejects[(page - 1) * REJECTS_PER_PAGE : page * REJECTS_PER_PAGE]
        ctx = {"kind": k, "batch": found, "rejects": shown, "n_kept": len(rejects), "page": page, "pages": pages, "ignored": ignored}
        return render(request, "master/imports/batch.html", ctx, db=db)

    @post("/{kind:str}/{batch_id:int}/terapkan", sync_to_thread=True)
    def apply(self, request: Request, db: DB, user: User, settings: Config, kind: FromPath[str], batch_id: FromPath[int], data: FormData) -> Any:
        _kind(kind)
        _batch_or_404(db, kind, batch_id)
        only_valid = first_value(data.get("hanya_sah")) == "1"
        try:
            counts = imports.apply(db, batch_id, kind, only_valid, user.id, clock.today(settings.timezone), settings.import_max_mb * 1_048_576)
        except imports.ImportRefused as exc:
            flash(db, user, exc.message, "error")
        except imports.ImportFileError as exc:  # the stored file no longer reads (should not happen)
            db.rollback()
            flash(db, user, exc.message, "error")
        else:
            flash(db, user, _("Impor diterapkan: %(c)s baru, %(u)s diperbarui, %(s)s tidak berubah.") % {"c": counts["create"], "u": counts["update"], "s": counts["unchanged"]})
        return redirect(request, f"/data-master/impor/{kind}/{batch_id}")

    @post("/{kind:str}/{batch_id:int}/buang", sync_to_thread=True)
    def discard(self, request: Request, db: DB, user: User, kind: FromPath[str], batch_id: FromPath[int]) -> Any:
        _kind(kind)
        _batch_or_404(db, kind, batch_id)
        if imports.discard(db, batch_id, kind, user.id):
            flash(db, user, _("Pratinjau impor dibuang; tidak ada data yang berubah."), "info")
        return redirect(request, f"/data-master/impor/{kind}")

    @get("/{kind:str}/{batch_id:int}/batalkan", sync_to_thread=True)
    def confirm_undo(self, request: Request, db: DB, kind: FromPath[str], batch_id: FromPath[int]) -> Any:
        k = _kind(kind)
        found = _batch_or_404(db, kind, batch_id)
        problem = imports.undo_problem(db, batch_id, kind)
        return render(request, "master/imports/undo.html", {"kind": k, "batch": found, "problem": problem}, db=db)

    @post("/{kind:str}/{batch_id:int}/batalkan", sync_to_thread=True)
    def undo(self, request: Request, db: DB, user: User, settings: Config, kind: FromPath[str], batch_id: FromPath[int]) -> Any:
        _kind(kind)
        _batch_or_404(db, kind, batch_id)
        try:
            imports.undo(db, batch_id, kind, user.id, clock.today(settings.timezone))
        except imports.ImportRefused as exc:
            flash(db, user, exc.message, "error")
        else:
            flash(db, user, _("Impor dibatalkan: data kembali seperti sebelum impor ini."))
        return redirect(request, f"/data-master/impor/{kind}/{batch_id}")
