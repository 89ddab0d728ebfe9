"""Employees in Data Master (/data-master/pegawai, HR): the list, a person's page, and the forms to add
one and to change one (deactivation included: it asks first while the person has active direct reports).
Plain forms: a change redirects to the person's page, a refused one is the form again (422) with every
message next to its field and in the summary, and what was typed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal import clock
from portal.i18n import _
from portal.models import utcnow
from portal.rules import POSITION_CLASS_LABELS
from portal.services import master
from portal.services.accounts import tokens
from portal.services.master import people, units
from portal.web.core import DB, Config, FormData, User, flash, hr_required, is_htmx, positive_int, query_id, redirect, render

BASE = "/data-master/pegawai"


def _person_or_404(db: Any, employee_id: int, viewer_id: int | None = None) -> people.Person:
    person = people.profile(db, employee_id, viewer_id)
    if person is None:
        raise NotFoundException()
    return person


def _form_page(request: Request, db: Any, outcome: people.EmployeeOutcome | None, person: people.Person | None, *, status_code: int = 200) -> Any:
    ctx = {
        "person": person,
        "form": outcome.form if outcome else (people.form_of(person) if person else people.EmployeeForm()),
        "errors": outcome.errors.by_field if outcome else {},
        "confirm": outcome.reports_to_confirm if outcome else [],
        "confirm_field": people.CONFIRM_FIELD,
        "choices": people.choices(db),
    }
    return render(request, "master/employee_form.html", ctx, db=db if status_code == 200 else None, status_code=status_code)


class EmployeeController(Controller):
    path = BASE
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, q: FromQuery[str] = "", unit: FromQuery[str] = "", page: FromQuery[str] = "1") -> Any:
        q = q.strip()[:100]
        unit_id = query_id(unit)
        result = master.list_employees(db, q=q, unit_id=unit_id, page=positive_int(page))
        ctx = {"result": result, "q": q, "unit": unit_id}
        if is_htmx(request):
            return render(request, "master/_employees_table.html", ctx)
        return render(request, "master/employees.html", ctx | {"units": units.tree(db).options()}, db=db)

    @get("/baru", sync_to_thread=True)
    def new(self, request: Request, db: DB) -> Any:
        return _form_page(request, db, None, None)

    @post("/baru", sync_to_thread=True)
    def create(self, request: Request, db: DB, user: User, settings: Config, data: FormData) -> Any:
        outcome = people.create_employee(db, user.id, data, clock.today(settings.timezone))
        if not outcome.ok:
            return _form_page(request, db, outcome, None, status_code=422)
        flash(db, user, _("Pegawai %(name)s ditambahkan. Buat tautan aktivasi agar ia dapat masuk (bagian Akun masuk).") % {"name": outcome.form.name})
        return redirect(request, f"{BASE}/{outcome.employee_id}")

    @get("/{employee_id:int}", sync_to_thread=True)
    def show(self, request: Request, db: DB, user: User, employee_id: FromPath[int]) -> Any:
        person = _person_or_404(db, employee_id, user.id)
        ctx = {
            "person": person,
            "class_labels": POSITION_CLASS_LABELS,
            "account": tokens.account_state(db, employee_id),
            "may_issue": tokens.may_issue(user.is_admin, person.is_admin),
            "now": utcnow(),
        }
        return render(request, "master/employee.html", ctx, db=db)

    @get("/{employee_id:int}/ubah", sync_to_thread=True)
    def edit(self, request: Request, db: DB, user: User, employee_id: FromPath[int]) -> Any:
        return _form_page(request, db, None, _person_or_404(db, employee_id, user.id))

    @post("/{employee_id:int}/ubah", sync_to_thread=True)
    def update(self, request: Request, db: DB, user: User, settings: Config, employee_id: FromPath[int], data: FormData) -> Any:
        outcome = people.update_employee(db, user.id, employee_id, data, clock.today(settings.timezone))
        if outcome is None:
            raise NotFoundException()
        if outcome.reports_to_confirm:
            return _form_page(request, db, outcome, _person_or_404(db, employee_id))
        if not outcome.ok:
            return _form_page(request, db, outcome, _person_or_404(db, employee_id), status_code=422)
        if not outcome.changed:
            flash(db, user, _("Tidak ada yang berubah."), "info")
        elif outcome.form.is_active == "0":
            flash(db, user, _("Data %(name)s disimpan; pegawai ini nonaktif dan tidak dapat masuk. Riwayatnya tetap tercatat di laporan.") % {"name": outcome.form.name})
        else:
            flash(db, user, _("Data %(name)s disimpan.") % {"name": outcome.form.name})
        return redirect(request, f"{BASE}/{employee_id}")
