"""The English catalogue is complete and current: every string marked in templates and Python (babel.cfg)
is in portal/locale/en/LC_MESSAGES/messages.po, translated, not fuzzy, with the same placeholders, and
the catalogue holds nothing stale. `make messages` brings it up to date (docs/dev/i18n.md)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "portal/locale/en/LC_MESSAGES/messages.po"
PYBABEL = Path(sys.executable).parent / "pybabel"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|\{[a-z_0-9]*\}|%%|&[a-z]+;|</?[a-z]+[^>]*>")


@lru_cache(maxsize=1)
def _extracted(tmp: str) -> Catalog:
    pot = Path(tmp) / "messages.pot"
    subprocess.run(
        [str(PYBABEL), "extract", "-F", "babel.cfg", "-k", "N_", "-k", "lazy_gettext", "--no-wrap", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return _extracted(str(tmp_path_factory.mktemp("pot")))


@pytest.fixture(scope="module")
def english() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="en")


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_every_marked_string_is_in_the_english_catalogue(extracted, english):
    missing = sorted(_ids(extracted) - _ids(english))
    assert not missing, f"{len(missing)} strings not in {PO.name} (run `make messages`): {missing[:10]}"


def test_the_english_catalogue_holds_no_stale_fuzzy_or_obsolete_entry(extracted, english):
    stale = sorted(_ids(english) - _ids(extracted))
    fuzzy = sorted(m.id for m in english if m.id and m.fuzzy)
    assert not stale, f"{len(stale)} entries no longer in the code (run `make messages`): {stale[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries: {fuzzy[:10]}"
    assert not english.obsolete, f"{len(english.obsolete)} obsolete (#~) entries: {list(english.obsolete)[:10]}"


def test_every_string_is_translated(english):
    untranslated = sorted(m.id for m in english if m.id and not (m.string if isinstance(m.string, str) else all(m.string)))
    assert not untranslated, f"{len(untranslated)} of {len(_ids(english))} strings untranslated: {untranslated[:10]}"


def test_translations_keep_placeholders_and_markup(english):
    wrong = []
    for m in english:
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for source in ids[:1]:
            for text in strings:
                if text and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                    wrong.append((source, text))
    assert not wrong, f"{len(wrong)} translations change placeholders or markup: {wrong[:5]}"


def test_no_gettext_call_inside_an_f_string():
    """pybabel does not look inside f-strings: `f"{_('Teks')}"` is never extracted, so never translated."""
    calls = ("_", "gettext", "ngettext", "N_", "lazy_gettext")
    wrong = []
    for path in sorted((ROOT / "portal").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in calls:
                        if inner.args and isinstance(inner.args[0], ast.Constant):
                            wrong.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not wrong, f"_() with a literal inside an f-string (assign it to a name first): {wrong}"
