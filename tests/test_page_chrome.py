"""The page chrome (portal.web.chrome) filled from its compiled shapes equals templates/_site_header.html
and _site_footer.html rendered directly, for every shape (logged in or not, with or without a unit, each
role's navigation and current item, both languages) and for names that need escaping; and a shape
compiled for one person never shows on another person's page."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from portal import i18n
from portal.services.accounts import CurrentUser
from portal.web.chrome import Chrome
from portal.web.core import nav_for
from portal.web.templating import build_environment


def _user(name: str, unit: str | None, *, hr: bool = False, admin: bool = False, supervisor: bool = False) -> CurrentUser:
    return CurrentUser(7, "1990", name, unit, None, is_hr=hr, is_admin=admin, is_supervisor=supervisor, session_key="k")


PEOPLE = [
    None,
    _user("Siti Aminah", None),
    _user("Budi <b>Santoso</b> & \"Putra\"", "Dinas <Pendidikan>", supervisor=True),
    _user("Rina", "BKPSDM", hr=True),
    _user("Admin O'Neil", "Sekretariat", hr=True, admin=True),
]
PATHS = ["/", "/survei/12", "/laporan/respons", "/admin/akun", "/tim"]


@pytest.mark.parametrize("locale", i18n.SUPPORTED_LOCALES)
def test_chrome_equals_the_partials_rendered_directly(locale):
    env = build_environment(locale=locale)
    for user in PEOPLE:
        for path in PATHS:
            nav = nav_for(user, path)
            field = Markup('<input type="hidden" name="_csrf_token" value="%s">') % f"tok-{path}"
            here = path + "?q=<x>&a=1"
            for _round in range(2):  # the first compiles the shape, the second fills the remembered one
                chrome = Chrome(env, user, nav, field, here)
                assert str(chrome.header) == env.get_template("_site_header.html").render(user=user, nav=nav, csrf_field=field)
                assert str(chrome.footer) == env.get_template("_site_footer.html").render(user=user, csrf_field=field, here=here)


def test_a_remembered_shape_carries_each_persons_own_name_and_token():
    env = build_environment()
    first = _user("Siti Aminah", "Dinas Kesehatan")
    second = _user("Joko Widodo", "Dinas Perhubungan")
    nav = nav_for(first, "/")
    a = Chrome(env, first, nav, Markup("<input value=tok-a>"), "/").header
    b = Chrome(env, second, nav_for(second, "/"), Markup("<input value=tok-b>"), "/").header
    assert "Siti Aminah" in a and "Dinas Kesehatan" in a and "tok-a" in a
    assert "Joko Widodo" in b and "Dinas Perhubungan" in b and "tok-b" in b
    assert "Siti" not in b and "tok-a" not in b and "Kesehatan" not in b
    assert "&lt;b&gt;" in Chrome(env, PEOPLE[2], [], Markup(""), "/").header
