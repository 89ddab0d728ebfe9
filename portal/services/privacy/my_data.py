"""Data Saya (/data-saya): everything the portal holds about the logged-in employee, as a page (each
section capped, the rest in the downloads) and as JSON and XLSX downloads (every row, streamed).

Only ever the user's own data: every function takes `Me` (built by the web layer from the session's
user, never from the URL) and every section's select is restricted to it (`data_records`, `data_trail`).
Anonymous survey answers are not part of it: they are linked to nobody (ANONYMOUS_NOTE says so on the page
and in both downloads).

Bounded: the page runs one query per section plus one for the JP totals per year (12); the downloads
stream each section from a connection of their own (server-side cursor on PostgreSQL) and write the
XLSX in xlsxwriter's constant-memory mode."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from portal.i18n import N_, _
from portal.models import EmployeeJp
from portal.services.accounts import audit
from portal.services.privacy._types import (
    Labels,
    Me,
    Section,
    SectionRows,
    person_target,
)
from portal.services.privacy.data_records import (
    AKPK,
    IMPACT,
    JP,
    PROFILE,
    RATINGS,
    SURVEY_ANSWERS,
    SURVEYS,
)
from portal.services.privacy.data_trail import ACCESS, CORRECTIONS, LOGINS, SESSIONS
from portal.services.reports import exports

# the order of the page and of the downloads
SECTIONS: tuple[Section, ...] = (PROFILE, AKPK, SURVEYS, SURVEY_ANSWERS, RATINGS, IMPACT, JP, LOGINS, SESSIONS, ACCESS, CORRECTIONS)
# how much of each section the page shows (AKPK: cycles; the others: rows); the downloads hold all
PAGE_CAPS = {
    "akpk": 3, "survei": 20, "jawaban_survei": 60, "penerapan": 60, "dampak": 20, "jp": 50,
    "riwayat_masuk": 20, "sesi": 10, "akses": 20, "koreksi": 10,
}
ANONYMOUS_NOTE = (
    N_("Jawaban survei anonim tidak termasuk di sini: jawaban itu disimpan tanpa tautan ke siapa pun, sehingga "
    "portal sendiri tidak dapat menemukan mana jawaban Anda.")
)
DOWNLOAD_ACTION = "mydata.download"
FORMATS = ("json", "xlsx")


@dataclass(frozen=True)
class JpYear:
    year: int
    trainings: int
    jp: int


@dataclass
class MyData:
    me: Me
    sections: dict[str, SectionRows]
    jp_years: list[JpYear]

    @property
    def profile(self) -> dict[str, Any]:
        rows = self.sections[PROFILE.key].rows
        return rows[0] if rows else {}

    def groups(self, section: str, *keys: str) -> list[list[dict[str, Any]]]:
        """A section's rows in runs of equal `keys` (e.g. one AKPK cycle), in their order."""
        runs: list[list[dict[str, Any]]] = []
        for row in self.sections[section].rows:
            if runs and all(runs[-1][0][k] == row[k] for k in keys):
                runs[-1].append(row)
            else:
                runs.append([row])
        return runs


def _shaped(conn: Connection | Session, section: Section, me: Me, cap: int | None, labels: Labels) -> Iterator[dict[str, Any]]:
    stmt = section.query(me, cap)
    if cap is None and not section.single and isinstance(conn, Connection):
        result = conn.execution_options(stream_results=True, yield_per=500).execute(stmt)
    else:
        result = conn.execute(stmt)
    try:
        for row in result.mappings():
            yield section.shape(dict(row), labels)
    finally:  # a download abandoned half-way closes its server-side cursor
        result.close()


def _capped(session: Session, section: Section, me: Me, labels: Labels) -> SectionRows:
    cap = PAGE_CAPS.get(section.key)
    rows = list(_shaped(session, section, me, cap, labels))
    if cap is None:
        return SectionRows(section, rows)
    if section is AKPK:  # capped by cycles: keep whole cycles
        cycles = list(dict.fromkeys(r["cycle_id"] for r in rows))
        kept = set(cycles[:cap])
        return SectionRows(section, [r for r in rows if r["cycle_id"] in kept], more=len(cycles) > cap)
    return SectionRows(section, rows[:cap], more=len(rows) > cap)


