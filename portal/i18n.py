"""gettext, dates, times and numbers in the configured locale (Bahasa Indonesia by default).

Source strings are written in Bahasa Indonesia; an English catalogue can be added under
portal/locale/en/LC_MESSAGES/messages.mo without touching templates.
"""

from __future__ import annotations

import gettext as _gettext
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LOCALE = "id"
DEFAULT_ZONE = "Asia/Jakarta"


@lru_cache(maxsize=8)
def translations(locale: str = DEFAULT_LOCALE) -> _gettext.NullTranslations:
    return _gettext.translation("messages", localedir=str(LOCALE_DIR), languages=[locale], fallback=True)


def gettext(message: str) -> str:
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)


_ = gettext


def format_date(value: date | datetime | None, locale: str = DEFAULT_LOCALE, fmt: str = "d MMMM y", zone: str = DEFAULT_ZONE) -> str:
    """A calendar day ("28 November 2026"); a datetime (UTC) is first turned into the day it is in `zone`."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = to_local(value, zone).date()
    return _babel_date(value, format=fmt, locale=locale)


def format_short_date(value: date | datetime | None, locale: str = DEFAULT_LOCALE, zone: str = DEFAULT_ZONE) -> str:
    return format_date(value, locale, "d MMM y", zone)


def to_local(value: datetime, zone: str = DEFAULT_ZONE) -> datetime:
    """Naive datetimes in the database are UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ZoneInfo(zone))


def zone_abbrev(zone: str = DEFAULT_ZONE) -> str:
    return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(zone, zone)


def format_datetime(value: datetime | None, locale: str = DEFAULT_LOCALE, zone: str = DEFAULT_ZONE) -> str:
    if value is None:
        return "–"
    local = to_local(value, zone)
    return f"{_babel_datetime(local, format='d MMMM y, HH.mm', locale=locale)} {zone_abbrev(zone)}"


def format_time(value: datetime | None, locale: str = DEFAULT_LOCALE, zone: str = DEFAULT_ZONE) -> str:
    if value is None:
        return "–"
    return f"{to_local(value, zone).strftime('%H.%M')} {zone_abbrev(zone)}"


def format_number(value: float | int | None, digits: int = 0, locale: str = DEFAULT_LOCALE) -> str:
    if value is None:
        return "–"
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return _babel_decimal(value, format=fmt, locale=locale)
