"""The report of one training (/laporan/pelatihan/{id}, HR and admin only; service:
`portal.services.reports.training`): response rate, satisfaction per dimension against trainings of the
same kind, NPS, the distribution of every question, the free-text comments page by page (an htmx
fragment), L3 impact; its A4 print view and its exports (aggregates; raw answers of an attributed
questionnaire only).

The figures (templates/reports/_training_figures.html: the charts of the shown results) are rendered by
`portal.web.fragments.rendered`, keyed by a digest of exactly the values they are drawn from, inside the
partial that the page and the print view share (templates/reports/_training_body.html).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream
from markupsafe import Markup

from portal import clock
from portal.i18n import _
from portal.services import reports
from portal.settings import Settings
from portal.web import fragments
from portal.web.core import DB, Config, User, hr_required, positive_int, render, render_page_or_fragment, wants_fragment
from portal.web.exporting import FORMATS, about_training, stream_export
from portal.web.printing import print_context


def _figures(request: Request, rep: reports.TrainingReport) -> Markup:
    """The charts of the shown results (nothing when the results are hidden)."""
    if not rep.shown:
        return Markup("")
    return fragments.rendered(
        request, "reports/_training_figures.html",
        dims=rep.dims, peers=rep.peers, nps=rep.nps, scale_questions=rep.scale_questions, likert_questions=rep.likert_questions,
        choice_questions=rep.choice_questions, hidden_text=reports.suppressed_text(rep.min_group),
    )


def _report(db: DB, settings: Settings, training_id: int) -> tuple[date, reports.TrainingReport]:
    today = clock.today(settings.timezone)
    rep = reports.training_report(db, training_id, today, settings.min_group_size, settings.application_window_days)
    if rep is None:
        raise NotFoundException(_("Pelatihan tidak ditemukan."))
    return today, rep


def _comment_pages(
    db: DB, rep: reports.TrainingReport, per_page: int, wanted: int = 0, search: str | None = None, page: str | None = None
) -> dict[int, reports.CommentPage]:
    """Page 1 of every free-text question; the `wanted` one at its page and search."""
    pages = {}
    for q in rep.text_questions:
        if q.id == wanted:
            pages[q.id] = reports.comments(db, rep, q, search or "", positive_int(page), per_page)
        else:
            pages[q.id] = reports.comments(db, rep, q, "", 1, per_page)
    return pages


class TrainingReportController(Controller):
    path = "/laporan/pelatihan/{training_id:int}"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def show(
        self, request: Request, db: DB, settings: Config, training_id: FromPath[int],
        pertanyaan: FromQuery[str | None] = None, cari: FromQuery[str | None] = None, hal: FromQuery[str | None] = None,
    ) -> Any:
        today, rep = _report(db, settings, training_id)
        pages = _comment_pages(db, rep, reports.COMMENTS_PER_PAGE, positive_int(pertanyaan, 0), cari, hal)
        ctx = {"r": rep, "figures": _figures(request, rep), "comments": pages, "today": today,
               "hidden_text": reports.suppressed_text(rep.min_group), "print_mode": False}
        return render(request, "reports/training.html", ctx, db=db)

    @get("/komentar", sync_to_thread=True)
    def comments(
        self, request: Request, db: DB, settings: Config, training_id: FromPath[int],
        pertanyaan: FromQuery[str | None] = None, cari: FromQuery[str | None] = None, hal: FromQuery[str | None] = None,
    ) -> Any:
        """One free-text question's page of comments (the fragment), inside the training report (the page)."""
        today, rep = _report(db, settings, training_id)
        wanted = positive_int(pertanyaan, 0)
        pages = _comment_pages(db, rep, reports.COMMENTS_PER_PAGE, wanted, cari, hal)
        if wants_fragment(request) and wanted not in pages:
            raise NotFoundException()
        ctx = {"r": rep, "c": pages.get(wanted), "comments": pages, "today": today,
               "hidden_text": reports.suppressed_text(rep.min_group), "print_mode": False}
        if not wants_fragment(request):
            ctx["figures"] = _figures(request, rep)
        return render_page_or_fragment(request, "reports/training.html", "reports/_comments.html", ctx, db=db)

    @get("/cetak", sync_to_thread=True)
    def printable(self, request: Request, db: DB, settings: Config, training_id: FromPath[int]) -> Any:
        today, rep = _report(db, settings, training_id)
        ctx = {"r": rep, "figures": _figures(request, rep), "comments": _comment_pages(db, rep, 30), "today": today,
               "hidden_text": reports.suppressed_text(rep.min_group),
               **print_context(settings, rep.training.title, _("Laporan evaluasi pelatihan"), f"/laporan/pelatihan/{training_id}")}
        return render(request, "reports/print.html", ctx, db=db)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(self, db: DB, user: User, settings: Config, training_id: FromPath[int], fmt: FromPath[str]) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, rep = _report(db, settings, training_id)
        headers, rows = reports.aggregate_export(rep)
        return stream_export(
            db, user, today, fmt=fmt, stem=f"laporan-pelatihan-{rep.training.code}", kind=f"laporan:pelatihan:{training_id}",
            detail="jenis=rekap", headers=headers, rows=rows, sheet=_("Laporan pelatihan"),
            about=about_training(settings, _("Laporan pelatihan"), rep, anonymous_data=rep.anonymous),
        )

    @get("/jawaban/{fmt:str}", sync_to_thread=True)
    def raw(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int], fmt: FromPath[str]) -> Stream:
        if fmt not in FORMATS:
            raise NotFoundException()
        today, rep = _report(db, settings, training_id)
        if rep.questionnaire_id is None:
            raise NotFoundException(_("Pelatihan ini belum memakai kuesioner."))
        if rep.anonymous:
            raise PermissionDeniedException(_("Kuesioner ini anonim: hanya rekap yang dapat diunduh, bukan jawaban per orang."))
        questions = reports.load_questions(db, rep.questionnaire_id)
        headers, rows = reports.raw_export(request.app.state.engine, questions, rep.questionnaire_id, training_id=training_id)
        return stream_export(
            db, user, today, fmt=fmt, stem=f"jawaban-{rep.training.code}", kind=f"laporan:jawaban:{training_id}",
            detail=f"jenis=jawaban-mentah kuesioner={rep.questionnaire_id}", headers=headers, rows=rows, sheet=_("Jawaban"),
            about=about_training(settings, _("Jawaban per orang"), rep, anonymous_data=False),
        )


CONTROLLERS = [TrainingReportController]