def my_data(session: Session, me: Me, labels: Labels) -> MyData:
    """The page's data: each section's first rows. Queries: 12."""
    sections = {s.key: _capped(session, s, me, labels) for s in SECTIONS}
    years = session.execute(
        select(EmployeeJp.year, EmployeeJp.trainings, EmployeeJp.jp)
        .where(EmployeeJp.employee_id == me.id, EmployeeJp.trainings > 0)
        .order_by(EmployeeJp.year.desc())
    ).all()
    return MyData(me, sections, [JpYear(int(y.year), int(y.trainings), int(y.jp)) for y in years])


def record_download(session: Session, me: Me, fmt: str) -> None:
    """Audit the download (the user's own act: not listed among the accesses by others). Commits."""
    audit(session, me.id, DOWNLOAD_ACTION, person_target(me.id), f"format={fmt}")
    session.commit()


# --------------------------------------------------------------------------- downloads


def _json_value(value: Any, tz: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _sheet_value(value: Any, tz: ZoneInfo) -> Any:
    """Times in the portal's zone (the XLSX writer prints a datetime as it is)."""
    if isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None)
    return value


def _about(me: Me, now: datetime, tz: ZoneInfo) -> list[tuple[str, Any]]:
    return [
        (_("Portal"), _("Portal Kompetensi ASN")),
        (_("Dibuat"), now.astimezone(tz).replace(tzinfo=None)),
        (_("NIP"), me.nip),
        (_("Catatan"), _(ANONYMOUS_NOTE)),
        (_("Dasar"), _("UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi: hak Anda untuk mengakses dan memperoleh salinan data pribadi Anda.")),
    ]


def json_chunks(engine: Engine, me: Me, labels: Labels, zone: str, now: datetime) -> Iterator[bytes]:
    """The whole of Data Saya as one JSON object, keyed by section, each row keyed by its Indonesian
    column header; written section by section, row by row."""
    tz = ZoneInfo(zone)

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=lambda v: _json_value(v, tz))

    def row_object(section: Section, row: dict[str, Any]) -> dict[str, Any]:
        return {_(header): _json_value(row.get(key), tz) for key, header in section.columns}

    buffer: list[str] = ["{", f"{dumps('tentang')}:{dumps(dict(_about(me, now, tz)))}"]
    with engine.connect() as conn:
        for section in SECTIONS:
            buffer.append(f",{dumps(section.key)}:")
            rows = _shaped(conn, section, me, None, labels)
            if section.single:
                first = next(rows, None)
                buffer.append(dumps(row_object(section, first) if first else {}))
                continue
            buffer.append("[")
            for i, row in enumerate(rows):
                buffer.append(("," if i else "") + dumps(row_object(section, row)))
                if len(buffer) >= exports.CHUNK_ROWS:
                    yield "".join(buffer).encode("utf-8")
                    buffer.clear()
            buffer.append("]")
    buffer.append("}")
    yield "".join(buffer).encode("utf-8")


def xlsx_chunks(engine: Engine, me: Me, labels: Labels, zone: str, now: datetime) -> Iterator[bytes]:
    """The whole of Data Saya as a workbook: a sheet "Tentang", then one sheet per section."""
    tz = ZoneInfo(zone)

    def sheets() -> Iterator[tuple[str, list[str], Iterable[list[Any]]]]:
        yield _("Tentang"), [_("Keterangan"), _("Isi")], [[k, v] for k, v in _about(me, now, tz)]
        with engine.connect() as conn:
            for section in SECTIONS:
                rows = _shaped(conn, section, me, None, labels)
                if section.single:
                    first = next(rows, None) or {}
                    yield _(section.title), [_("Data"), _("Isi")], [[_(h), _sheet_value(first.get(k), tz)] for k, h in section.columns]
                else:
                    yield (
                        _(section.title),
                        [_(h) for _k, h in section.columns],
                        ([_sheet_value(row.get(k), tz) for k, _h in section.columns] for row in rows),
                    )

    return exports.xlsx_sheets_chunks(sheets())
