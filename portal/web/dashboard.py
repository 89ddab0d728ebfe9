"""The HR dashboard (/laporan, HR and admin only; service: `portal.services.reports.dashboard`): tiles,
charts and rankings of a period and unit, its A4 print view, the training recap export and the raw
answers of an attributed questionnaire. The shared filter plumbing of every report page lives in
`portal.web.reports`.

The figures (templates/reports/_dashboard_figures.html: tiles, SVG charts and their tables) are most of
the page's cost and change only with their data: they are rendered by `portal.web.fragments.rendered`,
keyed by a digest of exactly the values they are drawn from, inside the one partial that the page, its
htmx fragment and the print view share (templates/reports/_dashboard.html).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from sqlalchemy.engine import Connection
from sqlmodel import Session

from portal.i18n import _
from portal.models import Questionnaire
from portal.services import reports
from portal.settings import Settings
from portal.web import fragments
from portal.web.core import DB, Config, User, hr_required, provide_user, query_id, render, run_read, take_flash, wants_fragment
from portal.web.exporting import FORMATS, about_period, stream_export
from portal.web.printing import print_context
from portal.web.reports import FILTERED, FilterParams, _context, _period_words, filter_query


def _dashboard_context(request: Request, db: Session | Connection, settings: Settings, filter_params: dict[str, str | None], *, print_mode: bool) -> dict[str, Any]:
    today, filters, ctx = _context(db, settings, filter_params)
    d = reports.dashboard(db, filters, today, settings.min_group_size)
    ctx["figures"] = fragments.rendered(
        request, "reports/_dashboard_figures.html",
        d=d, filters=filters, query=ctx["filter_query"](), hidden_text=ctx["hidden_text"], min_group=ctx["min_group"], print_mode=print_mode,
    )
    return ctx


class DashboardController(Controller):
    path = "/laporan"
    guards = [hr_required]
    dependencies = FILTERED

    @get()
    async def index(self, request: Request, state: State, filter_params: FilterParams) -> Any:
        """Read like the survey page (portal.web.core.run_read: on SQLite the loop's own connection, no ORM
        session, no thread hop)."""
        settings: Settings = state.settings
        ctx = await run_read(state, lambda conn: _dashboard_context(request, conn, settings, filter_params, print_mode=False))
        ctx["partial"] = wants_fragment(request)
        if ctx["partial"]:
            return render(request, "reports/_dashboard.html", ctx)
        ctx["flash"] = await take_flash(state, provide_user(request))
        return render(request, "reports/index.html", ctx)

    @get("/cetak", sync_to_thread=True)
    def printable(self, request: Request, db: DB, settings: Config, filter_params: FilterParams) -> Any:
        """The dashboard as an A4 print view (the same partial as the page)."""
        ctx = _dashboard_context(request, db, settings, filter_params, print_mode=True)
        filters = ctx["filters"]
        ctx.update(print_context(settings, _("Laporan pengembangan kompetensi"), _period_words(filters), "/laporan?" + filter_query(filters)()))
        return render(request, "reports/print_dashboard.html", ctx, db=db)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(self, db: DB, user: User, settings: Config, filter_params: FilterParams, fmt: FromPath[str]) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, filters, _ctx = _context(db, settings, filter_params)
        d = reports.dashboard(db, filters, today, settings.min_group_size, with_participants=True)
        headers, rows = reports.dashboard_export_rows(d)
        return stream_export(
            db, user, today, fmt=fmt, stem="rekap-pelatihan", kind="laporan:rekap-pelatihan", detail=filters.describe(),
            headers=headers, rows=rows, sheet=_("Rekap pelatihan"),
            about=about_period(settings, _("Rekap pelatihan"), filters),
        )

    @get("/jawaban/{fmt:str}", sync_to_thread=True)
    def raw(
        self, request: Request, db: DB, user: User, settings: Config, filter_params: FilterParams, fmt: FromPath[str],
        kuesioner: FromQuery[str | None] = None,
    ) -> Stream:
        """Every response of an attributed reaction questionnaire in the period (and unit), one row each."""
        if fmt not in FORMATS:
            raise NotFoundException()
        today, filters, _ctx = _context(db, settings, filter_params)
        qid = query_id(kuesioner)
        qn = db.get(Questionnaire, qid) if qid is not None else None
        if qn is None:
            raise NotFoundException(_("Kuesioner tidak ditemukan."))
        if qn.anonymous:
            raise PermissionDeniedException(_("Kuesioner ini anonim: hanya rekap yang dapat diunduh, bukan jawaban per orang."))
        questions = reports.load_questions(db, qid)
        headers, rows = reports.raw_export(request.app.state.engine, questions, qid, filters=filters, today=today)
        return stream_export(
            db, user, today, fmt=fmt, stem=f"jawaban-kuesioner-{qid}", kind=f"laporan:jawaban-kuesioner:{qid}",
            detail=f"jenis=jawaban-mentah {filters.describe()}", headers=headers, rows=rows, sheet=_("Jawaban"),
            about=about_period(settings, _("Jawaban kuesioner: %(t)s") % {"t": qn.title}, filters, anonymous_data=False),
        )


CONTROLLERS = [DashboardController]
