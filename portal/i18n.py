"""gettext, dates, times and numbers in the locale of the request (Bahasa Indonesia by default).

Source strings are written in Bahasa Indonesia; the English catalogue is
portal/locale/en/LC_MESSAGES/messages.po (docs/dev/i18n.md). The locale is per request: a context
variable set by the ASGI layers (portal.web.middleware) from the account's choice or, before login,
from Accept-Language. Threads started with anyio (sync_to_thread handlers, `run_read`) copy the
context and so translate in the same language. `_()` translates now; a constant defined at import
time is marked with `N_()` (extracted, left as is) and translated where it is used, or made lazy with
`lazy_gettext()`.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal
from babel.support import LazyProxy

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LOCALE = "id"
DEFAULT_ZONE = "Asia/Jakarta"
# the languages a person can choose, in the order the switch shows them; each named in itself
SUPPORTED_LOCALES = ("id", "en")
LOCALE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
MINUS = "\u2212"  # the minus sign every formatted negative number carries (never a hyphen)

_locale: ContextVar[str] = ContextVar("portal_locale", default=DEFAULT_LOCALE)


# --------------------------------------------------------------------------- the current locale


def current_locale() -> str:
    return _locale.get()


def set_locale(locale: str | None) -> Token[str]:
    """Sets the locale of the running request (or task); an unknown one means the default."""
    return _locale.set(supported(locale) or DEFAULT_LOCALE)


def reset_locale(token: Token[str]) -> None:
    _locale.reset(token)


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """`with use_locale("en"):` translates in that language (an e-mail in its recipient's language)."""
    token = set_locale(locale)
    try:
        yield current_locale()
    finally:
        _locale.reset(token)


def supported(locale: str | None) -> str | None:
    """A supported locale for a tag such as "en", "en-GB", "id_ID"; None for anything else."""
    if not locale:
        return None
    base = locale.strip().replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LOCALES else None


@lru_cache(maxsize=256)
def negotiate(accept_language: str | None, default: str = DEFAULT_LOCALE) -> str:
    """The best supported locale for an Accept-Language header ("en-GB,en;q=0.9,id;q=0.8"). Every
    request asks (before its session is known); browsers send a handful of distinct headers, so the
    answers are kept (bounded: a client sending a new header each time only evicts older ones)."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        locale = supported(tag)
        if locale and quality > 0:
            choices.append((-quality, index, locale))
    return min(choices)[2] if choices else (supported(default) or DEFAULT_LOCALE)


# --------------------------------------------------------------------------- catalogues


def _po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def compile_catalog(locale: str) -> bytes | None:
    """The .mo bytes of a locale's .po, written next to it when the .mo is missing or older than the
    .po (a fresh clone, an edited catalogue); None when the locale has no .po (the source language).
    `make install` compiles too (pybabel compile); this keeps tests and `portal serve` right anyway."""
    po = _po_path(locale)
    mo = po.with_suffix(".mo")
    if not po.exists():
        return None
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo.read_bytes()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    try:
        fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix=".messages-", suffix=".mo")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, mo)
    except OSError:  # a read-only install: the catalogue still works from memory
        pass
    return data


@lru_cache(maxsize=8)
def translations(locale: str = DEFAULT_LOCALE) -> _gettext.NullTranslations:
    data = compile_catalog(locale) if supported(locale) else None
    if data is None:
        return _gettext.NullTranslations()
    return _gettext.GNUTranslations(io.BytesIO(data))


def gettext(message: str) -> str:
    return translations(_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_locale.get()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Marks a constant for extraction without translating it: translate it where it is used, `_(X)`."""
    return message


def lazy_gettext(message: str) -> LazyProxy:
    """A string translated each time it is used, in the locale of that moment (module constants)."""
    return LazyProxy(gettext, message, enable_cache=False)

# --------------------------------------------------------------------------- dates, times, numbers
# `locale=None` means the locale of the request; the Jinja filters (portal.web.templating) call these.

_TIME_FORMAT = {"id": "HH.mm", "en": "HH:mm"}


def _loc(locale: str | None) -> str:
    return locale or _locale.get()


def format_date(value: date | datetime | None, locale: str | None = None, fmt: str = "d MMMM y", zone: str = DEFAULT_ZONE) -> str:
    """A calendar day ("28 November 2026"); a datetime (UTC) is first turned into the day it is in `zone`."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = to_local(value, zone).date()
    return _babel_date(value, format=fmt, locale=_loc(locale))


def format_short_date(value: date | datetime | None, locale: str | None = None, zone: str = DEFAULT_ZONE) -> str:
    return format_date(value, locale, "d MMM y", zone)


def to_local(value: datetime, zone: str = DEFAULT_ZONE) -> datetime:
    """Naive datetimes in the database are UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ZoneInfo(zone))


def zone_abbrev(zone: str = DEFAULT_ZONE) -> str:
    return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(zone, zone)


def format_datetime(value: datetime | None, locale: str | None = None, zone: str = DEFAULT_ZONE) -> str:
    if value is None:
        return "–"
    locale = _loc(locale)
    local = to_local(value, zone)
    pattern = f"d MMMM y, {_TIME_FORMAT.get(locale, 'HH.mm')}"
    return f"{_babel_datetime(local, format=pattern, locale=locale)} {zone_abbrev(zone)}"


def format_time(value: datetime | None, locale: str | None = None, zone: str = DEFAULT_ZONE) -> str:
    if value is None:
        return "–"
    locale = _loc(locale)
    local = to_local(value, zone)
    return f"{_babel_datetime(local, format=_TIME_FORMAT.get(locale, 'HH.mm'), locale=locale)} {zone_abbrev(zone)}"


def format_number(value: float | int | None, digits: int = 0, locale: str | None = None, signed: bool = False) -> str:
    """The one way a number is shown: the locale's separators ("1.234,5" / "1,234.5"), a true minus
    sign "−" for negatives in every locale, and with `signed` a "+" before positives (changes, gaps)."""
    if value is None:
        return "–"
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    text = _babel_decimal(abs(value), format=fmt, locale=_loc(locale))
    if text.strip("0.,") == "":  # rounds to zero: no sign
        return text
    if value < 0:
        return MINUS + text
    return "+" + text if signed and value > 0 else text


def format_percent(value: float | int | None, digits: int = 0, locale: str | None = None, signed: bool = False) -> str:
    """A percentage already multiplied by 100 (40 -> "40%"), formatted like `format_number`."""
    if value is None:
        return "–"
    return format_number(value, digits, locale, signed) + "%"
