"""Business rules that several areas share, each defined once (no I/O, no web imports).

A rule that a query needs is given here as a SQL expression builder too, so that services, summaries
and reports cannot drift apart (the credited statuses used to be spelled out in four places).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_

from portal.i18n import N_

# An enrolment whose person took part: credited with its JP, invited to the L1 survey, rated by the
# supervisor for L3 and counted as a participant in every report.
PARTICIPANT_STATUSES: tuple[str, ...] = ("attended", "completed")

# Development hours every ASN must receive per calendar year (PP 17/2020, PermenPANRB 38/2017).
JP_TARGET = 20

# PostgreSQL stamps every row with the id of the transaction that wrote it (`xmin`, docs/anonymity.md):
# the anonymous responses of a training are kept in crowds of this many, in the order they came, and a
# submit rewrites only its own crowd and the one before it, so that every `xmin` on the response side is
# shared by at least this many responses while the rewrite no longer grows with the training's size.
ANONYMITY_CROWD = 20


def took_part(status_column: Any) -> Any:
    """SQL: the enrolment's person took part (see PARTICIPANT_STATUSES). Spelled as `=` alternatives, not
    `IN (...)`: SQLAlchemy renders a list `IN` into the statement's text on every execution (an
    "expanding" parameter), which the survey page, autosave and submit paid on each request. The two
    forms mean the same in SQL."""
    return or_(*(status_column == status for status in PARTICIPANT_STATUSES))


# The supervisor's L3 rating of a training (PTIA is done 3-12 months after a training):
L3_DUE_DAYS = 90  # default of Training.application_due_days: due this many days after the training ended
L3_WINDOW_DAYS = 30  # default of Settings.application_window_days: the expected window, the due day included
L3_SOON_DAYS = 14  # listed as "soon due" this many days before
L3_LATE_LIMIT_DAYS = 365  # still accepted (late) until this many days after the training ended


@dataclass(frozen=True)
class L3Schedule:
    """When a supervisor's L3 rating is due: the one definition that the supervisor's work list, the
    rating form and HR's monitoring all use."""

    due_on: date
    window_ends_on: date  # last day of the expected window (inclusive)
    closes_on: date  # last day on which a (late) rating is still accepted

    @property
    def soon_from(self) -> date:
        return self.due_on - timedelta(days=L3_SOON_DAYS)

    def state(self, today: date, status: str | None = None) -> str:
        """submitted | not_yet | soon | due | overdue | closed"""
        if status == "submitted":
            return "submitted"
        if today < self.soon_from:
            return "not_yet"
        if today < self.due_on:
            return "soon"
        if today <= self.window_ends_on:
            return "due"
        if today <= self.closes_on:
            return "overdue"
        return "closed"


def l3_schedule(ends_on: date, due_days: int | None, window_days: int = L3_WINDOW_DAYS) -> L3Schedule:
    """Due `due_days` after the training ended; the expected window is `window_days` calendar days
    from the due day, that day included (30 days: due_on .. due_on + 29); overdue from the day after."""
    due_on = ends_on + timedelta(days=due_days if due_days is not None else L3_DUE_DAYS)
    window_ends_on = due_on + timedelta(days=max(window_days, 1) - 1)
    closes_on = max(ends_on + timedelta(days=L3_LATE_LIMIT_DAYS), window_ends_on)
    return L3Schedule(due_on, window_ends_on, closes_on)


# Forms of competency development (PermenPANRB 38/2017, Peraturan LAN 10/2018): classroom (klasikal) and
# non-classroom (non_klasikal), with the label HR sees. The stored value is the key.
TRAINING_KINDS: dict[str, tuple[str, str]] = {
    "pelatihan": (N_("Pelatihan"), "klasikal"),
    "seminar": (N_("Seminar"), "klasikal"),
    "workshop": (N_("Workshop"), "klasikal"),
    "kursus": (N_("Kursus"), "klasikal"),
    "penataran": (N_("Penataran"), "klasikal"),
    "bimtek": (N_("Bimbingan teknis"), "klasikal"),
    "sosialisasi": (N_("Sosialisasi"), "klasikal"),
    "coaching": (N_("Coaching"), "non_klasikal"),
    "mentoring": (N_("Mentoring"), "non_klasikal"),
    "e_learning": (N_("E-learning"), "non_klasikal"),
    "jarak_jauh": (N_("Pelatihan jarak jauh"), "non_klasikal"),
    "magang": (N_("Magang"), "non_klasikal"),
    "benchmarking": (N_("Benchmarking"), "non_klasikal"),
    "pertukaran": (N_("Pertukaran pegawai"), "non_klasikal"),
    "datasering": (N_("Detasering (secondment)"), "non_klasikal"),
    "belajar_mandiri": (N_("Belajar mandiri"), "non_klasikal"),
    "komunitas_belajar": (N_("Komunitas belajar"), "non_klasikal"),
}
TRAINING_MODES: dict[str, str] = {"klasikal": N_("Klasikal"), "non_klasikal": N_("Non-klasikal")}


# Position classes (jabatan) from the highest structural class down, then functional classes by level,
# with the label HR sees; the stored value is the key (models.POSITION_CLASSES guards it).
POSITION_CLASS_LABELS: dict[str, str] = {
    "jpt_madya": N_("JPT Madya"),
    "jpt_pratama": N_("JPT Pratama"),
    "administrator": N_("Administrator"),
    "pengawas": N_("Pengawas"),
    "pelaksana": N_("Pelaksana"),
    "fungsional_ahli_utama": N_("Fungsional Ahli Utama"),
    "fungsional_ahli_madya": N_("Fungsional Ahli Madya"),
    "fungsional_ahli_muda": N_("Fungsional Ahli Muda"),
    "fungsional_ahli_pertama": N_("Fungsional Ahli Pertama"),
    "fungsional_penyelia": N_("Fungsional Penyelia"),
    "fungsional_mahir": N_("Fungsional Mahir"),
    "fungsional_terampil": N_("Fungsional Terampil"),
}

# The required level of every managerial (and the socio-cultural) competency by position class, when a
# position's standard does not say otherwise (PermenPANRB 38/2017).
MANAGERIAL_DEFAULT_LEVEL: dict[str, int] = {
    "jpt_madya": 5,
    "jpt_pratama": 4,
    "administrator": 3,
    "pengawas": 2,
    "pelaksana": 1,
    "fungsional_ahli_utama": 4,
    "fungsional_ahli_madya": 3,
    "fungsional_ahli_muda": 2,
    "fungsional_ahli_pertama": 1,
    "fungsional_penyelia": 2,
    "fungsional_mahir": 1,
    "fungsional_terampil": 1,
}
