"""Throughput of the portal as a ratio of a bare Litestar hello app, measured in the same run with wrk
(prints numbers; not run by CI).

    .venv/bin/python bench/bench_throughput.py [--seconds 8] [--connections 32] [--compressed]

Both apps are served the same way: uvicorn with the portal's own server settings (`portal serve`: no
access log of uvicorn's, no server header; uvloop and httptools when installed), 1 worker and then 2.
The portal runs on a SQLite copy of the demo data plus the 30-question survey of bench/bench_surveys.py
(a draft with every answer), with login sessions made directly in the database. wrk (Debian package
`wrk`, installed here when missing) drives each URL with `-t2 -c32` for --seconds after a warm-up.

Then (c) the stack's floor (bench/floor_app.py): each page's own reads through SQLAlchemy Core and the
portal's captured page as bytes, on bare Litestar and the same server. No design of ours can make a page
cheaper than its floor: `floor / hello` bounds the ratio a page can reach on this stack and machine;
`page / floor` is what the portal adds (sessions upkeep, CSRF, headers, log, rendering, language).

Targets (issue 17): /healthz >= 0.5 x hello; the survey page with a draft >= 0.2 x hello; the AKPK form
and the HR dashboard >= 0.1 x hello; 2 workers >= 1.6 x 1 worker on the survey page.
--compressed sends `Accept-Encoding: br, gzip` as browsers do (the portal compresses pages; the bare app
has nothing to compress).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_ARGS = ["--no-access-log", "--no-server-header", "--log-level", "warning"]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    print("installing wrk (Debian package)")
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return shutil.which("wrk") or "/usr/bin/wrk"


def serve(target: str, workers: int, env: dict[str, str], ready_path: str) -> tuple[subprocess.Popen, int]:
    from tests import rig

    port = rig.free_port()
    if target in ("hello", "floor"):
        cmd = [sys.executable, "-m", "uvicorn", f"bench.{target}_app:app", *SERVER_ARGS]
    else:  # the portal exactly as production starts it
        cmd = [str(Path(sys.executable).parent / "portal"), "serve"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"{target} did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


LAT = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid, *(p for c in children for p in _tree(int(c)))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the server and its workers (the CPU a request costs, whatever else runs)."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wrk(binary: str, url: str, headers: dict[str, str], seconds: float, connections: int, pid: int | None = None) -> dict:
    cpu0 = cpu_seconds(pid) if pid else 0.0
    args = [binary, "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    lat = {p: float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u] for p, v, u in LAT.findall(out)}
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    cpu_ms = (cpu_seconds(pid) - cpu0) * 1000 / requests if pid and requests else float("nan")
    return {"rps": rps, "cpu_ms": cpu_ms, "p50": lat.get("50", float("nan")), "p99": lat.get("99", float("nan")), "bad": int(non2xx.group(1)) if non2xx else 0}


def sessions_for(db_path: Path) -> dict[str, str]:
    """Login sessions of the demo employee and HR officer (made in the database, as bench_surveys does)."""
    from sqlalchemy import create_engine, insert, select

    from portal import security
    from portal.models import Employee, UserSession, utcnow
    from tests.conftest import DEMO

    engine = create_engine(f"sqlite:///{db_path}")
    tokens = {}
    with engine.begin() as conn:
        for role in ("employee", "hr"):
            emp = conn.execute(select(Employee.id).where(Employee.nip == DEMO[role])).scalar_one()
            tok = security.new_session_token()
            now = utcnow()
            conn.execute(insert(UserSession).values(id=security.session_key(tok), employee_id=emp, created_at=now, last_seen_at=now))
            tokens[role] = tok
    engine.dispose()
    return tokens


def akpk_form_url(db_path: Path) -> str:
    from sqlalchemy import create_engine

    from tests.pages import pages_of

    engine = create_engine(f"sqlite:///{db_path}")
    try:
        return next(v.url for v in pages_of(engine, "employee") if re.fullmatch(r"/penilaian/\{[^}]+\}", v.path))
    finally:
        engine.dispose()


def capture(url: str, headers: dict[str, str], path: Path) -> None:
    """The portal's page as a browser would get it, for the floor app to answer with."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        path.write_bytes(response.read())


