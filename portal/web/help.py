"""Bantuan: how to use the portal. `/bantuan` shows what the logged-in user's roles need (how to fill in each
form, what anonymity means, how the impact index is computed, who to contact); `/bantuan/masuk` is the public
page linked from the login page (how to get an account, a forgotten password). Text only: no database."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from portal.web.core import Config, User, render


class HelpController(Controller):
    path = "/bantuan"

    @get(sync_to_thread=False)
    def index(self, request: Request, user: User, settings: Config) -> Any:
        context = {
            "contact": settings.help_contact,
            "survey_days": settings.survey_window_days,
            "window_days": settings.application_window_days,
            "due_days": settings.application_due_days,
            "min_group": settings.min_group_size,
            "is_supervisor": user.is_supervisor,
            "is_hr": user.is_hr_or_admin,
            "is_admin": user.is_admin,
        }
        return render(request, "help/index.html", context)

    @get("/masuk", opt={"public": True}, sync_to_thread=False)
    def public(self, request: Request, settings: Config) -> Any:
        return render(request, "help/public.html", {"contact": settings.help_contact})


CONTROLLERS = [HelpController]
