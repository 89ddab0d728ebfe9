"""axe-core in every browser journey (issue 18): every page a test visits is checked for accessibility, and a
serious or critical violation fails the test.

axe-core comes from the npm registry at the version pinned in tests/axe/package-lock.json and is installed
into tests/axe/node_modules (ignored by git, never served by the portal) by `npm ci` the first time a test
needs it, as tests/html_check.py does for the Nu Html Checker.

How it runs: `watch(context)` adds axe's source and a small runner to every document of the browser context
(`add_init_script`, which the page's CSP does not block) and exposes a binding the runner reports to. The
runner checks the page once it has loaded, and again after every htmx swap (debounced, as a swap often comes
with more). At teardown `AxeWatch.finish(page)` checks the page the test ended on (so a test that navigated
always has at least one checked page) and `AxeWatch.failures()` lists what was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.npm_tools import install_pinned

AXE_DIR = Path(__file__).parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
IMPACTS = ("serious", "critical")
# the rules a page may break: none. (A rule to ignore goes here with its reason.)
IGNORED_RULES: frozenset[str] = frozenset()
BINDING = "__portalAxeReport"

# Runs in every document of the context, after axe's source. Only in the top frame of an http(s) page.
RUNNER = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol) || !window.axe) { return; }
  const report = window.%(binding)s;
  let running = null, again = false, timer = null;
  const options = {resultTypes: ["violations"], runOnly: {type: "tag", values:
    ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}};
  async function check(reason) {
    if (running) { again = true; return running; }
    running = (async () => {
      do {
        again = false;
        const result = await window.axe.run(document, options);
        const violations = result.violations.filter((v) => %(impacts)s.includes(v.impact)).map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          targets: v.nodes.filter((n) => %(impacts)s.includes(n.impact)).map((n) => n.target.join(" ")),
        }));
        await report({url: location.pathname + location.search, reason: reason, violations: violations});
      } while (again);
    })().finally(() => { running = null; });
    return running;
  }
  window.__portalAxeCheck = () => check("teardown");
  window.addEventListener("load", () => { check("load"); });
  document.addEventListener("htmx:after:settle", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { check("htmx swap"); }, 150);
  });
})();
"""


@cache
def axe_source() -> str:
    """axe.min.js, installed from the pinned lock file when missing."""
    return install_pinned(AXE_DIR, AXE_JS, "axe-core for the browser journeys").read_text(encoding="utf-8")


@dataclass
class AxeWatch:
    """What axe found in one browser context: the checks that ran and the violations (deduplicated)."""

    checks: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    violations: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (url, rule, target) -> help

    def _report(self, _source: object, data: dict) -> None:
        self.checks.append((data["url"], data["reason"]))
        for v in data["violations"]:
            if v["id"] in IGNORED_RULES:
                continue
            for target in v["targets"] or ["(page)"]:
                self.violations[(data["url"], v["id"], target)] = f"{v['impact']}: {v['help']}"

    def finish(self, page) -> None:  # noqa: ANN001
        """Check the page the test ended on (if it is a page of the portal)."""
        from playwright.sync_api import Error

        if page.is_closed() or not page.url.startswith("http"):
            return
        try:
            page.evaluate("() => window.__portalAxeCheck ? window.__portalAxeCheck() : null")
        except Error:  # the test ended while a page was loading: check the page it ended up on
            page.wait_for_load_state()
            page.evaluate("() => window.__portalAxeCheck ? window.__portalAxeCheck() : null")

    def failures(self, navigated: bool) -> list[str]:
        if navigated and not self.checks:
            return ["axe-core checked no page although the test visited some: the runner in tests/a11y.py is broken"]
        return [f"{url} [{rule}] {target} — {help_}" for (url, rule, target), help_ in sorted(self.violations.items())]


def watch(context) -> AxeWatch:  # noqa: ANN001
    """Check every page of a Playwright browser context with axe-core (see the module docstring)."""
    found = AxeWatch()
    context.expose_binding(BINDING, found._report)
    context.add_init_script(script=axe_source() + "\n" + RUNNER % {"binding": BINDING, "impacts": list(IMPACTS)})
    return found