def floor(binary: str, env: dict[str, str], bodies: Path, floor_of: dict, portal_urls: list, results: dict, hello: dict,
          extra: dict[str, str], args: argparse.Namespace) -> None:
    """(c) each page's floor on bare Litestar, 1 worker, in the same run (module docstring)."""
    proc, port = serve("floor", 1, dict(env, FLOOR_BODIES=str(bodies)), "/floor/ping")
    try:
        print("  the stack's floor (bench/floor_app.py: the page's reads and its bytes, nothing else):")
        for name, _path, token, target in portal_urls:
            headers = dict(extra)
            if token:
                headers["Cookie"] = f"portal_session={token}"
            url = f"http://127.0.0.1:{port}{floor_of[name][0]}"
            wrk(binary, url, headers, 2, args.connections)
            r = wrk(binary, url, headers, args.seconds, args.connections, proc.pid)
            page = results[(name, 1)]
            print(f"    floor of {name:<31} {r['rps']:8.0f} req/s  CPU {r['cpu_ms']:.3f} ms/req = {r['rps'] / hello['rps']:5.3f} x hello "
                  f"(target {target}); the page = {page['rps'] / r['rps']:5.3f} x its floor"
                  f"{'  NON-2xx: ' + str(r['bad']) if r['bad'] else ''}")
            body = floor_of[name][1]
            if body:  # the same bytes without the reads: what sending the page costs on its own
                url = f"http://127.0.0.1:{port}/floor/bytes/{body.split('.')[0]}"
                r = wrk(binary, url, headers, args.seconds, args.connections, proc.pid)
                print(f"      its {(bodies / body).stat().st_size:,} bytes alone {r['rps']:8.0f} req/s  CPU {r['cpu_ms']:.3f} ms/req = "
                      f"{r['rps'] / hello['rps']:5.3f} x hello")
    finally:
        stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--compressed", action="store_true")
    args = ap.parse_args()
    binary = ensure_wrk()

    from bench.bench_surveys import seed
    from tests import rig

    tmp = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    db_path = tmp / "bench.db"
    data = seed(db_path, 300)
    tokens = sessions_for(db_path)
    akpk = akpk_form_url(db_path)
    rig.sqlite_checkpoint(db_path)
    env = dict(os.environ, PORTAL_ENV="development", PORTAL_DATABASE_URL=f"sqlite:///{db_path}", PORTAL_SECRET_KEY=rig.TEST_SECRET)
    extra = {"Accept-Encoding": "br, gzip"} if args.compressed else {}
    person = data["people"][0]
    portal_urls = [
        ("/healthz", "/healthz", None, 0.5),
        (f"survey page, {len(data['questions'])} questions, draft", f"/survei/{person['invitation']}", person["token"], 0.2),
        ("AKPK self-assessment form", akpk, tokens["employee"], 0.1),
        ("HR dashboard /laporan", "/laporan", tokens["hr"], 0.1),
    ]
    bodies = tmp / "bodies"
    bodies.mkdir()
    # the floor route of each page, and the file its captured body goes to
    floor_of = {
        portal_urls[0][0]: ("/floor/ping", ""),
        portal_urls[1][0]: (f"/floor/survey/{person['invitation']}", "survey.html"),
        portal_urls[2][0]: ("/floor/akpk/" + akpk.rsplit("/", 1)[1], "akpk.html"),
        portal_urls[3][0]: ("/floor/laporan", "dashboard.html"),
    }
    print(f"wrk -t2 -c{args.connections} -d{max(1, round(args.seconds))}s; {os.cpu_count()} CPUs shared by server and wrk; "
          f"load average before: {os.getloadavg()[0]:.2f}; compressed: {'yes' if args.compressed else 'no'}")
    results: dict[tuple[str, int], dict] = {}
    for workers in (1, 2):
        proc, port = serve("hello", workers, env, "/")
        try:
            wrk(binary, f"http://127.0.0.1:{port}/", extra, 2, args.connections)
            hello = results[("hello", workers)] = wrk(binary, f"http://127.0.0.1:{port}/", extra, args.seconds, args.connections, proc.pid)
        finally:
            stop(proc)
        print(f"\n{workers} worker(s): bare Litestar hello {hello['rps']:8.0f} req/s  p50 {hello['p50']:6.2f} ms  p99 {hello['p99']:6.2f} ms  "
              f"server CPU {hello['cpu_ms']:.3f} ms/req")
        proc, port = serve("portal", workers, env, "/healthz")
        try:
            for name, path, token, target in portal_urls if workers == 1 else portal_urls[1:2]:
                headers = dict(extra)
                if token:
                    headers["Cookie"] = f"portal_session={token}"
                url = f"http://127.0.0.1:{port}{path}"
                wrk(binary, url, headers, 2, args.connections)
                r = results[(name, workers)] = wrk(binary, url, headers, args.seconds, args.connections, proc.pid)
                ratio = r["rps"] / hello["rps"]
                verdict = "ok" if ratio >= target else "BELOW"
                print(f"  {name:<40} {r['rps']:8.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms  "
                      f"CPU {r['cpu_ms']:.3f} ms/req = {ratio:5.3f} x hello (target >= {target}: {verdict}; "
                      f"by CPU {hello['cpu_ms'] / r['cpu_ms']:.3f}){'  NON-2xx: ' + str(r['bad']) if r['bad'] else ''}")
                if workers == 1 and floor_of[name][1]:  # /healthz has no page to capture
                    capture(url, headers, bodies / floor_of[name][1])
        finally:
            stop(proc)
        if workers == 1:
            floor(binary, env, bodies, floor_of, portal_urls, results, hello, extra, args)
    page = portal_urls[1][0]
    scale = results[(page, 2)]["rps"] / results[(page, 1)]["rps"]
    print(f"\nsurvey page, 2 workers / 1 worker = {scale:.2f} (target >= 1.6); "
          f"bare hello 2/1 = {results[('hello', 2)]['rps'] / results[('hello', 1)]['rps']:.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
