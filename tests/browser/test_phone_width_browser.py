"""No page scrolls sideways on a 360 px phone (issue 16): Chromium at 360 x 780 visits every page each of
the four demo roles may open (tests/pages.py, the same list as bench/bench_page_weight.py) and checks
document.documentElement.scrollWidth <= 360 on each, naming the widest element when one spills out."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO, browser_login
from tests.pages import ROLES, PageVisit, pages_of

pytestmark = pytest.mark.browser

WIDTH = 360
WIDEST = """() => {
  let worst = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect().right;
    if (r > right + 0.5) { right = r; worst = el; }
  }
  if (!worst) return '';
  const cls = worst.className && worst.className.baseVal === undefined ? '.' + String(worst.className).trim().split(/\\s+/).join('.') : '';
  return `${worst.tagName.toLowerCase()}${cls} (right edge ${Math.round(right)} px): ${(worst.textContent || '').trim().slice(0, 60)}`;
}"""


@pytest.fixture(scope="module")
def visits(live_engine) -> dict[str, list[PageVisit]]:  # noqa: ANN001
    return {role: pages_of(live_engine, role) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_no_page_of_the_role_scrolls_sideways_at_360_px(page, visits, role: str) -> None:  # noqa: ANN001
    assert page.viewport_size["width"] == WIDTH
    browser_login(page, DEMO[role])
    spilling = []
    for visit in visits[role]:
        page.goto(visit.url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > WIDTH:
            spilling.append(f"{visit.url} is {width} px wide, widest: {page.evaluate(WIDEST)}")
    assert not spilling, f"pages that scroll sideways at {WIDTH} px as {role}:\n" + "\n".join(spilling)


LABELS_CLEAR_OF_GAPS = """() => {
  const svg = document.querySelector('.gap-chart svg');
  const texts = [...svg.querySelectorAll(':scope > text')];
  const gapHead = texts[texts.length - 1].getBoundingClientRect();  // "Gap", the column's heading
  const out = [];
  for (const row of svg.querySelectorAll('.gap-row')) {
    const label = [...row.querySelectorAll('text')].find(t => t.querySelector('tspan'));
    const value = [...row.querySelectorAll('text')].pop().getBoundingClientRect();
    const box = label.getBoundingClientRect();
    const overlaps = box.right > gapHead.left || (box.right > value.left && box.bottom > value.top);
    out.push({name: label.querySelector('title').textContent, overlaps});
  }
  return out;
}"""


def test_long_competency_names_wrap_clear_of_the_gap_column_on_a_phone(page, visits) -> None:  # noqa: ANN001
    result = next(v for v in visits["supervisor"] if v.path.startswith("/tim/") and v.path.endswith("/hasil"))
    browser_login(page, DEMO["supervisor"])
    page.goto(result.url)
    rows = page.evaluate(LABELS_CLEAR_OF_GAPS)
    assert "Pengembangan Diri dan Orang Lain" in [r["name"] for r in rows]
    assert not [r["name"] for r in rows if r["overlaps"]], rows
    assert page.locator(".gap-chart tspan", has_text="Orang Lain").count() == 1  # wrapped, not cut off


def test_a_table_wider_than_the_phone_says_that_it_scrolls_sideways(page) -> None:  # noqa: ANN001
    browser_login(page, DEMO["hr"])
    page.goto("/laporan/respons")
    wide = page.locator(".table-wrap[aria-labelledby='judul-per-unit']")
    assert wide.evaluate("w => w.scrollWidth > w.clientWidth")
    hint = page.locator("#judul-per-unit + .scroll-hint")
    expect(hint).to_have_text("Geser tabel ke samping untuk melihat kolom lainnya ›")
    # a table that fits gets none (the questionnaires are cards on a phone)
    page.goto("/kuesioner")
    expect(page.locator(".table-wrap")).to_have_count(1)
    expect(page.locator(".scroll-hint")).to_have_count(0)
