"""The figures of the dashboard and of a training's report are rendered once per digest of the data they
are drawn from (`portal.web.fragments`): a cached answer equals a fresh rendering, any change of the data
(a submit, a training edited, an employee deactivated as an import does) shows at once, and filters and
languages never share an entry. On SQLite and PostgreSQL, with the scenario of tests/test_reports.py."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import date

import pytest
from markupsafe import Markup
from sqlalchemy import select, update

from portal.i18n import format_number, translations
from portal.models import Employee, Training
from portal.web import fragments
from tests.conftest import post, text_of
from tests.test_reports import DISDUKCAPIL, DISKOMINFO, H1, TODAY, frozen, hr, random_answers, raw_counts, scenario, submit, tile  # noqa: F401, F811

FRAGMENT = {"HX-Request": "true", "HX-Request-Type": "partial"}


def note(html: str, tile_id: str) -> str:
    m = re.search(rf'id="{tile_id}">.*?<span class="tile-note">(.*?)</span>', html, re.DOTALL)
    assert m, f"tile note {tile_id} not found"
    return text_of(m.group(1)).strip()


def counted(calls) -> tuple[int, int]:
    before = dict(fragments.stats)
    calls()
    return fragments.stats["hits"] - before["hits"], fragments.stats["misses"] - before["misses"]


def test_a_cached_answer_equals_a_fresh_rendering(client, scenario):
    hr(client)
    fragments.clear()
    out: list[str] = []
    assert counted(lambda: out.append(client.get(f"/laporan?{H1}", headers=FRAGMENT).text)) == (0, 1)
    assert counted(lambda: out.append(client.get(f"/laporan?{H1}", headers=FRAGMENT).text)) == (1, 0)
    fresh, cached = out
    assert cached == fresh and 'id="grafik-dimensi"' in fresh and 'id="tile-kepuasan"' in fresh
    # the full page and the print view carry the same figures (the print view without its buttons)
    page = client.get(f"/laporan?{H1}").text
    assert fresh.split("<hx-partial")[0].strip() in page
    printable = client.get(f"/laporan/cetak?{H1}").text
    assert 'id="grafik-dimensi"' in printable and "/laporan/ekspor/xlsx" in page and "/laporan/ekspor/xlsx" not in printable


def test_after_a_submit_the_dashboard_shows_the_new_numbers(client, db, scenario):
    hr(client)
    start, end = date(2031, 1, 1), date(2031, 6, 30)
    before = client.get(f"/laporan?{H1}").text
    client.get(f"/laporan?{H1}")  # now cached
    counts = raw_counts(db, start, end, TODAY)
    assert note(before, "tile-respons") == f"{format_number(counts['submitted'])} dari {format_number(counts['invited'])} undangan"
    t1 = scenario["T1"]
    submit(db, t1, DISDUKCAPIL[5], random_answers(random.Random(7), t1.structure))  # invited to T1, had not answered
    after = client.get(f"/laporan?{H1}").text
    now = raw_counts(db, start, end, TODAY)
    assert now["submitted"] == counts["submitted"] + 1
    assert note(after, "tile-respons") == f"{format_number(now['submitted'])} dari {format_number(now['invited'])} undangan"
    assert tile(after, "tile-respons") == format_number(now["submitted"] * 100 / now["invited"], 0) + "%"


def test_edits_behind_the_portals_back_show_at_once(client, db, scenario):
    """A training renamed and an employee deactivated (as an import does), written straight into the
    database: nothing to invalidate, the next request shows them."""
    hr(client)
    start, end = date(2031, 1, 1), date(2031, 6, 30)
    client.get(f"/laporan?{H1}")
    client.get(f"/laporan?{H1}")
    t1 = scenario["T1"].training_id
    db.execute(update(Training).where(Training.id == t1).values(title="Pelatihan Berganti Nama"))
    db.execute(update(Employee).where(Employee.nip == DISKOMINFO[6]).values(is_active=False))
    db.commit()
    html = client.get(f"/laporan?{H1}").text
    ranking = html[html.index('id="grafik-peringkat"'):]
    assert f'<a href="/laporan/pelatihan/{t1}">Pelatihan Berganti Nama</a>' in ranking
    counts = raw_counts(db, start, end, TODAY)
    assert note(html, "tile-20jp") == f"{format_number(counts['reached'])} dari {format_number(counts['employees'])} pegawai"


def test_filters_and_languages_never_share_an_entry(client, db, scenario):
    hr(client)
    kominfo = db.execute(select(Employee.unit_id).where(Employee.nip == DISKOMINFO[0])).scalar_one()
    urls = [f"/laporan?{H1}", f"/laporan?{H1}&unit={kominfo}", "/laporan?periode=2031"]

    def fetch_all() -> dict[tuple[str, str], str]:
        out = {}
        for lang in ("id", "en"):
            post(client, "/akun/bahasa", {"locale": lang, "next": "/"})  # the account's language
            out.update({(u, lang): client.get(u, headers=FRAGMENT).text for u in urls})
        return out

    first = fetch_all()
    assert len(set(first.values())) == len(first)  # six different answers
    hits = fragments.stats["hits"]
    again = fetch_all()
    assert again == first and fragments.stats["hits"] >= hits + len(first)
    held = translations("en").gettext("pelatihan terlaksana")
    assert held != "pelatihan terlaksana"
    for (_u, lang), html in again.items():
        assert (held in html) == (lang == "en") and ("pelatihan terlaksana" in html) == (lang == "id")
    assert "tidak dirinci per unit" in again[(urls[1], "id")] and "tidak dirinci per unit" not in again[(urls[0], "id")]


def figures_of(html: str) -> str:
    """The charts of a training report page (between the summary and the comments)."""
    return html[html.index('id="grafik-dimensi"'):html.index("Komentar peserta</h2>")]


def test_a_training_reports_figures_are_fresh_after_a_submit(client, db, scenario):
    hr(client)
    t3 = scenario["T3"]  # attributed: every submit shows at once
    url = f"/laporan/pelatihan/{t3.training_id}"
    fragments.clear()
    before = client.get(url).text
    assert counted(lambda: client.get(url)) == (1, 0)
    assert figures_of(client.get(url).text) == figures_of(before)
    assert figures_of(client.get(f"{url}/cetak").text) == figures_of(before)
    submit(db, t3, DISKOMINFO[6], random_answers(random.Random(11), t3.structure))  # invited, had not answered
    after = client.get(url).text
    assert figures_of(after) != figures_of(before)
    fragments.clear()
    assert figures_of(client.get(url).text) == figures_of(after)  # what the cache gave equals a fresh rendering
    first_likert = next(q for q in t3.structure.questions if q.kind == "likert5")
    assert f"n = {format_number(4)}" in figures_of(before) and f"n = {format_number(5)}" in figures_of(after)
    assert first_likert.text in figures_of(after)


# --------------------------------------------------------------------------- the digest itself


@dataclass
class Row:
    title: str
    n: int
    when: date
    parts: list[int] = field(default_factory=list)


def test_the_digest_sees_every_value_and_refuses_what_it_cannot_see_into():
    base = {"rows": [Row("A", 1, date(2031, 1, 1), [1, 2])], "text": "x", "flag": False}
    same = {"flag": False, "text": "x", "rows": [Row("A", 1, date(2031, 1, 1), [1, 2])]}
    assert fragments.digest(base) == fragments.digest(same)
    changed = [
        {**base, "rows": [replace(base["rows"][0], title="B")]},
        {**base, "rows": [replace(base["rows"][0], n=2)]},
        {**base, "rows": [replace(base["rows"][0], when=date(2031, 1, 2))]},
        {**base, "rows": [replace(base["rows"][0], parts=[1, 3])]},
        {**base, "rows": [replace(base["rows"][0], n=True)]},  # True is not 1 to a template
        {**base, "flag": 0},
        {**base, "text": "x "},
        {**base, "text": Markup("x")},  # escaped differently by a template
        {**base, "rows": base["rows"] * 2},
    ]
    digests = {fragments.digest(v) for v in changed}
    assert len(digests) == len(changed) and fragments.digest(base) not in digests
    with pytest.raises(TypeError):
        fragments.digest({"thing": object()})
    with pytest.raises(TypeError):
        fragments.digest({"query": lambda: "periode=2031"})
    with pytest.raises(TypeError):
        fragments.digest({"text": b"x"})  # bytes mark the structure; never a value
