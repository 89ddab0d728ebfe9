"""The competency dictionary, its levels, and each position's standard."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from portal.models._base import COMPETENCY_GROUPS, _in


class Competency(SQLModel, table=True):
    __table_args__ = (CheckConstraint(_in("group_name", COMPETENCY_GROUPS), name="group_name"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    name: str = Field(max_length=200)
    group_name: str = Field(max_length=20)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class CompetencyLevel(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("competency_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", index=True)
    level: int
    description: str = Field(sa_column=Column(Text, nullable=False))


class PositionStandard(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("position_id", "competency_id"),
        CheckConstraint("required_level BETWEEN 1 AND 5", name="required_level_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id", index=True)
    competency_id: int = Field(foreign_key="competency.id", index=True)
    required_level: int
