"""The one place that asks what time it is, so tests can freeze it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

_frozen_today: date | None = None


def today(zone: str = "Asia/Jakarta") -> date:
    """Today's date in the portal's time zone (WIB by default)."""
    if _frozen_today is not None:
        return _frozen_today
    return datetime.now(timezone.utc).astimezone(ZoneInfo(zone)).date()


def parse_iso_date(raw: str | None) -> date | None:
    """A date typed as YYYY-MM-DD (what `<input type="date">` sends), or None when empty or invalid."""
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def freeze_today(value: date | None) -> None:
    """Tests only: pin `today()` (None to unfreeze)."""
    global _frozen_today
    _frozen_today = value
