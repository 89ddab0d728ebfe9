"""The page chrome around every page's content: the site header (the person, the navigation) and the
footer (help, the language switch), rendered once per shape and filled per request.

Every page shows them, and they differ between requests only in a few values (the person's name and
unit, the CSRF field, the path the language switch returns to) and in a few shapes (language, logged in,
the navigation a role sees and its current item). So templates/_site_header.html and _site_footer.html
are rendered once per shape with markers where those values go, and a page fills the markers: a dict
lookup and a join instead of a template run on each page (docs/dev/performance.md). `render`
(portal.web.core) puts a `Chrome` in the context; templates/base.html prints its header and footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from portal.services.accounts import CurrentUser
from portal.web.compiled import Cache, Slot, split

_slot = Slot()


class CompiledChrome:
    """One rendered partial split at its markers: literals[0] name[0] literals[1] ... literals[-1]."""

    def __init__(self, html: str) -> None:
        self.literals, slots = split(html)
        self.names = [name for name, *_rest in slots]

    def fill(self, values: dict[str, str]) -> Markup:
        out = [self.literals[0]]
        for name, literal in zip(self.names, self.literals[1:]):
            out.append(values[name])
            out.append(literal)
        return Markup("".join(out))


@dataclass(frozen=True)
class _PersonSlots:
    """What the header template reads of the person, as markers (a shape knows only whether the person
    has a unit)."""

    name: Markup
    unit_name: Markup | None


class Chrome:
    """The chrome of one page, made when the template prints it (a fragment never does)."""

    def __init__(self, env: Any, user: CurrentUser | None, nav: list[dict[str, Any]], csrf_field: Markup, here: str) -> None:
        self._args = (env, user, nav, csrf_field, here)

    @cached_property
    def header(self) -> Markup:
        env, user, nav, csrf_field, _here = self._args
        if user is None:
            return _compile(env, "_site_header.html", (None,), user=None, nav=[], csrf_field=_slot("csrf")).fill(
                {"csrf": str(csrf_field)}
            )
        has_unit = bool(user.unit_name)
        person = _PersonSlots(name=_slot("name"), unit_name=_slot("unit") if has_unit else None)
        nav_key = tuple((item["href"], item["label"], item["current"]) for item in nav)
        compiled = _compile(env, "_site_header.html", (has_unit, nav_key), user=person, nav=nav, csrf_field=_slot("csrf"))
        return compiled.fill({"csrf": str(csrf_field), "name": str(escape(user.name)), "unit": str(escape(user.unit_name or ""))})

    @cached_property
    def footer(self) -> Markup:
        env, user, _nav, csrf_field, here = self._args
        compiled = _compile(
            env, "_site_footer.html", (user is not None,), user=user is not None, csrf_field=_slot("csrf"), here=_slot("here")
        )
        return compiled.fill({"csrf": str(csrf_field), "here": str(escape(here))})


# the environment itself (its language) in the key, not its id: ids are reused
_compiled: Cache[CompiledChrome] = Cache(256)  # languages x navigation variants x current item: a few dozen


def _compile(env: Any, template: str, key: tuple[Any, ...], **context: Any) -> CompiledChrome:
    return _compiled.get_or_build((env, template, *key), lambda: CompiledChrome(env.get_template(template).render(**context)))
