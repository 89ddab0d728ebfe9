"""Laporan (HR and admin only): the dashboard, the report of one training (and its printable variant),
JP compliance, response monitoring, and their CSV/XLSX exports.

Filters travel in the query string (`periode`, `dari`, `sampai`, `unit`), so every URL is shareable.
The filter forms use `hx-get` + `hx-push-url`: an htmx request gets the results fragment, anything
else (a plain visit, the back button's history restore) the full page, from the same partial.
Every export is streamed and written to the audit log (who, what, with which filters).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Stream

from portal import clock
from portal.i18n import _
from portal.models import Questionnaire
from portal.services import exports, report_training, reports
from portal.services.accounts import CurrentUser, audit
from portal.settings import Settings
from portal.web.core import DB, Config, User, hr_required, is_htmx, positive_int, query_id, render

VARY = {"vary": "HX-Request, HX-Request-Type"}
FORMATS = ("csv", "xlsx")


def partial_request(request: Request) -> bool:
    """An htmx request that wants a fragment (a history restore asks for the full page)."""
    return is_htmx(request) and request.headers.get("hx-request-type", "partial") != "full"



def _context(request: Request, db: DB, settings: Settings) -> tuple[date, reports.Filters, dict[str, Any]]:
    today = clock.today(settings.timezone)
    units = reports.unit_options(db)
    filters = reports.parse_filters(request.query_params, today, units)
    ctx = {
        "today": today,
        "filters": filters,
        "units": units,
        "years": reports.year_options(db, today),
        "min_group": settings.min_group_size,
        "hidden_text": reports.suppressed_text(settings.min_group_size),
        "reports_state_text": lambda row: reports.state_text(row, settings.min_group_size),
        "partial": False,
    }
    return today, filters, ctx


def _stream(
    db: DB,
    user: CurrentUser,
    today: date,
    *,
    fmt: str,
    stem: str,
    kind: str,
    detail: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet: str,
) -> Stream:
    """Audit, then stream the export. The rows iterator is lazy: nothing is read before the first chunk."""
    if fmt not in FORMATS:
        raise NotFoundException()
    audit(db, user.id, "report.export", kind, f"format={fmt} {detail}".strip())
    db.commit()
    if fmt == "csv":
        chunks, media = exports.csv_chunks(headers, rows), exports.CSV_MEDIA_TYPE
    else:
        chunks, media = exports.xlsx_chunks(headers, rows, sheet=sheet), exports.XLSX_MEDIA_TYPE
    name = exports.filename(stem, fmt, today)
    return Stream(chunks, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


# --------------------------------------------------------------------------- dashboard


class ReportsController(Controller):
    path = "/laporan"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config) -> Any:
        today, filters, ctx = _context(request, db, settings)
        ctx["d"] = reports.dashboard(db, filters, today, settings.min_group_size)
        ctx["partial"] = partial_request(request)
        if ctx["partial"]:
            return render(request, "reports/_dashboard.html", ctx, headers=VARY)
        return render(request, "reports/index.html", ctx, db=db, headers=VARY)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(self, request: Request, db: DB, user: User, settings: Config, fmt: FromPath[str]) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, filters, _ctx = _context(request, db, settings)
        d = reports.dashboard(db, filters, today, settings.min_group_size, with_participants=True)
        headers, rows = reports.dashboard_export_rows(d)
        return _stream(
            db, user, today, fmt=fmt, stem="rekap-pelatihan", kind="laporan:rekap-pelatihan", detail=filters.describe(),
            headers=headers, rows=rows, sheet=_("Rekap pelatihan"),
        )


    @get("/jawaban/{fmt:str}", sync_to_thread=True)
    def raw(self, request: Request, db: DB, user: User, settings: Config, fmt: FromPath[str]) -> Stream:
        """Every response of an attributed reaction questionnaire in the period (and unit), one row each."""
        if fmt not in FORMATS:
            raise NotFoundException()
        today, filters, _ctx = _context(request, db, settings)
        qid = query_id(request.query_params.get("kuesioner"))
        qn = db.get(Questionnaire, qid) if qid is not None else None
        if qn is None:
            raise NotFoundException(_("Kuesioner tidak ditemukan."))
        if qn.anonymous:
            raise PermissionDeniedException(_("Kuesioner ini anonim: hanya rekap yang dapat diunduh, bukan jawaban per orang."))
        questions = report_training.raw_export_questions(db, qid)
        headers, rows = report_training.raw_export(request.app.state.engine, questions, qid, filters=filters, today=today)
        return _stream(
            db, user, today, fmt=fmt, stem=f"jawaban-kuesioner-{qid}", kind=f"laporan:jawaban-kuesioner:{qid}",
            detail=f"jenis=jawaban-mentah {filters.describe()}", headers=headers, rows=rows, sheet=_("Jawaban"),
        )


class TrainingListController(Controller):
    path = "/laporan/pelatihan"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config) -> Any:
        today, filters, ctx = _context(request, db, settings)
        ctx["d"] = reports.dashboard(db, filters, today, settings.min_group_size, with_participants=True)
        ctx["partial"] = partial_request(request)
        if ctx["partial"]:
            return render(request, "reports/_trainings.html", ctx, headers=VARY)
        return render(request, "reports/trainings.html", ctx, db=db, headers=VARY)


# --------------------------------------------------------------------------- one training


def _report(request: Request, db: DB, settings: Settings, training_id: int) -> tuple[date, report_training.TrainingReport]:
    today = clock.today(settings.timezone)
    rep = report_training.training_report(db, training_id, today, settings.min_group_size, settings.application_window_days)
    if rep is None:
        raise NotFoundException(_("Pelatihan tidak ditemukan."))
    return today, rep


def _comment_pages(db: DB, rep: report_training.TrainingReport, request: Request | None, per_page: int) -> dict[int, Any]:
    """Page 1 of every free-text question; the one named in the query string at its page and search."""
    wanted = positive_int(request.query_params.get("pertanyaan"), 0) if request is not None else 0
    pages = {}
    for q in rep.text_questions:
        if request is not None and q.id == wanted:
            pages[q.id] = report_training.comments(
                db, rep, q, request.query_params.get("cari") or "", positive_int(request.query_params.get("hal")), per_page
            )
        else:
            pages[q.id] = report_training.comments(db, rep, q, "", 1, per_page)
    return pages


class TrainingReportController(Controller):
    path = "/laporan/pelatihan/{training_id:int}"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, settings: Config, training_id: FromPath[int]) -> Any:
        today, rep = _report(request, db, settings, training_id)
        ctx = {"r": rep, "comments": _comment_pages(db, rep, request, report_training.COMMENTS_PER_PAGE), "today": today,
               "hidden_text": reports.suppressed_text(rep.min_group), "print_mode": False}
        return render(request, "reports/training.html", ctx, db=db, headers=VARY)

    @get("/komentar", sync_to_thread=True)
    def comments(self, request: Request, db: DB, settings: Config, training_id: FromPath[int]) -> Any:
        today, rep = _report(request, db, settings, training_id)
        pages = _comment_pages(db, rep, request, report_training.COMMENTS_PER_PAGE)
        wanted = positive_int(request.query_params.get("pertanyaan"), 0)
        if partial_request(request):
            if wanted not in pages:
                raise NotFoundException()
            ctx = {"r": rep, "c": pages[wanted], "hidden_text": reports.suppressed_text(rep.min_group), "print_mode": False}
            return render(request, "reports/_comments.html", ctx, headers=VARY)
        ctx = {"r": rep, "comments": pages, "today": today, "hidden_text": reports.suppressed_text(rep.min_group), "print_mode": False}
        return render(request, "reports/training.html", ctx, db=db, headers=VARY)

    @get("/cetak", sync_to_thread=True)
    def printable(self, request: Request, db: DB, settings: Config, training_id: FromPath[int]) -> Any:
        today, rep = _report(request, db, settings, training_id)
        ctx = {"r": rep, "comments": _comment_pages(db, rep, None, 30), "today": today,
               "hidden_text": reports.suppressed_text(rep.min_group), "print_mode": True}
        return render(request, "reports/print.html", ctx, db=db)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int], fmt: FromPath[str]) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, rep = _report(request, db, settings, training_id)
        headers, rows = report_training.aggregate_export(rep)
        return _stream(
            db, user, today, fmt=fmt, stem=f"laporan-pelatihan-{rep.training.code}", kind=f"laporan:pelatihan:{training_id}",
            detail="jenis=rekap", headers=headers, rows=rows, sheet=_("Laporan pelatihan"),
        )

    @get("/jawaban/{fmt:str}", sync_to_thread=True)
    def raw(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int], fmt: FromPath[str]) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, rep = _report(request, db, settings, training_id)
        if rep.questionnaire_id is None:
            raise NotFoundException(_("Pelatihan ini belum memakai kuesioner."))
        if rep.anonymous:
            raise PermissionDeniedException(_("Kuesioner ini anonim: hanya rekap yang dapat diunduh, bukan jawaban per orang."))
        questions = report_training.raw_export_questions(db, rep.questionnaire_id)
        headers, rows = report_training.raw_export(request.app.state.engine, questions, rep.questionnaire_id, training_id=training_id)
        return _stream(
            db, user, today, fmt=fmt, stem=f"jawaban-{rep.training.code}", kind=f"laporan:jawaban:{training_id}",
            detail=f"jenis=jawaban-mentah kuesioner={rep.questionnaire_id}", headers=headers, rows=rows, sheet=_("Jawaban"),
        )


# --------------------------------------------------------------------------- JP compliance


class JpController(Controller):
    path = "/laporan/jp"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config) -> Any:
        _today, filters, ctx = _context(request, db, settings)
        sort, direction = reports.jp_sort(request.query_params.get("urut"), request.query_params.get("arah"))
        ctx["jp"] = reports.jp_report(db, filters, sort, direction, positive_int(request.query_params.get("hal")))
        ctx["partial"] = partial_request(request)
        if ctx["partial"]:
            return render(request, "reports/_jp.html", ctx, headers=VARY)
        return render(request, "reports/jp.html", ctx, db=db, headers=VARY)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(self, request: Request, db: DB, user: User, settings: Config, fmt: FromPath[str]) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, filters, _ctx = _context(request, db, settings)
        sort, direction = reports.jp_sort(request.query_params.get("urut"), request.query_params.get("arah"))
        headers, rows = reports.jp_export(request.app.state.engine, filters, sort, direction)
        return _stream(
            db, user, today, fmt=fmt, stem=f"pegawai-di-bawah-20-jp-{filters.year}", kind="laporan:jp",
            detail=f"tahun={filters.year} {filters.describe()} urut={sort}:{direction}", headers=headers, rows=rows, sheet=_("Di bawah 20 JP"),
        )


# --------------------------------------------------------------------------- response monitoring


class ResponsesController(Controller):
    path = "/laporan/respons"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config) -> Any:
        today, filters, ctx = _context(request, db, settings)
        q = request.query_params
        ctx["m"] = reports.monitoring(
            db, filters, today, settings.application_window_days, q.get("jenis") or "l1", q.get("status") or "belum", positive_int(q.get("hal"))
        )
        ctx["partial"] = partial_request(request)
        if ctx["partial"]:
            return render(request, "reports/_responses.html", ctx, headers=VARY)
        return render(request, "reports/responses.html", ctx, db=db, headers=VARY)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(self, request: Request, db: DB, user: User, settings: Config, fmt: FromPath[str]) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, filters, _ctx = _context(request, db, settings)
        q = request.query_params
        jenis = q.get("jenis") if q.get("jenis") in ("l1", "l3") else "l1"
        status = q.get("status") if q.get("status") in reports.MONITOR_STATUSES else "belum"
        headers, rows = reports.monitoring_export(request.app.state.engine, filters, today, settings.application_window_days, jenis, status)
        return _stream(
            db, user, today, fmt=fmt, stem=f"pemantauan-respons-{jenis}", kind="laporan:respons",
            detail=f"jenis={jenis} status={status} {filters.describe()}", headers=headers, rows=rows, sheet=_("Pemantauan respons"),
        )


CONTROLLERS = [ReportsController, TrainingListController, TrainingReportController, JpController, ResponsesController]
