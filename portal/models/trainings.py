"""Questionnaires, trainings, their target competencies, enrolments and the JP summary."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from portal.models._base import QUESTION_KINDS, _in, utcnow


class Questionnaire(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("purpose", ("reaction", "application", "self_report")), name="purpose"),
    )
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    purpose: str = Field(default="reaction", max_length=20)
    version: int = Field(default=1)
    previous_id: int | None = Field(default=None, foreign_key="questionnaire.id")
    anonymous: bool = Field(default=True)
    locked: bool = Field(default=False)
    # bumped on every edit of the questionnaire or its questions: the key of the rendered-form cache
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = Field(default_factory=utcnow)


class Question(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("kind", QUESTION_KINDS), name="kind"),
        Index("ix_question_questionnaire_position", "questionnaire_id", "position"),
    )
    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id")
    section: str = Field(default="", max_length=200)
    position: int = Field(default=0)
    text: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=12)
    required: bool = Field(default=True)
    options: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON list of labels
    dimension: str = Field(default="lainnya", max_length=40)
    retrospective: bool = Field(default=False)
    max_length: int | None = None


class Training(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("mode", ("klasikal", "non_klasikal")), name="mode"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint("jp >= 0", name="jp_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    title: str = Field(max_length=250)
    kind: str = Field(max_length=20)
    mode: str = Field(max_length=20)
    provider: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    starts_on: date = Field(index=True)
    ends_on: date
    jp: int = Field(default=0)
    cost: int | None = Field(default=None)  # per participant, in rupiah
    reaction_questionnaire_id: int | None = Field(default=None, foreign_key="questionnaire.id")
    survey_opens_on: date | None = None
    survey_closes_on: date | None = None
    application_questionnaire_id: int | None = Field(default=None, foreign_key="questionnaire.id")
    self_report_questionnaire_id: int | None = Field(default=None, foreign_key="questionnaire.id")
    application_due_days: int = Field(default=90)


class TrainingCompetency(SQLModel, table=True):
    training_id: int = Field(foreign_key="training.id", primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", primary_key=True)


class Enrollment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("training_id", "employee_id"),
        CheckConstraint(_in("status", ("registered", "attended", "completed", "absent")), name="status"),
        CheckConstraint("jp_credited >= 0", name="jp_nonneg"),
        # the reports count each training's participants and JP (per unit, through the employee) from
        # this index alone
        Index("ix_enrollment_training_counts", "training_id", "status", "jp_credited", "employee_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    status: str = Field(default="registered", max_length=12)
    jp_credited: int = Field(default=0)


class EmployeeJp(SQLModel, table=True):
    """Per employee and calendar year: the credited enrollments (status attended or completed) in
    trainings that END in that year, and their JP. Kept in the transaction of every enrolment write
    (portal.services.summaries.jp, through portal.services.trainings.enrollments); the JP compliance
    figures (20 JP a year) read it instead of grouping every enrollment of the year per employee. Rows
    may stay behind with trainings = 0 (read with `trainings > 0`). Derived data:
    `portal summaries rebuild jp` recomputes it."""

    __table_args__ = (
        Index("ix_employeejp_year_jp", "year", "jp", "employee_id", "trainings"),
        {"sqlite_with_rowid": False},
    )
    employee_id: int = Field(primary_key=True)
    year: int = Field(primary_key=True)
    trainings: int = Field(default=0)
    jp: int = Field(default=0)
