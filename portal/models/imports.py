"""Spreadsheet imports of master data and the change log that lets them be undone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    LargeBinary,
    Text,
)
from sqlmodel import Field, SQLModel

from portal.models._base import _in, utcnow


class ImportBatch(SQLModel, table=True):
    """One uploaded file of an import kind (portal.services.imports): previewed, then applied (or
    discarded), possibly undone. The file itself is kept only until it is applied or discarded."""

    __table_args__ = (CheckConstraint(_in("status", ("preview", "applied", "discarded", "undone")), name="status"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    file_name: str = Field(max_length=200)
    file_format: str = Field(max_length=10)
    sheet_name: str | None = Field(default=None, max_length=100)
    status: str = Field(default="preview", max_length=12)
    created_by: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime = Field(default_factory=utcnow)
    applied_at: datetime | None = None
    undone_at: datetime | None = None
    n_create: int = Field(default=0)
    n_update: int = Field(default=0)
    n_unchanged: int = Field(default=0)
    n_reject: int = Field(default=0)
    only_valid: bool = Field(default=False)
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    rejects: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))  # JSON
    ignored: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))  # JSON


class ImportChange(SQLModel, table=True):
    """What applying a batch did to one row (created, or updated from `before` to `after`, JSON), so
    that it can be undone."""

    __table_args__ = ({"sqlite_with_rowid": False},)
    batch_id: int = Field(foreign_key="importbatch.id", primary_key=True)
    seq: int = Field(primary_key=True)
    row_id: int
    action: str = Field(max_length=8)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
