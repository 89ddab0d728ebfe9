"""Streaming an export from a controller (shared by /laporan, /akpk/kesenjangan and /dampak): the format
checked, the export written to the audit log (who, what, with which filters), then the CSV or the XLSX
(with its first sheet, `exports.About`) streamed under a dated file name. The rows are read lazily."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from litestar.exceptions import NotFoundException
from litestar.response import Stream

from portal.i18n import _, format_date, to_local
from portal.services import reports
from portal.services.accounts import CurrentUser, audit
from portal.services.reports import exports
from portal.settings import Settings
from portal.web.core import DB

FORMATS = ("csv", "xlsx")


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise NotFoundException()


def stream_export(
    db: DB,
    user: CurrentUser,
    today: date,
    *,
    fmt: str,
    stem: str,
    kind: str,
    detail: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet: str,
    about: exports.About | None = None,
    more_sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = (),
) -> Stream:
    """Audit, then stream the export. The rows iterator is lazy: nothing is read before the first chunk.
    The XLSX starts with the `about` sheet (filters, period, minimum group rule, when it was made)."""
    if fmt not in FORMATS:
        raise NotFoundException()
    audit(db, user.id, "report.export", kind, f"format={fmt} {detail}".strip())
    db.commit()
    if fmt == "csv":
        chunks, media = exports.csv_chunks(headers, rows), exports.CSV_MEDIA_TYPE
    else:
        sheets = [(sheet, headers, rows), *more_sheets]  # CSV: the first only
        chunks, media = exports.xlsx_sheets_chunks(sheets, about=about), exports.XLSX_MEDIA_TYPE
    name = exports.filename(stem, fmt, today)
    return Stream(chunks, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


def made_now(settings: Settings) -> datetime:
    """Now, in the portal's time zone (for the first sheet of an export and the print views)."""
    return to_local(datetime.now(UTC), settings.timezone)


def about_period(
    settings: Settings, title: str, filters: reports.Filters, *, anonymous_data: bool = True, notes: Sequence[str] = ()
) -> exports.About:
    """The first sheet of an export filtered by period and unit."""
    return exports.about(
        title, made_now(settings), filters=filters.export_lines(), period=filters.period_text(),
        min_group=settings.min_group_size, anonymous_data=anonymous_data, notes=notes,
    )


def about_training(settings: Settings, title: str, rep: reports.TrainingReport, *, anonymous_data: bool) -> exports.About:
    """The first sheet of an export of one training."""
    t = rep.training
    return exports.about(
        title, made_now(settings), filters=[(_("Pelatihan"), f"{t.code} · {t.title}")],
        period=_("%(a)s s.d. %(b)s") % {"a": format_date(t.starts_on), "b": format_date(t.ends_on)},
        min_group=settings.min_group_size, anonymous_data=anonymous_data,
    )
