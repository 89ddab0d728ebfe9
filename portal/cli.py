"""The `portal` command: serve, db upgrade, backup, restore, demo, create-user, scores, summaries, retention, maintenance, reminders."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from portal.settings import BASE_DIR, Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def _alembic_config(settings: Settings):
    from alembic.config import Config

    cfg = Config(str(BASE_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(BASE_DIR / "migrations"))
    cfg.attributes["database_url"] = settings.database_url
    return cfg


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(_alembic_config(settings), revision)


def downgrade_database(settings: Settings, revision: str) -> None:
    """Down to `revision` (tests of the migrations' downgrade and backfill)."""
    from alembic import command

    command.downgrade(_alembic_config(settings), revision)


@click.group(help="Portal Kompetensi ASN: competency assessments, training surveys and impact for ASN.")
def main() -> None:
    pass


@main.command(help="Serve the portal with uvicorn (HOST/PORT overridable; several --workers in production).")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="HOST")
@click.option("--port", default=8000, show_default=True, type=int, envvar="PORT")
@click.option("--workers", default=1, show_default=True, type=int, help="Worker processes (use 2-4 per core on PostgreSQL).")
@click.option("--reload", is_flag=True, help="Reload on code changes (development only).")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="The portal's access log (survey routes without ids or addresses, survey submits never).")
def serve(host: str, port: int, workers: int, reload: bool, access_log: bool) -> None:
    """X-Forwarded-For is read by the portal itself, from the proxies in PORTAL_TRUSTED_PROXIES only
    (uvicorn's proxy headers stay off: it would rewrite the client address before the portal sees it).
    uvicorn's own access log (invitation ids in submit order) and its `server` banner are always off."""
    import os

    import uvicorn

    _settings()  # fail fast on bad configuration (e.g. production without a secret key)
    if not access_log:
        os.environ["PORTAL_ACCESS_LOG"] = "0"  # read by Settings.from_env in every worker
    uvicorn.run(
        "portal.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=False,
        access_log=False,
        server_header=False,
        log_level="info",
    )


@main.group(help="Database commands.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply all Alembic migrations up to the newest (safe to run repeatedly).")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    settings = _settings()
    if settings.is_sqlite:
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings, revision)
    click.echo("Basis data mutakhir (migrasi diterapkan).")


@main.command(help="Back up the database to PATH while the portal runs: SQLite with its online backup API, PostgreSQL "
              "with pg_dump --format=custom. Never overwrites PATH (docs/operations.md, Backups).")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    from portal.db import backup as service

    try:
        done = service.backup(_settings().database_url, path)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Cadangan dibuat: {done.path} ({done.size:,} bita, {done.how}).")


@main.command(help="Restore a backup made by `portal backup` into the database (stop the portal first). Refuses a "
              "database that already has tables unless --force.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that already has tables.")
def restore(path: Path, force: bool) -> None:
    from portal.db import backup as service

    try:
        service.restore(_settings().database_url, path, force=force)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Cadangan {path} dipulihkan. Jalankan `portal db upgrade` bila cadangan dibuat oleh versi portal yang lebih lama.")


@main.command(help="Load the demo data (a slice of Pemerintah Kota Tanjungpinang). Idempotent; refused in production.")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no employees yet (used by `make run`).")
def demo(if_empty: bool) -> None:
    from portal.db import make_engine, session_scope
    from portal import demo as demo_service

    settings = _settings()
    if settings.is_production:
        raise click.ClickException("Data demo tidak boleh dimuat di lingkungan produksi (PORTAL_ENV=production).")
    engine = make_engine(settings)
    with session_scope(engine) as session:
        if if_empty and demo_service.has_employees(session):
            click.echo("Basis data sudah berisi data; data demo tidak dimuat ulang.")
            return
        with click.progressbar(
            length=len(demo_service.PARTS), label="Memuat data demo", show_eta=False, item_show_func=lambda label: label, file=sys.stderr
        ) as bar:
            report = demo_service.seed(session, progress=lambda label: bar.update(1, label))
    click.echo(report)


