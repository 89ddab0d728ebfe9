"""The metadata (with its naming convention, set before any table is defined), the enumerations
guarded by CHECK constraints, and small helpers shared by every table module."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import (
    MetaData,
)
from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

POSITION_CLASSES = (
    "jpt_madya",
    "jpt_pratama",
    "administrator",
    "pengawas",
    "pelaksana",
    "fungsional_ahli_utama",
    "fungsional_ahli_madya",
    "fungsional_ahli_muda",
    "fungsional_ahli_pertama",
    "fungsional_penyelia",
    "fungsional_mahir",
    "fungsional_terampil",
)
COMPETENCY_GROUPS = ("manajerial", "sosial_kultural", "teknis")
QUESTION_KINDS = ("likert5", "scale0_10", "single", "multi", "text")
DIMENSIONS = ("materi", "fasilitator", "sarana", "penyelenggaraan", "relevansi", "penerapan", "lainnya")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def random_key() -> str:
    """A random, non-sequential primary key (128 bits, hex)."""
    return secrets.token_hex(16)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
