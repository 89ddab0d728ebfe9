"""The shapes HR's training pages read and write (/pelatihan): one typed shape per thing, shared by the
calendar, the training form and the roster."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.rules import PARTICIPANT_STATUSES, TRAINING_KINDS, TRAINING_MODES


def kind_label(kind: str) -> str:
    """The label HR sees for a stored kind (the key itself for a kind the rules no longer know)."""
    return TRAINING_KINDS[kind][0] if kind in TRAINING_KINDS else kind


def mode_label(mode: str) -> str:
    return TRAINING_MODES.get(mode, mode)


@dataclass(frozen=True)
class TrainingRow:
    """A training as the year list and the calendar show it."""

    id: int
    code: str
    title: str
    kind: str
    mode: str
    provider: str
    starts_on: date
    ends_on: date
    jp: int
    survey_state: str = "none"  # none | upcoming | open | closed (portal.services.trainings.SurveyWindow)
    survey_opens_on: date | None = None
    survey_closes_on: date | None = None
    enrolled: int = 0
    took_part: int = 0
    invited: int = 0
    submitted: int = 0

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def mode_label(self) -> str:
        return mode_label(self.mode)

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class YearList:
    year: int
    rows: list[TrainingRow]
    page: int
    pages: int
    total: int
    years: list[int]  # the years the selector offers


@dataclass(frozen=True)
class AgendaDay:
    day: date | None  # None: the trainings that started before the month and still run in it
    trainings: list[TrainingRow]


@dataclass(frozen=True)
class GridDay:
    day: date
    in_month: bool
    is_today: bool
    trainings: list[TrainingRow]


@dataclass(frozen=True)
class MonthCalendar:
    first: date  # first day of the month
    previous: date  # first day of the previous month
    next: date  # first day of the next month
    trainings: list[TrainingRow]
    truncated: bool  # more trainings than the page shows
    agenda: list[AgendaDay]
    weeks: list[list[GridDay]]  # Monday first


@dataclass
class TrainingForm:
    """A training as typed in the form (text, so that a 422 shows exactly what was typed)."""

    code: str = ""
    title: str = ""
    kind: str = ""
    mode: str = ""  # "" = the kind's mode
    provider: str = ""
    starts_on: str = ""
    ends_on: str = ""
    jp: str = ""
    cost: str = ""
    description: str = ""
    competency_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class TrainingValues:
    """A training form that passed validation."""

    code: str
    title: str
    kind: str
    mode: str
    provider: str
    starts_on: date
    ends_on: date
    jp: int
    cost: int | None
    description: str
    competency_ids: tuple[int, ...]

    def columns(self) -> dict[str, object]:
        return {
            "code": self.code, "title": self.title, "kind": self.kind, "mode": self.mode, "provider": self.provider,
            "starts_on": self.starts_on, "ends_on": self.ends_on, "jp": self.jp, "cost": self.cost, "description": self.description,
        }


@dataclass(frozen=True)
class CompetencyOption:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class CompetencyGroup:
    key: str
    label: str
    items: list[CompetencyOption]


@dataclass
class SaveResult:
    ok: bool
    training_id: int | None = None
    errors: dict[str, str] = field(default_factory=dict)
    jp_carried: int = 0  # enrolments whose JP credited followed a new training JP
    year: int | None = None  # the year the saved training starts in


@dataclass(frozen=True)
class TrainingFacts:
    """The header of the roster pages."""

    id: int
    code: str
    title: str
    kind: str
    mode: str
    provider: str
    starts_on: date
    ends_on: date
    jp: int
    reaction_questionnaire_id: int | None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def mode_label(self) -> str:
        return mode_label(self.mode)


@dataclass(frozen=True)
class RosterRow:
    enrollment_id: int
    employee_id: int
    name: str
    nip: str
    unit: str
    status: str
    jp_credited: int
    submitted: bool  # submitted the training's reaction survey: counted as having taken part


@dataclass(frozen=True)
class Roster:
    training: TrainingFacts
    rows: list[RosterRow]
    page: int
    pages: int
    total: int
    counts: dict[str, int]  # enrolments per status

    @property
    def took_part(self) -> int:
        return sum(self.counts.get(s, 0) for s in PARTICIPANT_STATUSES)


@dataclass
class AttendanceResult:
    ok: bool
    errors: dict[int, str] = field(default_factory=dict)  # enrolment id -> message
    changed: int = 0
    invited: int = 0
    withdrawn: int = 0


@dataclass(frozen=True)
class Candidate:
    """An active employee found by the participant search."""

    id: int
    name: str
    nip: str
    unit: str
    enrolled: bool


@dataclass(frozen=True)
class UnitPreview:
    unit_id: int
    unit_name: str
    active: int  # active employees of the unit
    to_add: int  # of them, not enrolled yet


@dataclass(frozen=True)
class Removal:
    row: RosterRow
    problem: str | None  # why this enrolment cannot be removed, or None
