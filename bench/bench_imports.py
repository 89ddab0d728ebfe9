"""Import benchmarks (prints numbers; not run by CI).

    .venv/bin/python bench/bench_imports.py [--employees 20000] [--enrolments 100000] [--backends sqlite,postgresql]

On a migrated database with the demo data (units, positions, competencies), per backend:
1. employees: an XLSX of N employees (as the template: NIP as text, name, unit, position, golongan,
   supervisor NIP (a tree: every 20th person heads the next 19), email, phone) is previewed (read, every
   cell parsed, the whole file planned against the stored org chart, the batch recorded) and applied (one
   transaction). Then the same file again: preview and apply of N unchanged rows.
2. enrolments: a CSV of M (training, NIP, status) rows over 1,000 trainings (status Hadir or Selesai,
   so every row credits JP and the JP summary is recomputed for every person) previewed and applied.
Targets: 20,000 employees previewed < 10 s and applied < 10 s; 100,000 enrolments < 30 s (preview + apply).
Also the peak Python heap of the employee preview (tracemalloc) against the file size: the reader streams,
the plan keeps one small record per row.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from portal.db import make_engine  # noqa: E402
from portal.models import Employee, Position, Training, Unit  # noqa: E402
from portal.services import imports  # noqa: E402
from tests import rig  # noqa: E402

TODAY = date(2026, 12, 7)
LIMIT = 200 * 1_048_576


def nip(i: int) -> str:
    """A valid NIP, unique for i < 10,950 x 999: born 1970-1999 (a day per i), appointed 2020-2025, serial."""
    born = date.fromordinal(date(1970, 1, 1).toordinal() + i % 10950)
    return f"{born:%Y%m%d}{2020 + i % 6}{1 + i % 12:02d}{1 + i % 2}{1 + (i // 10950) % 999:03d}"


def employees_xlsx(n: int, units: list[str], positions: list[str]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["NIP", "Nama", "Kode Unit", "Kode Jabatan", "Golongan", "NIP Atasan", "Email", "Telepon", "Aktif"])
    nips = [nip(i) for i in range(n)]
    assert len(set(nips)) == n, "bench NIPs must be unique"
    for i in range(n):
        boss = "" if i % 20 == 0 else nips[i - i % 20]
        ws.write_row(i + 1, 0, [nips[i], f"Pegawai Uji {i}", units[i % len(units)], positions[i % len(positions)], "III/a", boss,
                                f"pegawai{i}@contoh.go.id", f"0812{i:08d}", "Ya"])
    book.close()
    return out.getvalue()


def enrolments_csv(m: int, codes: list[str], nips: list[str]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(["Kode Pelatihan", "NIP", "Status"])
    per = max(1, m // len(codes))
    written = 0
    for t, code in enumerate(codes):
        for k in range(per):
            if written == m:
                break
            w.writerow([code, nips[(t * 37 + k) % len(nips)], "Selesai" if k % 2 else "Hadir"])
            written += 1
    return out.getvalue().encode()


def timed(fn):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def run(url: str, n_employees: int, n_enrolments: int) -> dict:
    rig.build_database(url, demo=True)
    engine = make_engine(rig.test_settings(url))
    out: dict = {}
    try:
        with Session(engine, expire_on_commit=False) as db:
            units = list(db.execute(select(Unit.code)).scalars())
            positions = list(db.execute(select(Position.code)).scalars())
            hr = db.execute(select(Employee.id).where(Employee.is_hr)).scalars().first()
            content = employees_xlsx(n_employees, units, positions)
            out["employees_file_kb"] = round(len(content) / 1024)
            batch_id, t = timed(lambda: imports.preview(db, "pegawai", content, "pegawai.xlsx", hr, TODAY, LIMIT))
            out["employees_preview_s"] = round(t, 2)
            counts, t = timed(lambda: imports.apply(db, batch_id, "pegawai", False, hr, TODAY, LIMIT))
            out["employees_apply_s"] = round(t, 2)
            out["employees_created"] = counts["create"]
            batch_id, t = timed(lambda: imports.preview(db, "pegawai", content, "pegawai.xlsx", hr, TODAY, LIMIT))
            out["employees_again_preview_s"] = round(t, 2)
            counts, t = timed(lambda: imports.apply(db, batch_id, "pegawai", False, hr, TODAY, LIMIT))
            out["employees_again_apply_s"] = round(t, 2)
            out["employees_again_unchanged"] = counts["unchanged"]
            tracemalloc.start()  # slows Python down: its own run
            extra = imports.preview(db, "pegawai", content, "pegawai.xlsx", hr, TODAY, LIMIT)
            out["employees_preview_peak_heap_mb"] = round(tracemalloc.get_traced_memory()[1] / 1_048_576, 1)
            tracemalloc.stop()
            imports.discard(db, extra, "pegawai", hr)
            # 1,000 trainings, then the enrolments
            db.execute(insert(Training), [
                {"code": f"BENCH-{t:04d}", "title": f"Pelatihan uji {t}", "kind": "pelatihan", "mode": "klasikal", "provider": "", "description": "",
                 "starts_on": date(2026, 1 + t % 12, 1), "ends_on": date(2026, 1 + t % 12, 3), "jp": 8, "application_due_days": 90}
                for t in range(1000)
            ])
            db.commit()
            codes = [f"BENCH-{t:04d}" for t in range(1000)]
            nips = list(db.execute(select(Employee.nip)).scalars())
            content = enrolments_csv(n_enrolments, codes, nips)
            batch_id, t = timed(lambda: imports.preview(db, "peserta", content, "peserta.csv", hr, TODAY, LIMIT))
            out["enrolments_preview_s"] = round(t, 2)
            counts, t = timed(lambda: imports.apply(db, batch_id, "peserta", False, hr, TODAY, LIMIT))
            out["enrolments_apply_s"] = round(t, 2)
            out["enrolments_created"] = counts["create"]
            out["enrolments_total_s"] = round(out["enrolments_preview_s"] + out["enrolments_apply_s"], 2)
    finally:
        engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--enrolments", type=int, default=100000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    pg = None
    try:
        for backend in args.backends.split(","):
            if backend == "postgresql":
                pg = rig.start_postgres()
                rig.pg_admin(pg, "CREATE DATABASE bench_imports")
                url = pg.url("bench_imports")
            else:
                url = f"sqlite:///{tmp / 'bench.db'}"
            result = run(url, args.employees, args.enrolments)
            print(backend, json.dumps(result), flush=True)
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
