"""Every page is valid HTML (issue 16): a crawl of every GET route of tests/test_route_guards.py ROUTES,
each by a role that may see it (with an object of its own when it has one; the public pages logged out),
plus Beranda and Bantuan of every role, checked by the Nu Html Checker in one run (tests/html_check.py). The browser journeys check
the pages they visit as well (tests/conftest.py, fixture `page`).

SQLite only: the markup does not depend on the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from litestar.testing import TestClient

from portal.app import create_app
from tests import html_check, rig
from tests.conftest import DEMO, _fresh_database, login
from tests.test_route_guards import LOGGED_IN, ROLE_ACCESS, ROLES, ROUTES, Site, _person, ids_for, url_of

EVERY_ROLE = ("/", "/bantuan")  # pages whose content depends on the role: checked for each


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest, work_dir: Any) -> Iterator[Site]:
    for url in _fresh_database(request, "sqlite", "demo", work_dir):
        with ExitStack() as stack:
            clients = {}
            for role in ROLES:
                client = stack.enter_context(TestClient(create_app(rig.test_settings(url)), base_url="http://testserver.local"))
                if role != "anonymous":
                    login(client, DEMO[role])
                clients[role] = client
            engine = clients["anonymous"].app.state.engine
            with engine.connect() as conn:
                people = {role: _person(conn, DEMO[role]) for role in LOGGED_IN}
            yield Site(engine, clients, people)


def _crawl(site: Site) -> dict[str, str]:
    pages: dict[str, str] = {}
    for (method, path), rule in ROUTES.items():
        if method != "GET":
            continue
        roles = [r for r in ROLES if rule.access in ROLE_ACCESS[r]]
        if rule.access == "public":
            roles = ["anonymous"]  # logged in, the login page redirects
        elif path not in EVERY_ROLE:
            owners = [r for r in roles if r != "anonymous" and ids_for(site, rule, r)[1]]
            roles = (owners or roles)[:1]
        for role in roles:
            ids, _own = ids_for(site, rule, role)
            url = url_of(path, ids, rule.query)
            resp = site.clients[role].get(url, follow_redirects=False)
            if resp.status_code == 200 and resp.headers.get("content-type", "").startswith("text/html"):
                pages[f"GET {url} as {role}"] = resp.text
    return pages


def test_every_page_of_every_role_is_valid_html(site: Site) -> None:
    pages = _crawl(site)
    assert len(pages) > 50, f"the crawl found only {len(pages)} pages"
    errors = html_check.validate(pages)
    assert not errors, html_check.report(errors, len(pages))


def test_the_checker_reports_invalid_markup() -> None:
    errors = html_check.validate({"bad": '<!DOCTYPE html><html lang="id"><title>x</title><p hx-get="/x">a</p>'})
    assert len(errors) == 1 and errors[0].startswith("bad:1: Attribute “hx-get” not allowed"), errors
