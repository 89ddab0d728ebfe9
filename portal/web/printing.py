"""Print views (A4): what every one of them needs besides its own report, from the settings (the
agency's name and logo) and the clock (when it was printed). A print view renders the same partial as
its page, inside `templates/print_base.html`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portal.i18n import to_local
from portal.settings import Settings


def print_context(settings: Settings, title: str, subtitle: str, back_url: str) -> dict[str, Any]:
    """The variables of `print_base.html`."""
    return {
        "agency": {"name": settings.agency_name, "logo": settings.agency_logo},
        "print_title": title,
        "print_subtitle": subtitle,
        "made_at": to_local(datetime.now(UTC), settings.timezone),
        "back_url": back_url,
        "print_mode": True,
    }
