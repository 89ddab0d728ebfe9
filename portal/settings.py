"""One Settings object built from PORTAL_* environment variables, with dev defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from portal.security import SECRET_MIN_LENGTH, parse_networks, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"
SMTP_TLS_MODES = ("none", "starttls", "ssl")
SMTP_DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class SettingsError(RuntimeError):
    """Raised when the configuration cannot be used (e.g. production without a secret key)."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:  # pragma: no cover - defensive
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc


def _days(env: dict[str, str], name: str, default: int) -> int:
    """A retention period in days: 0 (keep forever) or more."""
    value = _int(env, name, default)
    if value < 0:
        raise SettingsError(f"{name} must be 0 (keep forever) or a number of days, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    environment: str = "development"  # development | production | test
    database_url: str = f"sqlite:///{BASE_DIR / 'var' / 'portal.db'}"
    secret_key: str = DEV_SECRET_KEY
    timezone: str = "Asia/Jakarta"
    locale: str = "id"
    session_idle_minutes: int = 30
    session_absolute_hours: int = 8
    secure_cookies: bool = False
    login_max_failures: int = 10
    login_window_minutes: int = 15
    login_lock_minutes: int = 15
    ip_max_failures: int = 50
    min_group_size: int = 5
    survey_window_days: int = 14
    import_max_mb: int = 10  # largest spreadsheet an import accepts
    application_window_days: int = 30
    application_due_days: int = 90
    db_echo: bool = False
    # the most database connections one worker process opens (0 = the backend's default: 40 for SQLite,
    # 30 for PostgreSQL, of which 20 / 10 stay open)
    db_pool_size: int = 0
    # reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed
    trusted_proxies: tuple[str, ...] = field(default_factory=tuple)
    # the portal's own access log (logger "portal.access"); `portal serve --no-access-log` turns it off
    access_log: bool = True
    # every worker deletes expired sessions, login failures and links this often (0: never; then run
    # `portal maintenance` from cron)
    purge_interval_minutes: int = 60
    # outgoing e-mail (portal.mail): nothing is sent while smtp_host is empty
    smtp_host: str = ""
    smtp_port: int = 0  # 0 = the usual port of smtp_tls (25, 587, 465)
    smtp_tls: str = "starttls"  # none | starttls | ssl
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)  # never printed, logged or shown
    smtp_from: str = ""
    # the portal's address as people reach it, for links in e-mails and messages (no trailing slash)
    base_url: str = "http://127.0.0.1:8000"
    # at most one reminder per person and kind within this many days (portal.services.reminders)
    reminder_interval_days: int = 3
    # the agency named (and its logo shown, a path under static/, or none) at the top of print views
    agency_name: str = "BKPSDM"
    agency_logo: str = ""
    # who to contact for help, shown on the Bantuan pages (/bantuan, /bantuan/masuk)
    help_contact: str = "Bidang Pengembangan Kompetensi, BKPSDM Kota Tanjungpinang (hari dan jam kerja)"

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or SMTP_DEFAULT_PORTS.get(self.smtp_tls, 25)

    # retention of personal data (`portal retention apply`, docs/privacy.md); 0 keeps the data forever
    audit_retention_days: int = 730  # audit events
    correction_retention_days: int = 365  # correction requests, counted from when HR marked them done

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        environment = env.get("PORTAL_ENV", "development").strip().lower()
        if environment not in {"development", "production", "test"}:
            raise SettingsError("PORTAL_ENV must be development, production or test")
        secret = env.get("PORTAL_SECRET_KEY", "")
        if environment == "production":
            if not secret:
                raise SettingsError(
                    "PORTAL_SECRET_KEY is required when PORTAL_ENV=production "
                    "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
                )
            problem = "it is the development key" if secret == DEV_SECRET_KEY else secret_key_problem(secret)
            if problem:
                raise SettingsError(
                    f"PORTAL_SECRET_KEY must be a random string of at least {SECRET_MIN_LENGTH} characters: {problem} "
                    "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
                )
        elif not secret:
            secret = DEV_SECRET_KEY
        defaults = cls()
        proxies = tuple(p.strip() for p in env.get("PORTAL_TRUSTED_PROXIES", "").split(",") if p.strip())
        try:
            parse_networks(proxies)
        except ValueError as exc:
            raise SettingsError(f"PORTAL_TRUSTED_PROXIES must list IP addresses or CIDR networks, comma-separated: {exc}") from exc
        smtp = _smtp(env, environment)
        interval = _int(env, "PORTAL_REMINDER_INTERVAL_DAYS", defaults.reminder_interval_days)
        if interval < 1:
            raise SettingsError("PORTAL_REMINDER_INTERVAL_DAYS must be at least 1")
        return cls(
            environment=environment,
            database_url=env.get("PORTAL_DATABASE_URL") or defaults.database_url,
            secret_key=secret,
            timezone=env.get("PORTAL_TIMEZONE", defaults.timezone),
            locale=env.get("PORTAL_LOCALE", defaults.locale),
            session_idle_minutes=_int(env, "PORTAL_SESSION_IDLE_MINUTES", defaults.session_idle_minutes),
            session_absolute_hours=_int(env, "PORTAL_SESSION_ABSOLUTE_HOURS", defaults.session_absolute_hours),
            secure_cookies=_bool(env.get("PORTAL_SECURE_COOKIES"), environment == "production"),
            login_max_failures=_int(env, "PORTAL_LOGIN_MAX_FAILURES", defaults.login_max_failures),
            login_window_minutes=_int(env, "PORTAL_LOGIN_WINDOW_MINUTES", defaults.login_window_minutes),
            login_lock_minutes=_int(env, "PORTAL_LOGIN_LOCK_MINUTES", defaults.login_lock_minutes),
            ip_max_failures=_int(env, "PORTAL_IP_MAX_FAILURES", defaults.ip_max_failures),
            min_group_size=_int(env, "PORTAL_MIN_GROUP_SIZE", defaults.min_group_size),
            survey_window_days=_int(env, "PORTAL_SURVEY_WINDOW_DAYS", defaults.survey_window_days),
            import_max_mb=_int(env, "PORTAL_IMPORT_MAX_MB", defaults.import_max_mb),
            application_window_days=_int(env, "PORTAL_APPLICATION_WINDOW_DAYS", defaults.application_window_days),
            application_due_days=_int(env, "PORTAL_APPLICATION_DUE_DAYS", defaults.application_due_days),
            db_echo=_bool(env.get("PORTAL_DB_ECHO"), False),
            db_pool_size=_int(env, "PORTAL_DB_POOL_SIZE", defaults.db_pool_size),
            trusted_proxies=proxies,
            access_log=_bool(env.get("PORTAL_ACCESS_LOG"), True),
            purge_interval_minutes=_int(env, "PORTAL_PURGE_INTERVAL_MINUTES", defaults.purge_interval_minutes),
            reminder_interval_days=interval,
            agency_name=env.get("PORTAL_AGENCY_NAME", "").strip() or defaults.agency_name,
            agency_logo=_static_path(env.get("PORTAL_AGENCY_LOGO", "")),
            help_contact=env.get("PORTAL_HELP_CONTACT", "").strip() or defaults.help_contact,
            **smtp,
            audit_retention_days=_days(env, "PORTAL_AUDIT_RETENTION_DAYS", defaults.audit_retention_days),
            correction_retention_days=_days(env, "PORTAL_CORRECTION_RETENTION_DAYS", defaults.correction_retention_days),
        )