@main.command("create-user", help="Create an account (or reset its password). Prompts for the password.")
@click.option("--nip", required=True, help="18-digit NIP.")
@click.option("--name", required=True, help="Full name with titles.")
@click.option("--email", default=None)
@click.option("--hr", "is_hr", is_flag=True, help="Grant the BKPSDM (HR) role.")
@click.option("--admin", "is_admin", is_flag=True, help="Grant the administrator role.")
@click.password_option(prompt="Kata sandi", confirmation_prompt="Ulangi kata sandi")
def create_user(nip: str, name: str, email: str | None, is_hr: bool, is_admin: bool, password: str) -> None:
    from sqlalchemy import select

    from portal.db import make_engine, session_scope
    from portal.models import Employee
    from portal.security import hash_password, valid_nip_format

    if not valid_nip_format(nip):
        raise click.ClickException("NIP harus 18 digit angka.")
    name = name.strip()
    email = (email or "").strip() or None
    name_max = Employee.__table__.c["name"].type.length
    email_max = Employee.__table__.c["email"].type.length
    if not name:
        raise click.ClickException("Nama wajib diisi.")
    if len(name) > name_max:
        raise click.ClickException(f"Nama terlalu panjang: {len(name)} karakter, paling banyak {name_max}.")
    if email is not None and len(email) > email_max:
        raise click.ClickException(f"Email terlalu panjang: {len(email)} karakter, paling banyak {email_max}.")
    from portal.services.accounts import passwords

    weak = passwords.problem(password, nip=nip, name=name)
    if weak:
        raise click.ClickException(weak)
    engine = make_engine(_settings())
    with session_scope(engine) as session:
        employee = session.execute(select(Employee).where(Employee.nip == nip)).scalar_one_or_none()
        if employee is None:
            employee = Employee(nip=nip, name=name, email=email)
            session.add(employee)
            verb = "dibuat"
        else:
            verb = "diperbarui"
        employee.password_hash = hash_password(password)
        employee.is_hr = employee.is_hr or is_hr
        employee.is_admin = employee.is_admin or is_admin
    click.echo(f"Akun {nip} {verb}.")



@main.command(help="Delete what has run out: expired sessions, old login failures, one-time links 30 days past their "
              "expiry, old forgotten-password requests. For cron when PORTAL_PURGE_INTERVAL_MINUTES=0 (docs/operations.md).")
def maintenance() -> None:
    from portal.db import make_engine
    from portal.services.accounts import jobs

    engine = make_engine(_settings())
    try:
        purged = jobs.run_purge(engine, _settings())
    finally:
        engine.dispose()
    click.echo(
        f"Dihapus: {purged.sessions} sesi kedaluwarsa, {purged.failures} percobaan masuk gagal yang lama, "
        f"{purged.links} tautan sekali pakai yang lama, {purged.reset_requests} permintaan lupa sandi yang lama."
    )


@main.group(help="Stored impact scores of L3 ratings.")
def scores() -> None:
    pass


@scores.command("recompute", help="Recompute every stored impact score from the stored answers (streams in batches).")
@click.option("--formula", default=None, help="Formula version to compute with (default: the current one).")
@click.option("--batch-size", default=2000, show_default=True, type=int)
def scores_recompute(formula: str | None, batch_size: int) -> None:
    from sqlmodel import Session

    from portal import scoring
    from portal.db import make_engine
    from portal.services import impact

    version = formula or scoring.FORMULA_VERSION
    if version not in scoring.IMPACT_WEIGHTS:
        raise click.ClickException(f"Versi rumus tidak dikenal: {version}. Tersedia: {', '.join(scoring.IMPACT_WEIGHTS)}.")
    engine = make_engine(_settings())
    try:
        with Session(engine, expire_on_commit=False) as session:
            report = impact.recompute_all(session, version, batch_size=max(1, batch_size))
    finally:
        engine.dispose()
    click.echo(
        f"Skor dampak dihitung ulang dengan rumus {version}: {report.scanned} pendaftaran diperiksa, "
        f"{report.changed} berubah, {report.created} baru, {report.unchanged} tetap, {report.deleted} dihapus."
    )



@main.group(help="Derived tables (summaries) behind the reports: kept by the portal at every write; rebuilt here.")
def summaries() -> None:
    pass


SUMMARY_NAMES = ("answers", "l1", "invitations", "jp", "gaps")


@summaries.command("rebuild", help="Rebuild one summary, or all of them, from the raw rows (after a bulk load made "
                   "behind the portal's back, or to repair). NAME: answers, l1, invitations, jp or gaps.")
