"""Housekeeping of the accounts area: what has run out is deleted.

- sessions past their idle or absolute limit (they are refused anyway; the rows only take space);
- login failures older than the throttle's window and lock (they count for nothing any more; the audit
  log keeps every failed login: NIP tried, address, time);
- one-time links LINK_KEPT_DAYS after they expired (used or not: the person's page shows the newest
  link's fate until then; the audit log keeps who issued which);
- forgotten-password requests older than their throttle window.

`purge_expired` is the job. Two ways run it (docs/operations.md, "Housekeeping"): every worker process of
the portal runs it by itself every PORTAL_PURGE_INTERVAL_MINUTES (default 60; `Housekeeping`, started
with the app, first run one interval after start-up), and `portal maintenance` runs it once, for cron
when the in-app task is turned off (interval 0). Running it twice at once, or from several workers,
is harmless: each run deletes what is expired at its time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session

from portal.models import AccountToken, LoginFailure, PasswordResetRequest, utcnow
from portal.services.accounts import activation, login, sessions
from portal.settings import Settings

log = logging.getLogger("portal.accounts")

LINK_KEPT_DAYS = 30


@dataclass(frozen=True)
class Purged:
    sessions: int
    failures: int
    links: int
    reset_requests: int


def purge_expired(session: Session, settings: Settings, now: datetime | None = None) -> Purged:
    """Delete what has run out (see the module's docstring) and commit. Four DELETEs on indexed columns."""
    now = now or utcnow()
    ended = session.execute(sessions.expired_sessions(settings, now)).rowcount or 0
    failures = session.execute(delete(LoginFailure).where(LoginFailure.at < login.failures_expire_before(settings, now))).rowcount or 0
    links = session.execute(delete(AccountToken).where(AccountToken.expires_at < now - timedelta(days=LINK_KEPT_DAYS))).rowcount or 0
    requests = session.execute(delete(PasswordResetRequest).where(PasswordResetRequest.at < now - activation.RESET_WINDOW)).rowcount or 0
    session.commit()
    return Purged(ended, failures, links, requests)


def run_purge(engine: Engine, settings: Settings) -> Purged:
    """`purge_expired` in a session of its own (the CLI and the in-app task)."""
    with Session(engine, expire_on_commit=False) as session:
        return purge_expired(session, settings)


class Housekeeping:
    """The in-app periodic task: `purge_expired` every `interval_seconds` (from
    `settings.purge_interval_minutes`; 0 turns it off), in a worker thread so that the event loop never
    waits for the database. Started and stopped with the app (portal/app.py). A failed run is logged and
    the next one comes at its time."""

    def __init__(self, engine: Engine, settings: Settings, interval_seconds: float | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.interval = settings.purge_interval_minutes * 60 if interval_seconds is None else interval_seconds
        self.runs = 0
        # one task per event loop: a test may serve one app from several clients, each with its own loop
        self._tasks: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.interval > 0 and loop not in self._tasks:
            self._tasks[loop] = loop.create_task(self._loop(), name="portal-housekeeping")

    async def stop(self) -> None:
        task = self._tasks.pop(asyncio.get_running_loop(), None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                purged = await asyncio.to_thread(run_purge, self.engine, self.settings)
            except Exception:  # noqa: BLE001 - the next run comes at its time
                log.exception("housekeeping: the purge of expired sessions and login failures failed")
                continue
            self.runs += 1
            if purged.sessions or purged.failures or purged.links or purged.reset_requests:
                log.info("housekeeping: purged %s", purged)
