"""Units, positions and employees (the supervisor is an employee's supervisor_id)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    String,
    false,
)
from sqlmodel import Field, SQLModel

from portal.models._base import POSITION_CLASSES, _in, utcnow


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    name: str = Field(max_length=200)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)


class Position(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("position_class", POSITION_CLASSES), name="position_class"),
        Index("ix_position_code", "code", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    position_class: str = Field(max_length=40)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    # the key of imports (SIASN or HR's own list); unique when given (ix_position_code)
    code: str | None = Field(default=None, max_length=40)


class Employee(SQLModel, table=True):
    __table_args__ = (CheckConstraint("length(nip) = 18", name="nip_length"),)
    id: int | None = Field(default=None, primary_key=True)
    nip: str = Field(sa_column=Column(String(18), unique=True, nullable=False))
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    golongan: str | None = Field(default=None, max_length=10)  # PNS III/a .. IV/e, PPPK I .. XVII
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    position_id: int | None = Field(default=None, foreign_key="position.id", index=True)
    supervisor_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    is_active: bool = Field(default=True)
    is_hr: bool = Field(default=False)
    is_admin: bool = Field(default=False)
    password_hash: str | None = Field(default=None, max_length=255)
    # the account is switched off by an admin (no login, no link) while the employee stays in the
    # organisation and its reports; `is_active` = False is someone who left (Data Master)
    account_disabled: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # the language the person chose for the portal and its e-mails ("id", "en"); None: the default
    # (PORTAL_LOCALE) — portal.i18n.SUPPORTED_LOCALES
    locale: str | None = Field(default=None, max_length=5)
    created_at: datetime = Field(default_factory=utcnow)
