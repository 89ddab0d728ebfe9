"""The template environment: constant messages are translated once at compile time, with exactly the
output the newstyle gettext of jinja2.ext.i18n gives at render time."""

from __future__ import annotations

import gettext
from typing import ClassVar

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

from portal.web.templating import ConstantTranslations


class Catalogue(gettext.NullTranslations):
    """A real translations object with a few messages (as a compiled .mo catalogue would have)."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "Keluar": "Log out",
        "Sangat setuju": "Strongly <agree>",
        "Selesai 100%%": "Done 100%%",
        "Halo %(n)s": "Hello %(n)s",
    }

    def gettext(self, message: str) -> str:
        return self.MESSAGES.get(message, message)


SOURCES = {
    "plain.html": '<a>{{ _("Keluar") }}</a><b>{{ _("Tidak diterjemahkan") }}</b>',
    "markup.html": '<label>{{ _("Sangat setuju") }}</label>',
    "percent.html": '<p>{{ _("Selesai 100%%") }}</p>',
    "args.html": '<p>{{ _("Halo %(n)s", n=name) }}</p>',
    "expr.html": '<p>{{ _("Keluar") if flag else _("Sangat setuju") }}</p>',
    "attr.html": '<nav aria-label="{{ _(\'Keluar\') }}"></nav>',
    "trim.html": '{% if flag %}\n  {{ _("Keluar") }}\n{% endif %}\n',
}


def _env(extensions: list) -> Environment:
    env = Environment(
        loader=DictLoader(SOURCES),
        autoescape=select_autoescape(default_for_string=True, default=True),
        extensions=extensions,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = Catalogue()
    env.install_gettext_translations(translations, newstyle=True)
    env.extend(constant_gettext=translations.gettext)
    return env


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("flag", [True, False])
def test_compile_time_translation_renders_exactly_like_runtime_gettext(name: str, flag: bool) -> None:
    context = {"name": "<script>alert(1)</script>", "flag": flag}
    runtime = _env(["jinja2.ext.i18n"]).get_template(name).render(context)
    compiled = _env(["jinja2.ext.i18n", ConstantTranslations]).get_template(name).render(context)
    assert compiled == runtime
    if name == "args.html":
        assert "&lt;script&gt;" in compiled  # arguments are still escaped at render time


def test_constant_messages_leave_no_gettext_call_in_the_compiled_template() -> None:
    env = _env(["jinja2.ext.i18n", ConstantTranslations])
    code = env.compile(SOURCES["plain.html"] + SOURCES["args.html"], raw=True)
    assert "Log out" in code and "'Keluar'" not in code
    assert "'Halo %(n)s'" in code  # a message with arguments is translated per render


def test_a_placeholder_without_arguments_still_fails_at_render_time_as_before() -> None:
    src = {"bad.html": '{{ _("Nilai %(x)s") }}'}
    for extensions in (["jinja2.ext.i18n"], ["jinja2.ext.i18n", ConstantTranslations]):
        env = _env(extensions)
        env.loader = DictLoader(src)
        with pytest.raises(KeyError):
            env.get_template("bad.html").render()


def test_the_portal_environment_compiles_every_template_with_constants_inlined(tmp_path) -> None:
    from portal.app import create_app
    from tests import rig

    env = create_app(rig.test_settings(f"sqlite:///{tmp_path / 'portal.db'}")).template_engine.engine
    names = [n for n in env.list_templates() if n.endswith(".html")]
    assert len(names) > 50
    for name in names:
        env.get_template(name)  # compiles
    header = env.compile(env.loader.get_source(env, "_site_header.html")[0], raw=True)
    assert "Langsung ke konten" in header and "l_0__" not in header  # no `_` left to call in the layout


@pytest.mark.parametrize(
    ("zone", "day", "clock_time"),
    [("Asia/Jakarta", "1 Januari 2027", "23.30 WIB"), ("Asia/Jayapura", "2 Januari 2027", "01.30 WIT")],
)
def test_dates_of_stored_times_are_the_day_in_the_configured_time_zone(zone: str, day: str, clock_time: str) -> None:
    """A time stored in UTC is shown on the calendar day of PORTAL_TIMEZONE, by every date filter."""
    from datetime import datetime, timezone

    from portal.web.templating import build_environment

    env = build_environment(zone)
    at = datetime(2027, 1, 1, 16, 30, tzinfo=timezone.utc)
    assert env.from_string("{{ at|date }}").render(at=at) == day
    assert env.from_string("{{ at|short_date }}").render(at=at) == day.replace("Januari", "Jan")
    assert env.from_string("{{ at|time }}").render(at=at) == clock_time


@pytest.mark.parametrize("locale", ["id", "en"])
def test_gaps_and_nps_carry_one_minus_sign_and_a_plus(locale):
    """Gaps and NPS go through the `num` filter: a true minus sign, a "+" before positives, "0" and "–"."""
    from portal.web.templating import build_environment

    env = build_environment(locale=locale)
    gap = env.from_string('{% import "assessments/_macros.html" as ak %}{{ ak.gap_text(g) }}')
    assert [gap.render(g=g).strip() for g in (-3, 2, 0, None)] == ["\u22123", "+2", "0", "–"]
    nps = env.from_string("{{ v | num(0, signed=True) }}|{{ v | percent(0, signed=True) }}")
    assert [nps.render(v=v) for v in (-40, 12)] == ["\u221240|\u221240%", "+12|+12%"]
