"""A light first visit (issue 16): every page of the four demo roles, HTML plus the CSS and JS it
references, is under 40 KB encoded on the wire, measured over HTTP from the live server as a browser with
an empty cache fetches it. A size, not a timing: bench/bench_page_weight.py prints the same numbers."""

from __future__ import annotations


import httpx
import pytest

from tests.conftest import DEMO, login
from tests.pages import ACCEPT_ENCODING, ROLES, PageVisit, pages_of, weigh

LIMIT = 40 * 1024


@pytest.fixture(scope="module")
def visits(live_engine) -> dict[str, list[PageVisit]]:  # noqa: ANN001
    return {role: pages_of(live_engine, role) for role in ROLES}


def test_pages_and_static_files_are_compressed_with_brotli_or_gzip(live_server) -> None:  # noqa: ANN001
    with httpx.Client(base_url=live_server.url) as client:
        for encoding in ("br", "gzip"):
            for url in ("/login", "/static/css/portal.css"):
                resp = client.get(url, headers={"Accept-Encoding": encoding})
                assert resp.headers.get("content-encoding") == encoding, f"{url} with {encoding}"
                assert "accept-encoding" in resp.headers.get("vary", "").lower(), url
        plain = client.get("/login", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        # downloads go as they are (XLSX is a zip; long CSV exports stream row by row)
        login(client, DEMO["hr"])
        for fmt in ("csv", "xlsx"):
            export = client.get(f"/laporan/respons/ekspor/{fmt}", headers={"Accept-Encoding": "br, gzip"})
            assert export.status_code == 200 and "content-encoding" not in export.headers, fmt


@pytest.mark.parametrize("role", ROLES)
def test_first_visit_of_every_page_is_under_40_kb_encoded(live_server, visits, role: str) -> None:  # noqa: ANN001
    assert visits[role], f"no pages for {role}"
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        login(client, DEMO[role])
        sizes: dict[str, int] = {}
        weights = [weigh(client, visit, sizes) for visit in visits[role]]
    assert len(sizes) >= 2, f"the pages reference no CSS/JS: {sizes}"  # the stylesheet and the scripts are counted
    heavy = [f"{w.visit.url}: {w.total / 1024:.1f} KB" for w in weights if w.total >= LIMIT]
    assert not heavy, f"first visits over 40 KB ({ACCEPT_ENCODING}) as {role}: {heavy}"
    form = next(w for w in weights if w.visit.path in ("/penilaian/{cycle_id:int}", "/akun/sandi"))
    assert form.status == 200 and form.total < LIMIT
