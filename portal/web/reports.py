"""Laporan (/laporan/..., HR and admin only; service: `portal.services.reports`): the filters every report
page shares, the training list, JP compliance, response monitoring, trainings
by provider and by method (/laporan/penyelenggara), their CSV/XLSX exports (`portal.web.exporting`) and
A4 print views (`/cetak`, `portal.web.printing`: the page's own partial inside `print_base.html`). The
dashboard itself (/laporan) is `portal.web.dashboard`, the report of one training `portal.web.training_report`.

Filters travel in the query string (`periode`, `dari`, `sampai`, `unit`), so every URL is shareable.
The filter forms use `hx-get` + `hx-push-url`: an htmx request gets the results fragment, anything
else (a plain visit, the back button's history restore) the full page, from the same partial
(`render_page_or_fragment`). Every export is streamed and written to the audit log (who, what, with
which filters). How figures look (CSS classes of chart series) is decided in templates/reports/.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream
from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal import clock
from portal.i18n import _
from portal.services import reports
from portal.settings import Settings
from portal.web.core import (
    DB,
    Config,
    User,
    hr_required,
    positive_int,
    render,
    render_page_or_fragment,
    wants_fragment,
)
from portal.web.exporting import FORMATS, about_period, check_format, stream_export
from portal.web.printing import print_context


def provide_filter_params(
    periode: FromQuery[str | None] = None,
    dari: FromQuery[str | None] = None,
    sampai: FromQuery[str | None] = None,
    unit: FromQuery[str | None] = None,
) -> dict[str, str | None]:
    """The query parameters of the period and unit filter, as `reports.parse_filters` reads them."""
    return {"periode": periode, "dari": dari, "sampai": sampai, "unit": unit}


FILTERED = {"filter_params": Provide(provide_filter_params, sync_to_thread=False)}
FilterParams = NamedDependency[dict[str, str | None]]


def filter_query(filters: reports.Filters) -> Callable[..., str]:
    """For the templates: `filter_query(urut="nama")` is the query string of a link that keeps the
    filters (and adds its own parameters)."""

    def query(**extra: Any) -> str:
        return urlencode(filters.params(**extra))

    return query


def _context(db: Session | Connection, settings: Settings, filter_params: dict[str, str | None]) -> tuple[date, reports.Filters, dict[str, Any]]:
    today = clock.today(settings.timezone)
    units = reports.unit_options(db)
    filters = reports.parse_filters(filter_params, today, units)
    ctx = {
        "today": today,
        "filters": filters,
        "filter_query": filter_query(filters),
        "units": units,
        "years": reports.year_options(db, today),
        "min_group": settings.min_group_size,
        "hidden_text": reports.suppressed_text(settings.min_group_size),
        "reports_state_text": lambda row: reports.state_text(row, settings.min_group_size),
        "base_url": settings.base_url,
        "partial": False,
    }
    return today, filters, ctx


def _period_words(filters: reports.Filters) -> str:
    """The period and unit of a print view, in words."""
    unit = filters.unit_name or _("semua unit")
    return _("Periode %(p)s · %(u)s") % {"p": filters.period_text(), "u": unit}


def _page(request: Request, db: DB, page: str, fragment: str, ctx: dict[str, Any]) -> Any:
    """The page, or its results fragment for an htmx swap (which also swaps the sub-navigation)."""
    ctx["partial"] = wants_fragment(request)
    return render_page_or_fragment(request, page, fragment, ctx, db=db)


TRAININGS_PER_PAGE = 25


class TrainingListController(Controller):
    path = "/laporan/pelatihan"
    guards = [hr_required]
    dependencies = FILTERED

    @get(sync_to_thread=True)
    def index(
        self, request: Request, db: DB, settings: Config, filter_params: FilterParams, hal: FromQuery[str | None] = None
    ) -> Any:
        today, filters, ctx = _context(db, settings, filter_params)
        ctx["d"] = d = reports.dashboard(db, filters, today, settings.min_group_size, with_participants=True)
        # a year can hold a few hundred trainings: one page of them on screen, all of them in the exports
        pages = max(1, -(-len(d.trainings) // TRAININGS_PER_PAGE))
        ctx["page"] = page = min(positive_int(hal), pages)
        ctx["pages"] = pages
        ctx["rows"] = d.trainings[(page - 1) * TRAININGS_PER_PAGE : page * TRAININGS_PER_PAGE]
        return _page(request, db, "reports/trainings.html", "reports/_trainings.html", ctx)


# --------------------------------------------------------------------------- JP compliance


def _jp_context(db: Any, settings: Any, filter_params: FilterParams, urut: str | None, arah: str | None, hal: str | None) -> Any:
    """The JP report of one page, for the page and its print view alike: (filters, (sort, direction), context)."""
    _today, filters, ctx = _context(db, settings, filter_params)
    sort, direction = reports.jp_sort(urut, arah)
    ctx["jp"] = reports.jp_report(db, filters, sort, direction, positive_int(hal))
    return filters, (sort, direction), ctx


class JpController(Controller):
    path = "/laporan/jp"
    guards = [hr_required]
    dependencies = FILTERED

    @get(sync_to_thread=True)
    def index(
        self, request: Request, db: DB, settings: Config, filter_params: FilterParams,
        urut: FromQuery[str | None] = None, arah: FromQuery[str | None] = None, hal: FromQuery[str | None] = None,
    ) -> Any:
        return _page(request, db, "reports/jp.html", "reports/_jp.html", _jp_context(db, settings, filter_params, urut, arah, hal)[2])

    @get("/cetak", sync_to_thread=True)
    def printable(
        self, request: Request, db: DB, settings: Config, filter_params: FilterParams,
        urut: FromQuery[str | None] = None, arah: FromQuery[str | None] = None, hal: FromQuery[str | None] = None,
    ) -> Any:
        """JP compliance as an A4 print view (the same partial as the page; the list page by page)."""
        filters, (sort, direction), ctx = _jp_context(db, settings, filter_params, urut, arah, hal)
        back = "/laporan/jp?" + filter_query(filters)(urut=sort, arah=direction)
        ctx.update(print_context(settings, _("Capaian 20 JP, tahun %(y)s") % {"y": filters.year}, _period_words(filters), back))
        return render(request, "reports/print_jp.html", ctx, db=db)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(
        self, request: Request, db: DB, user: User, settings: Config, filter_params: FilterParams, fmt: FromPath[str],
        urut: FromQuery[str | None] = None, arah: FromQuery[str | None] = None,
    ) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, filters, _ctx = _context(db, settings, filter_params)
        sort, direction = reports.jp_sort(urut, arah)
        headers, rows = reports.jp_export(request.app.state.engine, filters, sort, direction)
        return stream_export(
            db, user, today, fmt=fmt, stem=f"pegawai-di-bawah-20-jp-{filters.year}", kind="laporan:jp",
            detail=f"tahun={filters.year} {filters.describe()} urut={sort}:{direction}", headers=headers, rows=rows, sheet=_("Di bawah 20 JP"),
            about=about_period(settings, _("Pegawai di bawah 20 JP, tahun %(y)s") % {"y": filters.year}, filters, anonymous_data=False),
        )


# --------------------------------------------------------------------------- response monitoring


class ResponsesController(Controller):
    path = "/laporan/respons"
    guards = [hr_required]
    dependencies = FILTERED

    @get(sync_to_thread=True)
    def index(
        self, request: Request, db: DB, settings: Config, filter_params: FilterParams,
        jenis: FromQuery[str | None] = None, status: FromQuery[str | None] = None, hal: FromQuery[str | None] = None,
        hal_pelatihan: FromQuery[str | None] = None,
    ) -> Any:
        today, filters, ctx = _context(db, settings, filter_params)
        ctx["m"] = reports.monitoring(
            db, filters, today, settings.application_window_days, jenis or "l1", status or "belum", positive_int(hal),
            trainings_page=positive_int(hal_pelatihan),
        )
        return _page(request, db, "reports/responses.html", "reports/_responses.html", ctx)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(
        self, request: Request, db: DB, user: User, settings: Config, filter_params: FilterParams, fmt: FromPath[str],
        jenis: FromQuery[str | None] = None, status: FromQuery[str | None] = None,
    ) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, filters, _ctx = _context(db, settings, filter_params)
        jenis = jenis if jenis in reports.MONITOR_KINDS else "l1"
        status = status if status in reports.MONITOR_STATUSES else "belum"
        headers, rows = reports.monitoring_export(request.app.state.engine, filters, today, settings.application_window_days, jenis, status)
        return stream_export(
            db, user, today, fmt=fmt, stem=f"pemantauan-respons-{jenis}", kind="laporan:respons",
            detail=f"jenis={jenis} status={status} {filters.describe()}", headers=headers, rows=rows, sheet=_("Pemantauan respons"),
            about=about_period(
                settings, _("Pemantauan respons"), filters, anonymous_data=False,
                notes=[_("Daftar ini menyatakan siapa yang sudah atau belum mengisi, tidak pernah jawabannya.")],
            ),
        )


# --------------------------------------------------------------------------- by provider and by method


class ProvidersController(Controller):
    path = "/laporan/penyelenggara"
    guards = [hr_required]
    dependencies = FILTERED

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config, filter_params: FilterParams) -> Any:
        today, filters, ctx = _context(db, settings, filter_params)
        ctx["p"] = reports.provider_report(db, filters, today)
        return _page(request, db, "reports/providers.html", "reports/_providers.html", ctx)

    @get("/cetak", sync_to_thread=True)
    def printable(self, request: Request, db: DB, settings: Config, filter_params: FilterParams) -> Any:
        today, filters, ctx = _context(db, settings, filter_params)
        ctx["p"] = reports.provider_report(db, filters, today)
        back = "/laporan/penyelenggara?" + filter_query(filters)()
        ctx.update(print_context(settings, _("Pelatihan per penyelenggara dan jenis"), _period_words(filters), back))
        return render(request, "reports/print_providers.html", ctx, db=db)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(self, db: DB, user: User, settings: Config, filter_params: FilterParams, fmt: FromPath[str]) -> Stream:
        check_format(fmt)
        today, filters, _ctx = _context(db, settings, filter_params)
        headers, rows = reports.provider_export(reports.provider_report(db, filters, today))
        notes = [_("Biaya = jumlah biaya per peserta (data master) atas peserta yang hadir; biaya per JP = biaya / JP peserta itu; "
                   "biaya per poin dampak = biaya peserta yang sudah dinilai / jumlah indeks dampak mereka.")]
        return stream_export(
            db, user, today, fmt=fmt, stem=f"pelatihan-per-penyelenggara-{filters.year}", kind="laporan:penyelenggara",
            detail=filters.describe(), headers=headers, rows=rows, sheet=_("Per penyelenggara"),
            about=about_period(settings, _("Pelatihan per penyelenggara dan jenis"), filters, anonymous_data=False, notes=notes),
        )


CONTROLLERS = [TrainingListController, JpController, ResponsesController, ProvidersController]
