"""On-the-job application ratings (L3) and the impact scores computed from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from portal.models._base import _in, utcnow


class ApplicationRating(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("enrollment_id", "rater_role"),
        CheckConstraint(_in("rater_role", ("supervisor", "self")), name="rater_role"),
        CheckConstraint(_in("status", ("draft", "submitted")), name="status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", index=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id")
    rater_id: int = Field(foreign_key="employee.id", index=True)
    rater_role: str = Field(default="supervisor", max_length=12)
    status: str = Field(default="draft", max_length=12)
    submitted_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)
    reopen_count: int = Field(default=0)


class ApplicationAnswer(SQLModel, table=True):
    rating_id: int = Field(foreign_key="applicationrating.id", primary_key=True)
    question_id: int = Field(foreign_key="question.id", primary_key=True)
    value_num: int | None = None
    value_before: int | None = None
    value_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ImpactScore(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("impact_index BETWEEN 0 AND 100", name="index_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", sa_column_kwargs={"unique": True})
    application_score: float | None = None
    change_score: float | None = None
    self_score: float | None = None
    impact_index: float
    category: str = Field(max_length=30)
    formula_version: str = Field(max_length=10)
    computed_at: datetime = Field(default_factory=utcnow)
