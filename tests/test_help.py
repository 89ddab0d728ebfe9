"""Bantuan (issue 16): a help page per role at /bantuan, a public one at /bantuan/masuk for the login page,
linked from the footer and from each form; who to contact comes from PORTAL_HELP_CONTACT."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from portal.settings import Settings
from tests.conftest import DEMO, login, text_of

# section ids each role sees (and must not see) on /bantuan
EVERYONE = ("akpk", "survei", "laporan-diri", "anonim", "dampak", "cara-hitung", "kontak")
BY_ROLE = {"supervisor": ("tim", "penilaian-penerapan"), "hr": ("bkpsdm",), "admin": ("bkpsdm", "admin")}


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


@pytest.fixture
def settings(db_url: str):  # noqa: ANN201
    from tests import rig

    return rig.test_settings(db_url, help_contact="Seksi Diklat BKPSDM, WhatsApp 0812-0000-0000")


def test_each_role_sees_the_help_its_roles_need_and_who_to_contact(client) -> None:  # noqa: ANN001
    extra = {section for sections in BY_ROLE.values() for section in sections}
    for role in ("employee", "supervisor", "hr", "admin"):
        login(client, DEMO[role])
        resp = client.get("/bantuan")
        assert resp.status_code == 200, role
        ids = _ids(resp.text)
        expected = set(BY_ROLE.get(role, ()))
        assert set(EVERYONE) <= ids, f"{role} misses {set(EVERYONE) - ids}"
        assert ids & extra == expected, f"{role} sees {sorted(ids & extra)}, expected {sorted(expected)}"
        page = text_of(resp.text)
        assert "Seksi Diklat BKPSDM, WhatsApp 0812-0000-0000" in page
        assert "Indeks = 50% penerapan + 30% perubahan + 20% laporan diri" in page, "the impact formula, from impact/_method.html"
        assert 'href="/dampak"' in resp.text, "a link to the impact pages"
        client.cookies.clear()


def test_the_public_help_explains_accounts_and_a_forgotten_password(client) -> None:  # noqa: ANN001
    login_page = client.get("/login")
    assert 'href="/bantuan/masuk"' in login_page.text, "the login page links to the public help"
    resp = client.get("/bantuan/masuk")
    assert resp.status_code == 200
    assert 'href="/lupa-sandi"' in resp.text and 'href="/aktivasi"' in resp.text
    assert "BKPSDM" in text_of(resp.text) and "Seksi Diklat BKPSDM" in text_of(resp.text)
    assert client.get("/bantuan", follow_redirects=False).status_code == 303, "the per-role help needs a login"


def test_every_page_footer_and_each_form_link_to_the_help(client, db) -> None:  # noqa: ANN001
    login(client, DEMO["employee"])
    home = client.get("/")
    footer = home.text.split('<footer class="site-footer">')[1]
    assert 'href="/bantuan"' in footer
    cycle = db.execute(text("SELECT id FROM assessmentcycle ORDER BY opens_on DESC LIMIT 1")).scalar_one()
    forms = {f"/penilaian/{cycle}": "/bantuan#akpk"}
    # the first survey of the list whose form is open
    for inv in dict.fromkeys(re.findall(r'href="/survei/(\d+)"', client.get("/survei").text)):
        if 'id="jawaban"' in client.get(f"/survei/{inv}").text:
            forms[f"/survei/{inv}"] = "/bantuan#survei"
            break
    assert len(forms) == 2, "the demo employee has no open survey"
    for url, link in forms.items():
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert f'href="{link}"' in resp.text, f"{url} does not link to {link}"


def test_help_contact_comes_from_the_environment_with_a_default() -> None:
    assert "BKPSDM" in Settings.from_env({}).help_contact
    assert Settings.from_env({"PORTAL_HELP_CONTACT": " Seksi Diklat "}).help_contact == "Seksi Diklat"
