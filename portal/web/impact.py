"""The impact of trainings (L3 results), /dampak: HR's overview of the trainings and the per-training impact
report with its gap-closure fragment; anyone else sees only the individual results they may see.

Thin controllers: call portal.services.impact, render templates/impact. Per-training aggregates are HR's.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from portal import clock
from portal.i18n import _
from portal.services import impact as svc
from portal.services.reports import exports
from portal.web.core import DB, Config, User, hr_required, positive_int, render, render_page_or_fragment
from portal.web.exporting import check_format, made_now, stream_export
from portal.web.printing import print_context


class ImpactIndexController(Controller):
    path = "/dampak"

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, user: User, settings: Config, halaman: FromQuery[str] = "1") -> Any:
        today = clock.today(settings.timezone)
        window_days = settings.application_window_days
        if user.is_hr_or_admin:
            context = {
                "data": svc.trainings_overview(db, today, positive_int(halaman)),
                "units": svc.overdue_by_unit(db, today, window_days),
                "window_days": window_days,
                "today": today,
                "own": None,
            }
        else:
            context = {"data": None, "units": [], "window_days": window_days, "today": today, "own": svc.visible_trainings(db, user.id)}
        return render(request, "impact/index.html", context, db=db)

    @get("/cetak", guards=[hr_required], sync_to_thread=True)
    def printable(self, request: Request, db: DB, settings: Config, halaman: FromQuery[str] = "1") -> Any:
        """HR's overview as an A4 print view (the same partial as the page)."""
        today = clock.today(settings.timezone)
        context = {
            "data": svc.trainings_overview(db, today, positive_int(halaman)),
            "units": svc.overdue_by_unit(db, today, settings.application_window_days),
            "window_days": settings.application_window_days,
            "today": today,
            **print_context(settings, _("Dampak pelatihan"), _("Ringkasan penilaian penerapan (L3)"), "/dampak"),
        }
        return render(request, "impact/print.html", context, db=db)

    @get("/ekspor/{fmt:str}", guards=[hr_required], sync_to_thread=True)
    def export(self, db: DB, user: User, settings: Config, fmt: FromPath[str]) -> Stream:
        """Every training that asks for an L3 rating (XLSX: and the ratings not in yet per unit)."""
        check_format(fmt)
        today = clock.today(settings.timezone)
        headers, rows = svc.overview_export(db, today)
        unit_headers, unit_rows = svc.overdue_export(db, today, settings.application_window_days)
        about = exports.about(
            _("Dampak pelatihan"), made_now(settings), filters=[(_("Cakupan"), _("Semua pelatihan yang meminta penilaian penerapan (L3)"))],
            min_group=settings.min_group_size, anonymous_data=False,
            notes=[_("Indeks dampak 0–100 dari penilaian penerapan oleh atasan, rata-rata per pelatihan; lembar kedua: penilaian yang belum masuk per unit.")],
        )
        return stream_export(
            db, user, today, fmt=fmt, stem="dampak-pelatihan", kind="dampak:ringkasan", detail="jenis=ringkasan",
            headers=headers, rows=rows, sheet=_("Dampak per pelatihan"), about=about,
            more_sheets=[(_("Belum dinilai per unit"), unit_headers, unit_rows)],
        )


class ImpactTrainingController(Controller):
    path = "/dampak/{training_id:int}"

    @get(sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int], halaman: FromQuery[str] = "1") -> Any:
        today = clock.today(settings.timezone)
        if user.is_hr_or_admin:
            impact = svc.training_impact(db, training_id, today, settings.application_window_days, positive_int(halaman))
            if impact is None:
                raise NotFoundException()
            return render(request, "impact/training.html", {"impact": impact, "today": today}, db=db)
        rows = svc.visible_enrollments(db, training_id, user.id)
        if not rows:
            raise NotFoundException()
        title = svc.training_title(db, training_id)
        return render(request, "impact/training_own.html", {"rows": rows, "title": title, "training_id": training_id, "today": today}, db=db)

    @get("/kompetensi", guards=[hr_required], sync_to_thread=True)
    def gap(self, request: Request, db: DB, user: User, settings: Config, training_id: FromPath[int]) -> Any:
        """The gap-closure section (HR): a fragment for the impact page (htmx), or a page of its own."""
        found = svc.training_gap(db, training_id)
        if found is None:
            raise NotFoundException()
        training, gap = found
        return render_page_or_fragment(
            request, "impact/gap.html", "impact/_gap.html", {"gap": gap, "training": training, "training_id": training_id}, db=db
        )


CONTROLLERS = [
    ImpactIndexController,
    ImpactTrainingController,
]
