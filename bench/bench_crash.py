"""Crash and load, the long version (prints a report; not run by CI). The short one is
tests/test_crash_recovery.py.

    .venv/bin/python bench/bench_crash.py [--employees 120] [--supervisors 30] [--form-logins 30]
        [--kills 8] [--seconds 150] [--workers 1] [--seed N] [--backends sqlite,postgresql]

Per backend (a SQLite file, and a throwaway PostgreSQL server from tests/rig.py): a demo database with
the people of tests/load_world.py, then every person as a concurrent client over real HTTP
(tests/load_clients.py) for about --seconds while the uvicorn server (--workers processes) is SIGKILLed
--kills times at random moments with requests in flight and restarted on the same database and port.
Printed: requests acknowledged / not acknowledged (by error) / unexpected, submits, kills and the
recovery time after each (kill until /healthz answers), then the checks of tests/crash_checks.py with
the server up (every acknowledged answer and submit stored exactly once, no half-written response,
summaries equal to their recount, anonymity). Exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_backend(name: str, url: str, args: argparse.Namespace, seed: int) -> bool:
    from tests import crash_checks, rig
    from tests.load_clients import CrashingServer, run, seed_world

    t = time.monotonic()
    rig.build_database(url, demo=True)
    world = seed_world(url, employees=args.employees, supervisors=args.supervisors, form_logins=args.form_logins)
    print(f"\n== {name}: seeded in {time.monotonic() - t:.1f} s ({args.employees} employees, {args.supervisors} supervisors)")
    server = CrashingServer(url, workers=args.workers)
    try:
        result = run(world, server, seed=seed, kills=args.kills, seconds=args.seconds)
        print(result.summary())
        t = time.monotonic()
        problems = crash_checks.problems(url, world, result)
    finally:
        server.stop()
    print(f"checks ({time.monotonic() - t:.1f} s): " + ("all held" if not problems else f"{len(problems)} FAILED"))
    for line in problems[:40]:
        print("  " + line)
    for line in result.errors[:10] + result.unexpected[:10]:
        print("  " + line)
    return not problems and not result.errors and not result.unexpected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=120)
    parser.add_argument("--supervisors", type=int, default=30)
    parser.add_argument("--form-logins", type=int, default=30)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=150)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"crash bench, seed {seed} (--seed {seed} replays the same choices; kill moments depend on timing)")
    from tests import rig

    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-crash-") as tmp:
        if "sqlite" in args.backends:
            ok &= one_backend("SQLite", f"sqlite:///{Path(tmp) / 'crash.db'}", args, seed)
        if "postgresql" in args.backends:
            pg = rig.start_postgres()
            try:
                rig.pg_admin(pg, "CREATE DATABASE crash")
                ok &= one_backend("PostgreSQL", pg.url("crash"), args, seed)
            finally:
                pg.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