@click.argument("name", required=False, type=click.Choice(SUMMARY_NAMES))
def summaries_rebuild(name: str | None) -> None:
    from sqlmodel import Session

    from portal.db import make_engine
    from portal.services import summaries as registry

    engine = make_engine(_settings())
    try:
        with Session(engine, expire_on_commit=False) as session:
            rows = registry.rebuild(session, [name] if name else None)
            session.commit()
    finally:
        engine.dispose()
    for done, count in rows.items():
        click.echo(f"Ringkasan {done} dibangun ulang: {count} baris.")


@main.group(help="Reminders by e-mail (PORTAL_SMTP_*): pending L1 surveys, due L3 ratings, open AKPK assessments.")
def reminders() -> None:
    pass


KIND_LABELS = {"l1_survey": "survei L1", "l3_rating": "penilaian L3", "akpk_self": "AKPK diri", "akpk_team": "AKPK bawahan", "jp_target": "target JP"}


@reminders.command("send", help="Send today's reminders (run daily from cron): at most one per person and kind within "
                   "PORTAL_REMINDER_INTERVAL_DAYS. --dry-run lists who would get one and sends nothing. Exit status 1 when "
                   "a message failed (the others are still sent).")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send, record and audit nothing.")
def reminders_send(dry_run: bool) -> None:
    from sqlmodel import Session

    from portal import clock
    from portal.db import make_engine
    from portal.services import reminders as service

    settings = _settings()
    engine = make_engine(settings)
    try:
        with Session(engine, expire_on_commit=False) as session:
            result = service.send_reminders(session, settings, clock.today(settings.timezone), dry_run=dry_run)
    finally:
        engine.dispose()
    plan = result.plan
    if dry_run:
        for r in plan.to_send:
            click.echo(f"kirim        {KIND_LABELS[r.kind]:<13} {r.nip} {r.name} ({r.count} item) <{r.email}>")
        for r in plan.recent:
            click.echo(f"baru diingatkan {KIND_LABELS[r.kind]:<10} {r.nip} {r.name}")
        for r in plan.no_email:
            click.echo(f"tanpa email  {KIND_LABELS[r.kind]:<13} {r.nip} {r.name}")
        click.echo(f"Uji coba: {len(plan.to_send)} akan dikirim, {len(plan.recent)} dilewati (baru diingatkan), "
                   f"{len(plan.no_email)} dilewati (tanpa email). Tidak ada yang dikirim.")
        if result.not_configured:
            click.echo("SMTP belum dikonfigurasi (PORTAL_SMTP_HOST): pengiriman sungguhan tidak akan mengirim apa pun.")
        return
    if result.not_configured:
        click.echo("SMTP belum dikonfigurasi (PORTAL_SMTP_HOST kosong): tidak ada email yang dikirim.")
        return
    for failure in result.failed:
        r = failure.recipient
        click.echo(f"gagal  {KIND_LABELS[r.kind]:<13} {r.nip} {r.name}: {failure.reason}", err=True)
    click.echo(f"Pengingat: {len(result.sent)} terkirim, {len(result.recent)} dilewati (baru diingatkan), "
               f"{len(result.no_email)} dilewati (tanpa email), {len(result.failed)} gagal.")
    if result.failed:
        raise SystemExit(1)


@main.group(help="Retention of personal data (docs/privacy.md): what is kept how long.")
def retention() -> None:
    pass


@retention.command("apply", help="Remove the data past its retention period (PORTAL_*_RETENTION_DAYS). A dry run by "
                   "default: counts what would go and changes nothing; --apply deletes it.")
@click.option("--apply", "really", is_flag=True, help="Really delete (without it: a dry run).")
def retention_apply(really: bool) -> None:
    from sqlmodel import Session

    from portal.db import make_engine
    from portal.services.privacy import jobs

    settings = _settings()
    engine = make_engine(settings)
    try:
        with Session(engine, expire_on_commit=False) as session:
            items = jobs.retention(session, settings, apply=really)
    finally:
        engine.dispose()
    click.echo("Retensi data diterapkan:" if really else "Uji coba retensi (tidak ada yang diubah; pakai --apply untuk menghapus):")
    for item in items:
        if item.kept_forever:
            click.echo(f"- {item.description}")
        else:
            verb = "dihapus" if really else "akan dihapus"
            click.echo(f"- {item.description}: {item.count} baris {verb}")


if __name__ == "__main__":  # pragma: no cover
    main()

