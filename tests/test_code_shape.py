"""The shape of the code (docs/dev/conventions.md), checked so that it does not drift: no module under
portal/ over 500 lines, no service that imports the web framework or the web layer, every web module's
controllers registered in portal/app.py, and no positional row access in portal/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
MAX_LINES = 500


def modules(under: Path = PORTAL) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_under_portal_is_over_500_lines():
    long = {str(p.relative_to(PORTAL)): n for p in modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules by responsibility (limit {MAX_LINES} lines): {long}"


def test_services_never_import_litestar_or_the_web_layer():
    bad = {}
    for p in modules(PORTAL / "services"):
        web = sorted(n for n in imported(p) if n == "litestar" or n.startswith(("litestar.", "portal.web")))
        if web:
            bad[str(p.relative_to(PORTAL))] = web
    assert not bad, f"services must not import the web layer: {bad}"


def test_every_web_module_with_controllers_is_registered_in_the_app():
    app_source = (PORTAL / "app.py").read_text(encoding="utf-8")
    for p in modules(PORTAL / "web"):
        if "CONTROLLERS" in p.read_text(encoding="utf-8").split("\n__all__")[0] and re.search(r"^CONTROLLERS = ", p.read_text(encoding="utf-8"), re.M):
            name = p.parent.name if p.name == "__init__.py" else p.stem  # a package (web/master/) lists its modules' controllers
            assert f"{name}.CONTROLLERS" in app_source, f"portal/app.py does not register {name}.CONTROLLERS"


def test_rows_are_read_by_name():
    """`row[3]` / `r[0]` hide what a value is; read rows by column name (labelled columns, .mappings())."""
    pattern = re.compile(r"\b(row|r|rec|record)\[\d+\]")
    hits = [f"{p.relative_to(PORTAL)}:{i}" for p in modules() for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if pattern.search(line)]
    assert not hits, f"positional row access: {hits}"
