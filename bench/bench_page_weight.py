"""Page weight of a first visit (prints numbers; not run by CI).

    .venv/bin/python bench/bench_page_weight.py [--role employee,supervisor,hr,admin]

Builds a SQLite database with the demo data, serves it with uvicorn (tests/rig.LiveServer), logs in over
HTTP as each of the four demo roles and visits every page that role may open (tests/pages.py: the GET
pages of the route table, ids from the demo data). Per page it counts the encoded bytes on the wire of
the HTML and of every stylesheet and script the page references, as a browser with an empty cache
fetches them (Accept-Encoding: gzip, br), and prints a table (page, role, HTML, assets, total) with the
median and the largest total. The target (docs/dev/ui.md, DESIGN.md §5): a form page's first visit
under 40 KB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import rig
from tests.conftest import DEMO, login
from tests.pages import ROLES, PageWeight, pages_of, weigh

TARGET = 40 * 1024


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--role", default=",".join(ROLES), help="comma-separated roles")
    args = parser.parse_args()
    roles = [r for r in args.role.split(",") if r]

    with tempfile.TemporaryDirectory(prefix="portal-weight-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'weight.db'}"
        rig.build_database(url, demo=True)
        from portal.db import make_engine

        engine = make_engine(rig.test_settings(url))
        try:
            visits = {role: pages_of(engine, role) for role in roles}
        finally:
            engine.dispose()
        server = rig.LiveServer(url)
        weights: list[PageWeight] = []
        try:
            for role in roles:
                with httpx.Client(base_url=server.url, timeout=60) as client:
                    login(client, DEMO[role])
                    sizes: dict[str, int] = {}
                    weights += [weigh(client, visit, sizes) for visit in visits[role]]
        finally:
            server.stop()

    width = max(len(w.visit.url) for w in weights)
    print(f"\n{'page'.ljust(width)}  {'role':<10} {'status':>6} {'HTML KB':>8} {'assets KB':>9} {'total KB':>8}")
    for w in weights:
        flag = "  over 40 KB" if w.total >= TARGET else ""
        print(f"{w.visit.url.ljust(width)}  {w.visit.role:<10} {w.status:>6} {kb(w.html):>8} {kb(w.assets):>9} {kb(w.total):>8}{flag}")
    totals = [w.total for w in weights]
    largest = max(weights, key=lambda w: w.total)
    print(f"\n{len(weights)} page visits; total per first visit: median {kb(int(statistics.median(totals)))} KB, "
          f"largest {kb(largest.total)} KB ({largest.visit.url} as {largest.visit.role}); "
          f"{sum(t >= TARGET for t in totals)} at or over 40 KB")


if __name__ == "__main__":
    main()
