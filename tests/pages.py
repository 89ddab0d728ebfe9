"""Every page each demo role may open: one list for the page-weight bench and the 360 px browser test.

Pages are the GET routes of tests/test_route_guards.ROUTES that answer a page (200) to a role with
access: exports, downloads, print views, redirects, fragments and routes that only answer 404 with the
demo data are left out. Path ids come from the demo data through the same finders the guard test uses
(the acting person's own object, else the first demo person's who has one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from tests.conftest import DEMO
from tests.test_route_guards import LOGGED_IN, OBJECTS, ROLE_ACCESS, ROUTES, _person, url_of

ROLES = LOGGED_IN  # employee, supervisor, hr, admin
# GET routes that answer something other than an HTML page, or no page with the demo data
NOT_PAGES = re.compile(r"/ekspor|/jawaban/\{fmt|/templat/|/unduh/|/cetak$|/komentar$|/kesenjangan/sel$|^/healthz$")


@dataclass(frozen=True)
class PageVisit:
    role: str
    path: str  # the route's path template
    url: str  # filled with demo ids


def page_routes() -> list[tuple[str, str]]:
    """(path template, access level) of every GET route that renders a full page."""
    out = []
    for (method, path), rule in ROUTES.items():
        if method != "GET" or NOT_PAGES.search(path) or 200 not in rule.allowed(method):
            continue
        out.append((path, rule.access))
    return sorted(out)


def pages_of(engine: Engine, role: str) -> list[PageVisit]:
    """The pages `role` may open, with their ids filled from the demo data."""
    visits = []
    with engine.connect() as conn:
        people = {r: _person(conn, DEMO[r]) for r in ROLES}
        for path, access in page_routes():
            if access not in ROLE_ACCESS[role]:
                continue
            rule = ROUTES[("GET", path)]
            objects = OBJECTS[rule.ids]
            ids = objects.own(conn, people[role])
            if ids is None and objects.other is not None:
                continue  # someone else's object: 404 by design, no page of this role
            if ids is None:
                ids = next((found for r in ROLES if (found := objects.own(conn, people[r])) is not None), None)
            if ids is None:
                continue
            visits.append(PageVisit(role, path, url_of(path, ids, rule.query)))
    return visits


def all_pages(engine: Engine) -> list[PageVisit]:
    return [visit for role in ROLES for visit in pages_of(engine, role)]


# --------------------------------------------------------------------------- page weight over HTTP

ACCEPT_ENCODING = "gzip, br"
_ASSET = re.compile(r'<(?:link[^>]*\brel="stylesheet"[^>]*\bhref|script[^>]*\bsrc)="([^"]+)"')


@dataclass(frozen=True)
class PageWeight:
    visit: PageVisit
    status: int
    html: int  # encoded bytes of the HTML on the wire
    assets: int  # encoded bytes of every stylesheet and script the page references

    @property
    def total(self) -> int:
        return self.html + self.assets


def weigh(client, visit: PageVisit, asset_sizes: dict[str, int]) -> PageWeight:  # noqa: ANN001
    """A first visit of `visit.url` through a logged-in httpx.Client of a live server: the page and each
    CSS/JS it references, as a browser with an empty cache fetches them (redirects followed, the final
    page counted). `asset_sizes` caches the encoded size of each asset URL across pages."""
    headers = {"Accept-Encoding": ACCEPT_ENCODING}
    resp = client.get(visit.url, headers=headers, follow_redirects=True)
    html = resp.num_bytes_downloaded
    assets = 0
    for src in _ASSET.findall(resp.text):
        if src not in asset_sizes:
            asset = client.get(src, headers=headers)
            asset.read()
            assert asset.status_code == 200, f"{src}: {asset.status_code}"
            asset_sizes[src] = asset.num_bytes_downloaded
        assets += asset_sizes[src]
    return PageWeight(visit, resp.status_code, html, assets)