def _static_path(raw: str) -> str:
    """PORTAL_AGENCY_LOGO: a file under static/ (e.g. img/logo.png), or empty for none."""
    path = raw.strip().lstrip("/")
    if path.startswith("static/"):
        path = path[len("static/"):]
    if not path:
        return ""
    if ".." in Path(path).parts or not (BASE_DIR / "static" / path).is_file():
        raise SettingsError(f"PORTAL_AGENCY_LOGO must name a file under static/ (e.g. img/logo.png), got {raw!r}")
    return path


def _smtp(env: dict[str, str], environment: str) -> dict:
    """The PORTAL_SMTP_* settings and PORTAL_BASE_URL, checked: a configured server needs a sender, a
    known TLS mode, and in production the portal's public address (links in e-mails) and no password
    sent in the clear. Messages never repeat the password."""
    host = env.get("PORTAL_SMTP_HOST", "").strip()
    tls = (env.get("PORTAL_SMTP_TLS", "") or "starttls").strip().lower()
    if tls not in SMTP_TLS_MODES:
        raise SettingsError("PORTAL_SMTP_TLS must be none, starttls or ssl")
    port = _int(env, "PORTAL_SMTP_PORT", 0)
    if not 0 <= port <= 65535:
        raise SettingsError("PORTAL_SMTP_PORT must be a TCP port (1-65535)")
    sender = env.get("PORTAL_SMTP_FROM", "").strip()
    user = env.get("PORTAL_SMTP_USER", "").strip()
    password = env.get("PORTAL_SMTP_PASSWORD", "")
    base_url = env.get("PORTAL_BASE_URL", "").strip().rstrip("/")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise SettingsError("PORTAL_BASE_URL must start with http:// or https:// (e.g. https://kompetensi.example.go.id)")
    if host:
        if not sender or "@" not in sender:
            raise SettingsError("PORTAL_SMTP_FROM (the sender address, e.g. BKPSDM <noreply@example.go.id>) is required with PORTAL_SMTP_HOST")
        if environment == "production" and not base_url:
            raise SettingsError("PORTAL_BASE_URL (the portal's public address) is required with PORTAL_SMTP_HOST in production: e-mails link to it")
        if environment == "production" and user and tls == "none":
            raise SettingsError("PORTAL_SMTP_TLS=none would send PORTAL_SMTP_PASSWORD in the clear: use starttls or ssl")
    values = {"smtp_host": host, "smtp_port": port, "smtp_tls": tls, "smtp_user": user, "smtp_password": password, "smtp_from": sender}
    if base_url:
        values["base_url"] = base_url
    return values
