"""Kirim pengingat (/laporan/pengingat, HR and admin; service: `portal.services.reminders`): the
confirmation (GET: how many will receive a reminder, how many are skipped and why, one example e-mail)
and the send (POST: the result, with every failure and its reason).

Reached from the response monitoring (`jenis=l1` pending L1 surveys, `jenis=l3` due L3 ratings, to the
supervisors; with the report's period and unit), from one training's report (`pelatihan=<id>`) and from
the JP report (`jenis=jp`: employees below the yearly target). The query string of the GET and the
fields of the POST are the same, so the confirmation posts back exactly what it counted.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from sqlmodel import Session

from portal import clock
from portal.i18n import _
from portal.services import reminders, reports
from portal.settings import Settings
from portal.web.core import DB, Config, FormData, User, first_value, hr_required, query_id, render

KINDS = {"l1": reminders.L1_SURVEY, "l3": reminders.L3_RATING, "jp": reminders.JP_TARGET}


def _scope(db: Session, settings: Settings, raw: dict[str, Any]) -> dict[str, Any]:
    """The target of the button and what the pages say about it, from the query string or the form."""
    today = clock.today(settings.timezone)
    jenis = first_value(raw.get("jenis"))
    jenis = jenis if jenis in KINDS else "l1"
    filters = reports.parse_filters({k: raw.get(k) for k in ("periode", "dari", "sampai", "unit")}, today, reports.unit_options(db))
    training_id = query_id(raw.get("pelatihan")) if jenis != "jp" else None
    title = None
    if training_id is not None:
        title = reminders.training_title(db, training_id)
        if title is None:
            raise NotFoundException(_("Pelatihan tidak ditemukan."))
    target = reminders.Target(KINDS[jenis], None if training_id else filters, training_id)
    fields = {"jenis": jenis, **({"pelatihan": str(training_id)} if training_id else filters.params())}
    if jenis == "jp":
        back = "/laporan/jp?" + urlencode(filters.params())
    elif training_id:
        back = f"/laporan/pelatihan/{training_id}"
    else:
        back = "/laporan/respons?" + urlencode(filters.params(jenis=jenis))
    return {"today": today, "jenis": jenis, "target": target, "filters": filters, "training_title": title,
            "fields": fields, "back_url": back, "interval": settings.reminder_interval_days, "limit": reminders.WEB_LIMIT}


class ReminderController(Controller):
    path = "/laporan/pengingat"
    guards = [hr_required]

    @get(sync_to_thread=True)
    def confirm(
        self, request: Request, db: DB, settings: Config,
        jenis: FromQuery[str | None] = None, pelatihan: FromQuery[str | None] = None, periode: FromQuery[str | None] = None,
        dari: FromQuery[str | None] = None, sampai: FromQuery[str | None] = None, unit: FromQuery[str | None] = None,
    ) -> Any:
        """How many will receive a reminder and how many are skipped; nothing is sent or recorded."""
        ctx = _scope(db, settings, {"jenis": jenis, "pelatihan": pelatihan, "periode": periode, "dari": dari, "sampai": sampai, "unit": unit})
        ctx["p"] = reminders.preview(db, settings, ctx["today"], ctx["target"])
        return render(request, "reminders/confirm.html", ctx, db=db)

    @post(sync_to_thread=True)
    def send(self, request: Request, db: DB, user: User, settings: Config, data: FormData) -> Any:
        """Send (at most WEB_LIMIT e-mails), audit the counts, show what happened to each one."""
        ctx = _scope(db, settings, data)
        ctx["r"] = reminders.send(db, settings, ctx["today"], ctx["target"], user.id)
        return render(request, "reminders/result.html", ctx, db=db)


CONTROLLERS = [ReminderController]
