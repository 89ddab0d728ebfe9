"""The app the browser journeys' live server runs (tests/conftest.py, fixture `live_server`): the portal as
`portal.app.create_app` builds it, wrapped so that every full HTML page it answers is also written to the
directory named by PORTAL_TEST_HTML_DIR (one file per distinct page). The fixture validates them all in one
Nu Html Checker run when the session ends (tests/html_check.py). Test code only: the portal never loads it.

Only whole documents (`<!DOCTYPE html>` first) with status 200 are kept: htmx fragments are parts of pages
the crawl of tests/test_valid_html.py checks whole. Compressed answers are decompressed (gzip, deflate, and
brotli when the module is installed); CSRF tokens are blanked in the file name's hash so that one page seen
twice is kept once.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from pathlib import Path
from typing import Any

from portal.app import create_app as create_portal_app

TOKEN = re.compile(rb"[0-9a-f]{64}")


def _decode(body: bytes, encoding: str) -> bytes | None:
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "deflate"):
        return zlib.decompress(body, wbits=47)  # 32 + 15: gzip or zlib header
    if encoding == "br":
        try:
            import brotli  # type: ignore[import-not-found]
        except ImportError:
            return None
        return brotli.decompress(body)
    return None


def capture(app: Any, out: Path) -> Any:
    out.mkdir(parents=True, exist_ok=True)

    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await app(scope, receive, send)
            return
        state: dict[str, Any] = {"keep": False, "encoding": "", "chunks": []}

        async def spy(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                state["keep"] = message["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html")
                state["encoding"] = headers.get(b"content-encoding", b"").decode("latin-1")
            elif message["type"] == "http.response.body" and state["keep"]:
                state["chunks"].append(message.get("body", b""))
                if not message.get("more_body"):
                    _keep(out, scope, state)
            await send(message)

        await app(scope, receive, spy)

    return wrapped


def _keep(out: Path, scope: dict, state: dict[str, Any]) -> None:
    body = _decode(b"".join(state["chunks"]), state["encoding"])
    if body is None or not body.lstrip()[:15].lower().startswith(b"<!doctype html"):
        return
    path = scope.get("path", "/") + ("?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else "")
    digest = hashlib.sha1(path.encode() + TOKEN.sub(b"", body)).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")[:80] or "root"
    (out / f"{name}.{digest}.html").write_bytes(body)


def create_app() -> Any:
    app = create_portal_app()
    out = os.environ.get("PORTAL_TEST_HTML_DIR")
    return capture(app, Path(out)) if out else app
