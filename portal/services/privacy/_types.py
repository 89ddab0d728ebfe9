"""Shapes and small rules of the personal-data area: how an audit event names a person, which actions
make up someone's login history, and the rows the audit log viewer and Data Saya show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_

from portal.i18n import N_, _

PERSON_PREFIX = "employee:"
# what a person's login history holds: these actions, and any action named "<one of them>.<more>"
LOGIN_ACTIONS = ("login", "logout", "session", "password")
VIEW_ACTION = "view.person"


def person_target(employee_id: int) -> str:
    """The audit target that names a person as the subject of an event ("employee:12")."""
    return f"{PERSON_PREFIX}{employee_id}"


def person_of(target: str | None) -> int | None:
    """The person an audit target names, or None when it names something else."""
    if not target or not target.startswith(PERSON_PREFIX):
        return None
    rest = target[len(PERSON_PREFIX):]
    return int(rest) if rest.isascii() and rest.isdigit() and len(rest) <= 10 else None


def is_login_action(action: str) -> bool:
    return any(action == a or action.startswith(a + ".") for a in LOGIN_ACTIONS)


def login_action(column: Any) -> Any:
    """SQL: the action belongs to a login history (see LOGIN_ACTIONS)."""
    return or_(column.in_(LOGIN_ACTIONS), *(column.like(a + ".%") for a in LOGIN_ACTIONS))


@dataclass(frozen=True)
class AuditRow:
    """One audit event as the viewer shows it: who (actor), what (action), about whom (subject, when
    the target names a person), and the event's own words (target, detail)."""

    id: int
    at: datetime
    action: str
    target: str
    detail: str
    actor_id: int | None
    actor_name: str | None
    actor_nip: str | None
    subject_id: int | None = None
    subject_name: str | None = None
    subject_nip: str | None = None


@dataclass(frozen=True)
class PeopleMatch:
    """The people a name/NIP filter matched: their ids (None: no filter given) and whether more
    matched than the filter uses."""

    ids: list[int] | None = None
    truncated: bool = False


@dataclass
class AuditPage:
    rows: list[AuditRow] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    who: PeopleMatch = field(default_factory=PeopleMatch)
    subject: PeopleMatch = field(default_factory=PeopleMatch)


# --------------------------------------------------------------------------- Data Saya

Labels = Callable[[str, str], str]  # (action, detail) -> the words for an audit event (the web layer's)

INVITATION_STATUS = {"pending": N_("Belum diisi"), "draft": N_("Sedang diisi (draf)"), "submitted": N_("Sudah dikirim")}
RATING_STATUS = {"draft": N_("Sedang diisi (draf)"), "submitted": N_("Sudah dikirim")}
RATER_ROLE = {"supervisor": N_("Atasan langsung"), "self": N_("Laporan diri (Anda)")}
ENROLLMENT_STATUS = {"registered": N_("Terdaftar"), "attended": N_("Hadir"), "completed": N_("Selesai"), "absent": N_("Tidak hadir")}
CORRECTION_SECTION = {
    "profile": N_("Profil"), "akpk": N_("Penilaian kompetensi (AKPK)"), "surveys": N_("Survei pelatihan"),
    "application": N_("Penerapan dan dampak pelatihan"), "jp": N_("Riwayat pelatihan dan JP"), "other": N_("Lainnya"),
}
CORRECTION_STATUS = {"open": N_("Diajukan"), "done": N_("Selesai")}


def label_of(words: dict[str, str], key: str | None, default: str = "–") -> str:
    """The Indonesian word for a stored value (exports write these), the value itself when unknown."""
    return _(words[key]) if key in words else (key or default)


@dataclass(frozen=True)
class Me:
    """The employee whose data is read: the logged-in user, nobody else."""

    id: int
    nip: str


@dataclass(frozen=True)
class Section:
    """One section of Data Saya: one select restricted to `Me` (newest first) and the shape of its rows,
    used alike by the page (capped), the JSON and the XLSX downloads (streamed)."""

    key: str  # JSON key, page anchor
    title: str  # sheet name (Indonesian, through gettext when written)
    columns: tuple[tuple[str, str], ...]  # (key of the shaped row, header) in download order
    query: Callable[[Me, int | None], Any]  # the select; the int caps the page (rows, or cycles for AKPK)
    shape: Callable[[dict[str, Any], Labels], dict[str, Any]]
    single: bool = False  # one row (the profile): an object in JSON, a two-column sheet in XLSX


@dataclass
class SectionRows:
    """A section as the page shows it: its first rows and whether there are more (in the downloads)."""

    section: Section
    rows: list[dict[str, Any]]
    more: bool = False
