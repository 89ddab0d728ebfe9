"""The gap map as an export (/akpk/kesenjangan/ekspor/{fmt}): one row per unit x competency of the heat
map (the same `Heatmap` the page shows, so export and page cannot disagree), with the unit's submission
counts. Long format (a row per cell, not a matrix): it filters and pivots in a spreadsheet and loads
into a data tool as it is. An empty cell says why in its own column; the numeric columns hold numbers.

AKPK assessments are attributed (not anonymous): the minimum group size does not apply here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from portal.i18n import _
from portal.rules import POSITION_CLASS_LABELS
from portal.services.akpk._types import Filters, Heatmap

def group_label(group: str) -> str:
    labels = {"manajerial": _("Manajerial"), "sosial_kultural": _("Sosial kultural"), "teknis": _("Teknis")}
    return labels.get(group, group)


def gap_export(hm: Heatmap) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and rows of the heat map (built in memory by `heatmap`: units x competencies)."""
    headers = [
        _("Kode unit"), _("Unit kerja"), _("Pegawai"), _("Penilaian diri terkirim"), _("Belum mengirim"),
        _("Penilaian atasan terkirim"), _("Kode kompetensi"), _("Kompetensi"), _("Kelompok"),
        _("Orang dinilai (n)"), _("Rata-rata gap"), _("Di bawah standar (orang)"), _("Keterangan"),
    ]

    def rows() -> Iterator[list[Any]]:
        for row in hm.rows:
            unit = [row.code, row.name, row.employees, row.self_submitted, row.pending, row.supervisor_submitted]
            for col, cell in zip(hm.columns, row.cells, strict=True):
                if cell is None:
                    continue  # no position of the unit asks for this competency
                mean = None if cell.mean_gap is None else round(cell.mean_gap, 2)
                note = _("belum ada penilaian terkirim") if cell.n == 0 else None
                yield [*unit, col.code, col.name, group_label(col.group), cell.n, mean, cell.below, note]

    return headers, rows()


def filter_lines(hm: Heatmap, filters: Filters) -> list[tuple[str, str]]:
    """The heat map's filters in words, for the first sheet of the export and the print view."""
    unit = next((u.name for u in hm.units if u.id == filters.unit_id), None)
    return [
        (_("Siklus"), hm.cycle.name if hm.cycle else _("Belum ada siklus")),
        (_("Unit kerja"), unit + " " + _("(termasuk sub-unit)") if unit else _("Semua unit")),
        (_("Kelas jabatan"), _(POSITION_CLASS_LABELS[filters.position_class]) if filters.position_class in POSITION_CLASS_LABELS else _("Semua kelas jabatan")),
        (_("Kelompok kompetensi"), group_label(filters.group) if filters.group else _("Semua kelompok")),
    ]
