"""The Jinja2 environment: autoescape, gettext, Indonesian formatting filters."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from portal import i18n
from portal.web.core import asset_version

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


def build_environment(timezone: str = i18n.DEFAULT_ZONE, locale: str = i18n.DEFAULT_LOCALE) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=400,
    )
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = lambda v, fmt="d MMMM y": i18n.format_date(v, locale, fmt)
    env.filters["short_date"] = lambda v: i18n.format_short_date(v, locale)
    env.filters["datetime"] = lambda v: i18n.format_datetime(v, locale, timezone)
    env.filters["time"] = lambda v: i18n.format_time(v, locale, timezone)
    env.filters["num"] = lambda v, digits=0: i18n.format_number(v, digits, locale)
    env.globals["asset_version"] = asset_version
    return env
