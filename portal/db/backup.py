"""Backups of the portal's database and their restore (`portal backup`, `portal restore`; docs/operations.md).

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`) copies the whole database in one step,
a consistent snapshot taken while the portal keeps writing (in WAL mode a reader never blocks a writer);
the copy is checked (`PRAGMA integrity_check`) and only then moved to its name, so a failed backup never
leaves a half file there. PostgreSQL: `pg_dump --format=custom` (one consistent snapshot as well), restored
with `pg_restore`; connection details go to them as PG* environment variables, never on the command line.
Both refuse to overwrite: a backup an existing file, a restore a database that already has tables (unless
forced)."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Done:
    path: Path
    size: int
    how: str  # "sqlite-backup-api" or "pg_dump" / "pg_restore"


def backup(database_url: str, dest: Path) -> Done:
    url = make_url(database_url)
    if dest.exists():
        raise BackupError(f"Berkas {dest} sudah ada; pilih nama lain (cadangan tidak pernah ditimpa).")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial)
            how = "sqlite-backup-api"
        else:
            _run([pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={partial}"], url)
            how = "pg_dump"
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return Done(dest, dest.stat().st_size, how)


def restore(database_url: str, source: Path, *, force: bool = False) -> Done:
    """Restore a backup made by `backup` into the database of `database_url` (the portal stopped). A database
    that already has tables is refused unless `force`: SQLite's is then replaced as a whole; PostgreSQL's
    objects that the backup holds are dropped and made again (`pg_restore --clean --if-exists`)."""
    url = make_url(database_url)
    if not source.is_file():
        raise BackupError(f"Berkas cadangan {source} tidak ditemukan.")
    if not force and _has_tables(url):
        raise BackupError("Basis data tujuan sudah berisi tabel; pulihkan ke basis data kosong, atau pakai --force untuk menimpanya.")
    if url.get_backend_name() == "sqlite":
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target)
        return Done(target, target.stat().st_size, "sqlite-backup-api")
    args = [pg_tool("pg_restore"), "--no-password", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if force:
        args += ["--clean", "--if-exists"]
    _run([*args, f"--dbname={url.database}", str(source)], url)
    return Done(source, source.stat().st_size, "pg_restore")


# --------------------------------------------------------------------------- SQLite


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("Basis data SQLite di memori tidak dapat dicadangkan.")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """The whole of `source` into `target` in one step (a consistent snapshot), checked, as one file (the
    copy's journal is switched from WAL to a rollback journal; the portal switches it back when it opens it)."""
    if not source.is_file():
        raise BackupError(f"Berkas basis data {source} tidak ditemukan.")
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # pages=-1: all at once, so concurrent writes cannot restart it
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"Salinan basis data rusak (integrity_check: {check}).")
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


# --------------------------------------------------------------------------- PostgreSQL


def pg_tool(name: str) -> str:
    """`pg_dump` or `pg_restore`: of the newest PostgreSQL installed (a dump needs a pg_dump at least as new
    as the server), else from PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    path = found[-1] if found else shutil.which(name)
    if path is None:
        raise BackupError(f"{name} tidak ditemukan: pasang paket postgresql-client.")
    return path


def _run(args: list[str], url: URL) -> None:
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username), ("PGPASSWORD", url.password),
                       ("PGDATABASE", url.database), ("PGSSLMODE", url.query.get("sslmode"))):
        if value:
            env[var] = str(value)
    done = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} gagal (kode {done.returncode}): {done.stderr.strip()[-1000:]}")


def _has_tables(url: URL) -> bool:
    if url.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return False
    if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    finally:
        engine.dispose()
