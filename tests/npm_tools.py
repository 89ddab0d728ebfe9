"""Test-only tools from the npm registry (the Nu Html Checker in tests/vnu, axe-core in tests/axe): each folder
pins its version in package-lock.json and is installed into its node_modules (ignored by git, never served)
by `npm ci` the first time a test needs it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


class ToolMissing(RuntimeError):
    """npm (or what the tool runs on) is not installed, or the install from the registry failed."""


def install_pinned(folder: Path, installed: Path, purpose: str) -> Path:
    """`installed` (a file inside folder/node_modules), running `npm ci` in `folder` when it is missing."""
    if installed.exists():
        return installed
    npm = shutil.which("npm")
    if npm is None:
        raise ToolMissing(f"npm not found: install Node.js and npm to fetch {purpose}")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not installed.exists():
        raise ToolMissing(f"`npm ci` in {folder} failed: {done.stderr.strip()}")
    return installed
