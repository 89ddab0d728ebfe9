"""When a supervisor's L3 rating is due, in SQL: the twin of `portal.rules.l3_schedule` (the one definition)
for queries that filter or count by state, and the labels of the states.

Dates become day numbers (`portal.db.dialect.day_number`), so that the same expressions run on SQLite and
PostgreSQL. Every expression reads `Training.ends_on` and `Training.application_due_days`.
"""

from __future__ import annotations

from typing import Any

from portal.db.dialect import day_number, greatest
from portal.i18n import N_, _
from portal.models import Training
from portal.rules import L3_LATE_LIMIT_DAYS, L3_SOON_DAYS

# the states of rules.L3Schedule.state(); plain labels, translated where shown
STATE_LABELS = {
    "not_yet": N_("Belum jatuh tempo"),
    "soon": N_("Segera jatuh tempo"),
    "due": N_("Jatuh tempo"),
    "overdue": N_("Terlambat"),
    "closed": N_("Ditutup"),
    "submitted": N_("Terkirim"),
}


def state_label(state: str) -> str:
    return _(STATE_LABELS[state])


def ends_day(dialect: str) -> Any:
    """The day the training ended."""
    return day_number(dialect, Training.ends_on)


def due_day(dialect: str) -> Any:
    """L3Schedule.due_on: the day the rating becomes due."""
    return ends_day(dialect) + Training.application_due_days


def soon_day(dialect: str) -> Any:
    """L3Schedule.soon_from: the first day the rating is listed as soon due."""
    return due_day(dialect) - L3_SOON_DAYS


def window_end_day(dialect: str, window_days: int) -> Any:
    """L3Schedule.window_ends_on: the last day of the expected window (inclusive); overdue from the day after."""
    return due_day(dialect) + (max(window_days, 1) - 1)


def closes_day(dialect: str, window_days: int) -> Any:
    """L3Schedule.closes_on: the last day on which a (late) rating is still accepted."""
    return greatest(dialect, window_end_day(dialect, window_days), ends_day(dialect) + L3_LATE_LIMIT_DAYS)
