"""Login sessions, login failures, one-time account links, password-reset requests and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from portal.models._base import _in, utcnow

TOKEN_PURPOSES = ("activation", "reset")


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
    # where the session was started, for the account's owner and the admin (kept as long as the session)
    ip: str = Field(default="", sa_column=Column(String(64), nullable=False, server_default=""))
    user_agent: str = Field(default="", sa_column=Column(String(200), nullable=False, server_default=""))


class LoginFailure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    nip: str = Field(max_length=40, index=True)
    ip: str = Field(default="", max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class AccountToken(SQLModel, table=True):
    """A one-time link to set a password: `activation` for an account that has none yet (imports, Data
    Master), `reset` for a forgotten one. Only the SHA-256 of the token is stored (the token itself is
    shown or sent once), so a database reader cannot use a link. Used at most once (`used_at`), until
    `expires_at`; a newer link of the same person replaces the unused ones
    (portal.services.accounts.activation)."""

    __table_args__ = (CheckConstraint(_in("purpose", TOKEN_PURPOSES), name="purpose"),)
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    purpose: str = Field(max_length=12)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    # who issued it (HR or admin); None when the person asked for it (forgotten password by email)
    created_by: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
    used_at: datetime | None = None


class PasswordResetRequest(SQLModel, table=True):
    """One "forgotten password" request (the NIP as typed, the address), kept for an hour to throttle
    the form per NIP and per address, whether or not the NIP exists."""

    id: int | None = Field(default=None, primary_key=True)
    nip: str = Field(max_length=40, index=True)
    ip: str = Field(default="", max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
