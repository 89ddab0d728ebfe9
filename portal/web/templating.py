"""The Jinja2 environments, one per locale: autoescape, gettext, the locale's formatting filters, and the
template engine that renders each request with the environment of its locale (portal.i18n)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, Template, TemplateNotFound, pass_context, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from litestar.exceptions import TemplateNotFoundException
from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from portal import i18n
from portal.web.core import static_url

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"

# `{{ _("literal") }}` as the lexer sees it
_CONSTANT_CALL = ("variable_begin", "name", "lparen", "string", "rparen", "variable_end")


class ConstantTranslations(Extension):
    """Translates `{{ _("literal") }}` once, when the template is compiled, instead of on every render.

    The environment serves one locale, so the text of a constant message cannot change between renders;
    three of four `_()` calls in the templates are constants (page titles, labels, buttons). The output
    is exactly what the newstyle gettext of `jinja2.ext.i18n` returns for them: the translation marked
    safe (messages are trusted, as there), with `%%` turned into `%`. Calls with arguments, and any
    other use of `_`, are left to the i18n extension."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        gettext = getattr(self.environment, "constant_gettext", None)
        tokens: list[Token] = list(stream)
        if gettext is None:
            return iter(tokens)
        return self._rewrite(tokens, gettext)

    @staticmethod
    def _rewrite(tokens: list[Token], gettext) -> Iterator[Token]:
        i, n, width = 0, len(tokens), len(_CONSTANT_CALL)
        while i < n:
            window = tokens[i : i + width]
            if (
                len(window) == width
                and tuple(t.type for t in window) == _CONSTANT_CALL
                and window[1].value == "_"
            ):
                try:
                    text = gettext(window[3].value) % {}
                except (KeyError, TypeError, ValueError):  # a placeholder without arguments: as at runtime
                    text = None
                if text is not None:
                    yield Token(window[0].lineno, "data", text)
                    i += width
                    continue
            yield tokens[i]
            i += 1


def _memoised(format_value: Callable[..., str]) -> Callable[..., str]:
    """A formatting filter (Babel: ~30 us a call) memoised per argument values: dates and numbers of a
    page repeat, and the environment's locale and time zone never change."""
    cached = lru_cache(maxsize=16384)(format_value)

    def memoised(*args: Any, **kwargs: Any) -> str:
        try:
            return cached(*args, **kwargs)
        except TypeError:  # an unhashable value
            return format_value(*args, **kwargs)

    return memoised


def whatsapp_url(number: str, text: str) -> str:
    """A WhatsApp click-to-chat link (no API, no token): `number` in international form, digits only
    (`portal.services.reminders.whatsapp_number`), and the prefilled message, URL-encoded. A message
    built by the autoescaping `_()` comes back as Markup with its values HTML-escaped: unescaped first, so
    that "K3 & APAR" reaches WhatsApp as typed."""
    if isinstance(text, Markup):
        text = text.unescape()
    return f"https://wa.me/{quote(number, safe='')}?text={quote(text, safe='')}"


def build_environment(timezone: str = i18n.DEFAULT_ZONE, locale: str = i18n.DEFAULT_LOCALE) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n", ConstantTranslations],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=400,
    )
    translations = i18n.translations(locale)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.extend(constant_gettext=translations.gettext)
    env.filters["date"] = _memoised(lambda v, fmt="d MMMM y": i18n.format_date(v, locale, fmt, timezone))
    env.filters["short_date"] = _memoised(lambda v: i18n.format_short_date(v, locale, timezone))
    env.filters["datetime"] = lambda v: i18n.format_datetime(v, locale, timezone)
    env.filters["time"] = lambda v: i18n.format_time(v, locale, timezone)
    # memoised: a dashboard shows about a thousand numbers, most of them repeated (counts,
    # percentages), and Babel takes ~30 us for each
    env.filters["num"] = _memoised(lambda v, digits=0, signed=False: i18n.format_number(v, digits, locale, signed))
    env.filters["percent"] = _memoised(lambda v, digits=0, signed=False: i18n.format_percent(v, digits, locale, signed))
    env.globals["locale"] = locale
    env.globals["locale_names"] = i18n.LOCALE_NAMES
    env.globals["static_url"] = static_url
    env.globals["whatsapp_url"] = whatsapp_url
    return env


class LocalisedTemplateEngine(JinjaTemplateEngine):
    """Litestar's Jinja engine with one environment per supported locale: a template is taken from the
    environment of the request's locale (`portal.i18n.current_locale()`, set by the ASGI layers), so
    constant messages stay translated at compile time (ConstantTranslations) and the filters format
    in that locale. `self.engine` is the default locale's environment."""

    def __init__(self, timezone: str = i18n.DEFAULT_ZONE, default_locale: str = i18n.DEFAULT_LOCALE) -> None:
        self.environments = {locale: build_environment(timezone, locale) for locale in i18n.SUPPORTED_LOCALES}
        default = i18n.supported(default_locale) or i18n.DEFAULT_LOCALE
        super().__init__(engine_instance=self.environments[default])

    def environment(self, locale: str | None = None) -> Environment:
        return self.environments.get(locale or i18n.current_locale(), self.engine)

    def get_template(self, template_name: str) -> Template:
        try:
            return self.environment().get_template(name=template_name)
        except TemplateNotFound as exc:
            raise TemplateNotFoundException(template_name=template_name) from exc

    def register_template_callable(self, key: str, template_callable: Any) -> None:
        for env in getattr(self, "environments", {}).values():
            env.globals[key] = pass_context(template_callable)
