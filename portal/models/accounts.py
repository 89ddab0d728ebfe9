"""Login sessions, login failures and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Column,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from portal.models._base import utcnow


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    action: str = Field(max_length=60)
    target: str = Field(default="", max_length=200)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class UserSession(SQLModel, table=True):
    """Server-side login session. `id` is the SHA-256 of the cookie token (the token itself is
    never stored), so a database reader cannot hijack sessions."""

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    employee_id: int = Field(foreign_key="employee.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    flash: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class LoginFailure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    nip: str = Field(max_length=40, index=True)
    ip: str = Field(default="", max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
