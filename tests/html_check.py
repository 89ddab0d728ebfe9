"""The Nu Html Checker (vnu) for the tests (issue 16: every page is valid HTML).

vnu comes from the npm registry at the version pinned in tests/vnu/package-lock.json and is installed
into tests/vnu/node_modules (ignored by git, never served) by `npm ci` the first time a test needs it.
It needs Java 17 or later (Debian's `default-jre-headless`, which .ci/system-packages installs).

One vnu run checks many pages: the JVM starts in seconds, a page then takes milliseconds. So callers
collect pages and validate them together (`validate`), never one run per page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.npm_tools import ToolMissing, install_pinned

VNU_DIR = Path(__file__).parent / "vnu"
JAR = VNU_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# the messages a page may carry: none. (A rule to ignore goes here with its reason.)
IGNORED: tuple[str, ...] = ()


def ensure_vnu() -> Path:
    """The path of vnu.jar, installed from the pinned lock file when missing."""
    if shutil.which("java") is None:
        raise ToolMissing("Java not found: install Debian's `default-jre-headless` (.ci/system-packages does)")
    return install_pinned(VNU_DIR, JAR, "the Nu Html Checker (vnu-jar)")


def validate(pages: dict[str, str]) -> list[str]:
    """Validate HTML documents in one vnu run. `pages` maps a name (e.g. "GET /penilaian as employee")
    to the document; the answer is one line per error, "name:line: message [extract]", in page order."""
    if not pages:
        return []
    jar = ensure_vnu()
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        names: dict[str, str] = {}
        for i, (name, html) in enumerate(pages.items()):
            path = Path(tmp) / f"page-{i:04d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        done = subprocess.run(
            ["java", "-Xss16m", "-jar", str(jar), "--errors-only", "--exit-zero-always", "--format", "json", tmp],
            capture_output=True,
            text=True,
            check=False,
        )
    try:
        messages = json.loads(done.stderr or done.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise ToolMissing(f"vnu gave no JSON report: {done.stderr[-2000:]}") from exc
    order = {name: i for i, name in enumerate(names.values())}
    found = []
    for msg in messages:
        if msg.get("type") != "error" or any(rule in msg.get("message", "") for rule in IGNORED):
            continue
        name = names.get(Path(msg.get("url", "")).name, msg.get("url", "?"))
        extract = " ".join(msg.get("extract", "").split())
        found.append((order.get(name, len(order)), msg.get("lastLine", 0), f"{name}:{msg.get('lastLine', '?')}: {msg['message']} [{extract}]"))
    return [line for _, _, line in sorted(found)]


REPORT = Path(__file__).parent.parent / "var" / "html-errors.txt"


def report(errors: list[str], pages: int, limit: int = 60) -> str:
    """A failure message: the count, then the first `limit` errors; all of them go to var/html-errors.txt."""
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(errors) + "\n", encoding="utf-8")
    shown = "\n".join(errors[:limit])
    more = f"\n… and {len(errors) - limit} more (all in {REPORT})" if len(errors) > limit else ""
    return f"{len(errors)} HTML errors (Nu Html Checker) over {pages} pages:\n{shown}{more}"
