"""The Indonesian words of the reports that pages and exports share: training kinds, dimensions, impact
categories, why a figure is hidden, the state of a person in the response list. Text only: how a page
shows them (classes, colours, links) is the web layer's business."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from portal.i18n import N_, _, format_date
from portal.rules import TRAINING_KINDS
from portal.services.questionnaires import DIMENSION_LABELS

MAIN_DIMENSIONS = ("materi", "fasilitator", "sarana", "penyelenggaraan", "relevansi")
IMPACT_CATEGORIES = ("sangat berdampak", "cukup berdampak", "kurang berdampak", "tidak berdampak")
QUESTION_KIND_LABELS = {
    "likert5": N_("Skala setuju 1–5"),
    "scale0_10": N_("Skala 0–10"),
    "single": N_("Pilihan tunggal"),
    "multi": N_("Pilihan ganda"),
    "text": N_("Isian bebas"),
}
# the state of one person in the response list (monitoring.person_state)
PERSON_STATE_LABELS = {
    "submitted": N_("Sudah mengisi"),
    "draft": N_("Sedang mengisi"),
    "pending": N_("Belum mengisi"),
    "overdue": N_("Lewat batas waktu"),
    "upcoming": N_("Belum dibuka"),
}


def kind_label(kind: str) -> str:
    known = TRAINING_KINDS.get(kind)
    return _(known[0]) if known else kind.replace("_", " ").capitalize()


def dimension_label(dimension: str) -> str:
    return _(DIMENSION_LABELS.get(dimension, dimension.replace("_", " ").capitalize()))


def impact_category_key(category: str | None) -> str:
    return (category or "").replace("_", " ").replace("-", " ").strip().lower()


def impact_category_label(category: str | None) -> str:
    key = impact_category_key(category)
    return _(key.capitalize()) if key else _("Tanpa kategori")


def suppressed_text(min_group: int) -> str:
    return _("Terlalu sedikit tanggapan (n < %(n)s)") % {"n": min_group}


class HasL1State(Protocol):
    state: str
    survey_closes_on: date | None


def state_text(row: HasL1State, min_group: int) -> str:
    """Why a training's L1 results are not shown (for tables and charts); see `l1.l1_state`."""
    if row.state == "none":
        return _("Tanpa survei L1")
    if row.state == "open":
        if row.survey_closes_on:
            return _("Survei dibuka sampai %(d)s; hasil tampil setelah ditutup") % {"d": format_date(row.survey_closes_on)}
        return _("Survei belum dijadwalkan")
    if row.state == "empty":
        return _("Belum ada tanggapan")
    if row.state == "few":
        return suppressed_text(min_group)
    return ""
