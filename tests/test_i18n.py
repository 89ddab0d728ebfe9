"""The locale of a request: Accept-Language before login, the account's choice after, the switch (a POST
with CSRF), the locale in handler threads and caches, and formatting by the locale."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import anyio
import anyio.to_thread
from sqlalchemy import select

from portal import i18n
from portal.models import Employee
from tests.conftest import DEMO, login, post, text_of


def test_accept_language_picks_the_best_supported_locale():
    assert i18n.negotiate("en-GB,en;q=0.9,id;q=0.8") == "en"
    assert i18n.negotiate("fr-FR, en;q=0.5, id;q=0.7") == "id"
    assert i18n.negotiate("fr, de") == "id" and i18n.negotiate(None) == "id" and i18n.negotiate("en;q=0") == "id"
    assert i18n.supported("en_US") == "en" and i18n.supported("xx") is None


def test_numbers_percentages_and_the_minus_sign_follow_the_locale():
    assert i18n.format_number(1234.5, 1, "id") == "1.234,5" and i18n.format_number(1234.5, 1, "en") == "1,234.5"
    assert i18n.format_number(-40, 0, "id") == "\u221240" == i18n.format_number(-40, 0, "en")
    assert i18n.format_number(3, 0, "en", signed=True) == "+3" and i18n.format_number(0, 0, "en", signed=True) == "0"
    assert i18n.format_number(-0.01, 1, "id") == "0,0"  # rounds to zero: no sign
    assert i18n.format_percent(40.26, 1, "id") == "40,3%" and i18n.format_percent(-5, 0, "en") == "\u22125%"


def test_dates_and_times_follow_the_current_locale():
    from datetime import date, datetime

    with i18n.use_locale("en"):
        assert i18n.format_date(date(2026, 11, 28)) == "28 November 2026"
        assert i18n.format_date(date(2026, 8, 17), fmt="d MMM y") == "17 Aug 2026"
        assert i18n.format_datetime(datetime(2026, 11, 28, 7, 5)) == "28 November 2026, 14:05 WIB"
    with i18n.use_locale("id"):
        assert i18n.format_date(date(2026, 8, 17), fmt="d MMM y") == "17 Agu 2026"
        assert i18n.format_datetime(datetime(2026, 11, 28, 7, 5)) == "28 November 2026, 14.05 WIB"


def test_the_locale_reaches_worker_threads_and_lazy_strings_follow_it():
    lazy = i18n.lazy_gettext("Beranda")

    async def main() -> tuple[str, str]:
        with i18n.use_locale("en"):
            in_thread = await anyio.to_thread.run_sync(lambda: i18n.gettext("Beranda"))
            return in_thread, str(lazy)

    # in a thread of its own: in the whole suite Playwright's sync API keeps a loop running on this thread
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(anyio.run, main).result() == ("Home", "Home")
    assert str(lazy) == "Beranda" and i18n.gettext("Beranda") == "Beranda"


def test_the_login_page_follows_accept_language(client):
    english = client.get("/login", headers={"accept-language": "en-GB,en;q=0.9"})
    assert english.status_code == 200 and '<html lang="en">' in english.text
    assert "Log in" in text_of(english.text) and "Masuk" not in text_of(english.text)
    indonesian = client.get("/login", headers={"accept-language": "id-ID,id;q=0.9,en;q=0.5"})
    assert '<html lang="id">' in indonesian.text and "Masuk" in text_of(indonesian.text)
    unknown = client.get("/halaman-yang-tidak-ada", headers={"accept-language": "en"})
    assert unknown.status_code == 404 and '<html lang="en">' in unknown.text


def test_the_switch_before_login_is_remembered_in_a_cookie(client):
    page = client.get("/login")
    assert '<html lang="id">' in page.text
    resp = post(client, "/akun/bahasa", {"locale": "en", "next": "/login"})
    assert resp.status_code == 303 and resp.headers["location"] == "/login"
    assert '<html lang="en">' in client.get("/login", headers={"accept-language": "id"}).text


def test_the_switch_is_remembered_on_the_account_and_used_in_handler_threads(client, db):
    login(client, DEMO["employee"])
    assert "Beranda" in text_of(client.get("/").text)
    resp = post(client, "/akun/bahasa", {"locale": "en", "next": "/survei"})
    assert resp.status_code == 303 and resp.headers["location"] == "/survei"
    assert db.scalar(select(Employee.locale).where(Employee.nip == DEMO["employee"])) == "en"
    home = client.get("/", headers={"accept-language": "id"})  # the account's choice wins over the browser
    assert '<html lang="en">' in home.text and "Home" in text_of(home.text)
    assert "English" in text_of(home.text)  # the flash message of the switch, in the new language
    # a validation message made by a service in a sync_to_thread handler is in English too
    refused = post(client, "/akun/sandi", {"current": "", "new": "", "repeat": ""})
    assert refused.status_code == 422 and '<html lang="en">' in refused.text
    assert "Kata sandi" not in text_of(refused.text)
    # the choice outlives the session
    post(client, "/logout")
    login(client, DEMO["employee"])
    assert '<html lang="en">' in client.get("/").text
    post(client, "/akun/bahasa", {"locale": "id", "next": "/"})
    assert '<html lang="id">' in client.get("/").text


def test_the_switch_refuses_a_post_without_the_csrf_token(client):
    login(client, DEMO["employee"])
    resp = client.post("/akun/bahasa", data={"locale": "en"})
    assert resp.status_code == 403


def test_the_compiled_survey_form_is_cached_per_locale(client):
    login(client, DEMO["employee"])
    listing = client.get("/survei").text
    import re

    match = re.search(r'href="(/survei/\d+)"', listing)
    assert match, "the demo employee has an open survey"
    indonesian = client.get(match.group(1)).text
    post(client, "/akun/bahasa", {"locale": "en", "next": "/"})
    english = client.get(match.group(1)).text
    assert "Sangat setuju" in indonesian and "Sangat setuju" not in english and "Strongly agree" in english
