"""AKPK cycles, self and supervisor assessments, and the gap summary."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Index,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from portal.models._base import _in, utcnow


class AssessmentCycle(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("status", ("open", "closed")), name="status"),
        CheckConstraint("closes_on >= opens_on", name="window"),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    year: int = Field(index=True)
    opens_on: date
    closes_on: date
    status: str = Field(default="open", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)


class Assessment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("cycle_id", "subject_id", "rater_role"),
        CheckConstraint(_in("rater_role", ("self", "supervisor")), name="rater_role"),
        CheckConstraint(_in("status", ("draft", "submitted")), name="status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="assessmentcycle.id", index=True)
    subject_id: int = Field(foreign_key="employee.id", index=True)
    rater_id: int = Field(foreign_key="employee.id", index=True)
    rater_role: str = Field(max_length=12)
    status: str = Field(default="draft", max_length=12)
    submitted_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class AssessmentItem(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("assessment_id", "competency_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    competency_id: int = Field(foreign_key="competency.id", index=True)
    level: int | None = None  # None: a note kept as a draft before a level is chosen (not an answer)
    note: str | None = Field(default=None, max_length=1000)
    updated_at: datetime = Field(default_factory=utcnow)



class AssessmentGap(SQLModel, table=True):
    """Per cycle, person and competency: the gap (required - final level) of the person's FINAL
    assessment (the supervisor's when submitted, else their own), with the unit and position they
    held when it was submitted. Kept at submit time (services/summaries/gaps.py) so that the HR heat
    map groups one covering index instead of joining every assessment item."""

    __table_args__ = (
        Index("ix_assessmentgap_cell", "cycle_id", "unit_id", "competency_id", "position_id", "gap"),
        {"sqlite_with_rowid": False},
    )
    cycle_id: int = Field(foreign_key="assessmentcycle.id", primary_key=True)
    subject_id: int = Field(foreign_key="employee.id", primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    position_id: int | None = Field(default=None, foreign_key="position.id")
    gap: int
