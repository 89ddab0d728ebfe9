"""The impact overview as an export (/dampak/ekspor/{fmt}): every training that asks for an L3 rating
(not one page of them) with its participants, ratings in and mean impact index, from the same queries
as the page (`trainings_overview`, 3 queries whatever the number of trainings); and the supervisor
ratings not in yet per unit (`overdue_by_unit`, 1 query) as a second sheet.

L3 ratings are attributed (a supervisor rates a named alumnus): the minimum group size of anonymous
surveys does not apply. An empty figure says why in its own column."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlmodel import Session

from portal.i18n import _
from portal.rules import L3_WINDOW_DAYS
from portal.services.impact.overview import overdue_by_unit, trainings_overview
from portal.services.impact.score import category_label

EXPORT_LIMIT = 100_000  # trainings: in practice a few hundred a year


def overview_export(session: Session, today: date) -> tuple[list[str], Iterator[list[Any]]]:
    headers = [
        _("Pelatihan"), _("Penyelenggara"), _("Mulai"), _("Selesai"), _("Jatuh tempo penilaian"), _("Peserta"),
        _("Dinilai atasan"), _("Indeks dampak (0–100)"), _("Kategori"), _("Laporan diri alumni"), _("Keterangan"),
    ]
    page = trainings_overview(session, today, 1, per_page=EXPORT_LIMIT)

    def rows() -> Iterator[list[Any]]:
        for t in page.rows:
            if t.mean is not None:
                note = None
            elif not t.is_due:
                note = _("belum jatuh tempo")
            else:
                note = _("belum ada penilaian atasan")
            yield [
                t.title, t.provider or None, t.starts_on, t.ends_on, t.due_on, t.participants, t.rated, t.mean,
                category_label(t.category) if t.category else None, _("Ya") if t.self_report else _("Tidak"), note,
            ]

    return headers, rows()


def overdue_export(session: Session, today: date, window_days: int = L3_WINDOW_DAYS) -> tuple[list[str], list[list[Any]]]:
    """The second sheet: supervisor ratings not in yet, per unit."""
    headers = [_("Unit kerja"), _("Jatuh tempo (masih dalam batas)"), _("Terlambat")]
    return headers, [[u.unit, u.due, u.overdue] for u in overdue_by_unit(session, today, window_days)]
