"""The typed shapes of the assessments (self and supervisor) and the errors of their writes.

Plain data (no I/O). The cycle an assessment belongs to is `portal.services.akpk.Cycle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from portal.services.akpk import Cycle

ROLES = ("self", "supervisor")


# --------------------------------------------------------------------------- errors


class AssessmentError(Exception):
    """A refused request. `status` is the HTTP status the web layer answers with."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(AssessmentError):
    status = 404


class Closed(AssessmentError):
    status = 409


class Locked(AssessmentError):
    status = 409


class Invalid(AssessmentError):
    status = 422


class Incomplete(AssessmentError):
    status = 422

    def __init__(self, message: str, missing: list[int]) -> None:
        super().__init__(message)
        self.missing = missing


# --------------------------------------------------------------------------- who is assessed


@dataclass(frozen=True)
class Subject:
    id: int
    name: str
    nip: str
    position_id: int | None
    position_name: str | None
    position_class: str | None
    unit_name: str | None
    supervisor_id: int | None


@dataclass(frozen=True)
class Scope:
    """One assessment as its rater may touch it: the cycle, who is assessed, in which role, by whom.
    Only `portal.services.assessments.access` makes one (after its ownership check)."""

    cycle: Cycle
    subject: Subject
    role: str  # "self" | "supervisor"
    rater_id: int

    @property
    def is_self(self) -> bool:
        return self.role == "self"


# --------------------------------------------------------------------------- the form


@dataclass
class Level:
    level: int
    description: str


@dataclass
class Item:
    competency_id: int
    code: str
    name: str
    group: str
    description: str
    required_level: int
    levels: list[Level] = field(default_factory=list)
    level: int | None = None
    note: str | None = None
    updated_at: datetime | None = None


@dataclass
class Group:
    key: str
    items: list[Item]


@dataclass
class Progress:
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass
class State:
    """The stored assessment of one rater role (or 'not_started')."""

    id: int | None = None
    status: str = "not_started"
    submitted_at: datetime | None = None
    updated_at: datetime | None = None
    rater_id: int | None = None

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"


@dataclass
class Form:
    cycle: Cycle
    subject: Subject
    role: str
    state: State
    groups: list[Group]
    progress: Progress

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]


@dataclass
class SaveResult:
    competency_id: int
    level: int | None
    note: str | None
    saved_at: datetime
    progress: Progress


# --------------------------------------------------------------------------- results


@dataclass
class ResultRow:
    competency_id: int
    code: str
    name: str
    group: str
    required_level: int
    self_level: int | None
    supervisor_level: int | None
    final_level: int | None
    gap: int | None
    needs_discussion: bool
    self_note: str | None = None
    supervisor_note: str | None = None


@dataclass
class Suggestion:
    training_id: int
    title: str
    provider: str
    mode: str
    starts_on: date
    ends_on: date
    jp: int
    covers: list[str]
    score: int
    upcoming: bool
    attended: bool


@dataclass
class Result:
    cycle: Cycle
    subject: Subject
    self_state: State
    supervisor_state: State
    show_self: bool
    show_supervisor: bool
    rows: list[ResultRow]
    suggestions: list[Suggestion]

    @property
    def flagged(self) -> list[ResultRow]:
        return [r for r in self.rows if r.needs_discussion]

    @property
    def below_standard(self) -> list[ResultRow]:
        return [r for r in self.rows if r.gap is not None and r.gap > 0]


# --------------------------------------------------------------------------- the supervisor's team


@dataclass
class TeamRow:
    id: int
    name: str
    nip: str
    position: str | None
    self_status: str
    supervisor_status: str
    supervisor_answered: int
    total: int
