"""One employee in Data Master: the profile (unit, position, supervisor, direct reports), the form to
add one (NIP checked by its structure and unique) or change one, and deactivation.

The rules are the employee import's (`imports.cells`, `imports.employees.golongan`): a person is never
deleted, only deactivated, so that their history (enrolments, JP, assessments) stays in the reports; a
supervisor is given by NIP, must exist and be active, and never makes a loop (`hierarchy`); a move to
another unit or position measures the person's AKPK gaps again (`summaries.gaps.apply_people`), in the
transaction of the change. Deactivating someone who still has active direct reports asks first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session

from portal.i18n import _
from portal.models import Employee, Position, Unit
from portal.services import summaries
from portal.services.accounts import admin as accounts_admin
from portal.services.accounts import audit
from portal.services.imports import cells
from portal.services.imports.employees import golongan
from portal.services.master import hierarchy, positions, units
from portal.services.master.forms import Errors, as_id, required_text, typed
from portal.services.privacy import record_person_view

REPORTS_SHOWN = 100
CONFIRM_FIELD = "konfirmasi_nonaktif"
# a change of these moves the person's AKPK gaps (measured against their position's standard)
MOVES = ("unit_id", "position_id")
PRIVATE = ("email", "phone")  # the audit says that these changed, not their values


@dataclass(frozen=True)
class Report:
    id: int
    nip: str
    name: str
    is_active: bool
    position: str | None


@dataclass
class Person:
    id: int
    nip: str
    name: str
    email: str | None
    phone: str | None
    golongan: str | None
    is_active: bool
    is_hr: bool
    is_admin: bool
    unit_id: int | None
    unit: str | None
    position_id: int | None
    position: str | None
    position_class: str | None
    supervisor_id: int | None
    supervisor: str | None
    supervisor_nip: str | None
    supervisor_active: bool | None
    reports_total: int
    reports_active: int
    reports: list[Report] = field(default_factory=list)


def direct_reports(session: Session, employee_id: int, *, only_active: bool = False, limit: int = REPORTS_SHOWN) -> list[Report]:
    stmt = (
        select(Employee.id, Employee.nip, Employee.name, Employee.is_active, Position.name.label("position"))
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.supervisor_id == employee_id, Employee.id != employee_id)
        .order_by(Employee.is_active.desc(), Employee.name, Employee.id)
        .limit(limit)
    )
    if only_active:
        stmt = stmt.where(Employee.is_active.is_(True))
    return [Report(**r._asdict()) for r in session.execute(stmt)]


def profile(session: Session, employee_id: int, viewer_id: int | None = None) -> Person | None:
    """The person with their unit, position, supervisor and the number of their direct reports (one
    query), and the first REPORTS_SHOWN reports (a second one). With `viewer_id` (HR opening the person's
    page), the view is audited as a view of the person's data (1-2 queries more)."""
    sup = aliased(Employee)
    rep = aliased(Employee)
    total = select(func.count()).select_from(rep).where(rep.supervisor_id == Employee.id, rep.id != Employee.id)
    row = session.execute(
        select(
            Employee.id, Employee.nip, Employee.name, Employee.email, Employee.phone, Employee.golongan,
            Employee.is_active, Employee.is_hr, Employee.is_admin,
            Employee.unit_id, Unit.name.label("unit"),
            Employee.position_id, Position.name.label("position"), Position.position_class,
            Employee.supervisor_id, sup.name.label("supervisor"), sup.nip.label("supervisor_nip"), sup.is_active.label("supervisor_active"),
            total.scalar_subquery().label("reports_total"),
            total.where(rep.is_active.is_(True)).scalar_subquery().label("reports_active"),
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(sup, sup.id == Employee.supervisor_id)
        .where(Employee.id == employee_id)
    ).first()
    if row is None:
        return None
    person = Person(**row._asdict())
    if person.reports_total:
        person.reports = direct_reports(session, employee_id)
    if viewer_id is not None:
        record_person_view(session, viewer_id, employee_id, "master.person")
    return person


# --------------------------------------------------------------------------- the form


@dataclass(frozen=True)
class Choices:
    """The form's selects: units in tree order (indented), positions grouped by unit in the same order
    (those without a unit last), each group as (unit name or None, [(id, label)])."""

    units: list[tuple[int, str]]
    positions: list[tuple[str | None, list[tuple[int, str]]]]


def choices(session: Session) -> Choices:
    tree = units.tree(session)
    order = {node.id: i for i, node in enumerate(tree.flat())}
    groups = positions.options(session)
    last = len(order)
    ordered = sorted(groups, key=lambda uid: last + 1 if uid is None else order.get(uid, last))
    return Choices(tree.options(), [(tree.by_id[uid].name if uid in tree.by_id else None, groups[uid]) for uid in ordered])


@dataclass
class EmployeeForm:
    """The form's values as text: as stored, or as typed."""

    nip: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""
    golongan: str = ""
    unit_id: str = ""
    position_id: str = ""
    supervisor_nip: str = ""
    is_active: str = "1"


@dataclass
class EmployeeOutcome:
    form: EmployeeForm
    errors: Errors
    employee_id: int | None = None
    changed: bool = False
    # deactivating would leave these active people without an active supervisor: confirm first
    reports_to_confirm: list[Report] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.employee_id is not None and not self.errors and not self.reports_to_confirm


def form_of(person: Person) -> EmployeeForm:
    return EmployeeForm(
        nip=person.nip, name=person.name, email=person.email or "", phone=person.phone or "", golongan=person.golongan or "",
        unit_id=str(person.unit_id or ""), position_id=str(person.position_id or ""),
        supervisor_nip=person.supervisor_nip or "", is_active="1" if person.is_active else "0",
    )


def _typed_form(data: dict[str, Any]) -> EmployeeForm:
    return EmployeeForm(**{f.name: typed(data, f.name) for f in fields(EmployeeForm)})


def _supervisor(session: Session, errors: Errors, raw: str, today: date, employee_id: int | None, current: int | None) -> int | None:
    """The supervisor's id from their NIP: it must be someone in the portal, not the person themself,
    and (when it changes) active. Loops are checked after the write (`hierarchy`)."""
    nip = raw.replace(" ", "")
    if not nip:
        return None
    found = session.execute(select(Employee.id, Employee.name, Employee.is_active).where(Employee.nip == nip)).first()
    if found is None:
        if errors.clean("supervisor_nip", lambda v: cells.nip(v, today), nip) is not None:
            errors.add("supervisor_nip", _("Tidak ada pegawai dengan NIP %(n)s di portal.") % {"n": nip})
        return None
    if found.id == employee_id:
        errors.add("supervisor_nip", _("Pegawai tidak dapat menjadi atasannya sendiri."))
        return None
    if not found.is_active and found.id != current:
        errors.add("supervisor_nip", _("%(name)s sudah nonaktif. Pilih atasan yang masih aktif.") % {"name": found.name})
        return None
    return found.id


def _clean(session: Session, form: EmployeeForm, today: date, stored: dict[str, Any] | None) -> tuple[Errors, dict[str, Any]]:
    """Clean values of the form (`stored`: the person's current values, None for a new person)."""
    errors = Errors()
    values: dict[str, Any] = {}
    if stored is None:
        nip = errors.clean("nip", lambda v: cells.nip(v.replace(" ", ""), today), form.nip)
        if nip:
            taken = session.execute(select(Employee.name).where(Employee.nip == nip)).scalar()
            if taken is not None:
                errors.add("nip", _("NIP %(n)s sudah terdaftar atas nama %(name)s.") % {"n": nip, "name": taken})
        values["nip"] = nip
    values["name"] = errors.clean("name", required_text(200, _("Isi nama pegawai.")), form.name)
    values["email"] = errors.clean("email", cells.email, form.email)
    values["phone"] = errors.clean("phone", cells.phone, form.phone)
    values["golongan"] = errors.clean("golongan", golongan, form.golongan)
    for key, table, message in (
        ("unit_id", Unit, _("Pilih unit kerja dari daftar.")),
        ("position_id", Position, _("Pilih jabatan dari daftar.")),
    ):
        raw = getattr(form, key)
        chosen = as_id(raw)
        if raw and (chosen is None or session.execute(select(table.id).where(table.id == chosen)).first() is None):
            errors.add(key, message)
        values[key] = chosen
    employee_id = stored["id"] if stored else None
    values["supervisor_id"] = _supervisor(session, errors, form.supervisor_nip, today, employee_id, stored["supervisor_id"] if stored else None)
    if stored is not None:
        if form.is_active not in ("1", "0"):
            errors.add("is_active", _("Pilih status pegawai."))
        values["is_active"] = form.is_active != "0"
    return errors, values


def create_employee(session: Session, actor_id: int, data: dict[str, Any], today: date) -> EmployeeOutcome:
    """A new, active employee (no password yet: an account is set up separately)."""
    form = _typed_form(data)
    errors, values = _clean(session, form, today, None)
    if errors:
        return EmployeeOutcome(form, errors)
    person = Employee(**values, is_active=True)
    session.add(person)
    try:
        session.flush()
    except IntegrityError:  # the same NIP saved by someone else a moment ago
        session.rollback()
        errors.add("nip", _("NIP %(n)s sudah terdaftar.") % {"n": values["nip"]})
        return EmployeeOutcome(form, errors)
    assert person.id is not None
    audit(session, actor_id, "employee.create", f"employee:{person.id}", _detail(session, {}, values))
    session.commit()
    return EmployeeOutcome(form, errors, person.id, True)


STORED = (Employee.id, Employee.name, Employee.email, Employee.phone, Employee.golongan, Employee.unit_id,
          Employee.position_id, Employee.supervisor_id, Employee.is_active)


def update_employee(session: Session, actor_id: int, employee_id: int, data: dict[str, Any], today: date) -> EmployeeOutcome | None:
    """None when there is no such employee."""
    row = session.execute(select(*STORED).where(Employee.id == employee_id)).first()
    if row is None:
        return None
    stored = row._asdict()
    form = _typed_form(data)
    errors, values = _clean(session, form, today, stored)
    outcome = EmployeeOutcome(form, errors, employee_id)
    if errors:
        return outcome
    changes = {k: v for k, v in values.items() if stored[k] != v}
    if changes.get("is_active") is False:
        if employee_id == actor_id:
            errors.add("is_active", _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
            return outcome
        if typed(data, CONFIRM_FIELD) != "1":
            outcome.reports_to_confirm = direct_reports(session, employee_id, only_active=True)
            if outcome.reports_to_confirm:
                return outcome
    if not changes:
        return outcome
    conn = session.connection()
    if changes.get("supervisor_id") is not None:
        hierarchy.serialise_edits(conn, hierarchy.SUPERVISION)
    if changes.get("is_active") is False:
        accounts_admin.lock_admins(session)
    session.execute(update(Employee).where(Employee.id == employee_id).values(**changes))
    if changes.get("is_active") is False and accounts_admin.active_admins(session) == 0:
        session.rollback()
        errors.add("is_active", _("Pegawai ini satu-satunya administrator yang aktif. Jadikan orang lain administrator lebih dulu (Admin › Akun)."))
        return outcome
    if changes.get("supervisor_id") is not None:
        loop = hierarchy.loop_through(conn, Employee.__table__, "supervisor_id", employee_id)
        if loop:
            names = dict(session.execute(select(Employee.id, Employee.name).where(Employee.id.in_(loop))).all())
            session.rollback()
            chain = " → ".join(names.get(i, "?") for i in [*loop, loop[0]])
            errors.add("supervisor_nip", _("Atasan melingkar (%(c)s). Pilih atasan yang tidak berada di bawah pegawai ini.") % {"c": chain})
            return outcome
    if any(k in changes for k in MOVES):
        summaries.gaps.apply_people(conn, [employee_id])
    action = "employee.update"
    if "is_active" in changes:
        action = "employee.reactivate" if changes["is_active"] else "employee.deactivate"
    audit(session, actor_id, action, f"employee:{employee_id}", _detail(session, stored, changes))
    session.commit()
    outcome.changed = True
    return outcome


def _detail(session: Session, before: dict[str, Any], after: dict[str, Any]) -> str:
    """`field: old → new` per changed field, units and positions by code, the supervisor by NIP; for
    e-mail and phone only that they changed."""
    shown_by = {"unit_id": (Unit.id, Unit.code), "position_id": (Position.id, func.coalesce(Position.code, Position.name)),
                "supervisor_id": (Employee.id, Employee.nip)}
    names: dict[str, dict[int, str]] = {}
    for key, (column, label) in shown_by.items():
        ids = [i for i in (before.get(key), after.get(key)) if i] if key in after else []
        names[key] = dict(session.execute(select(column, label).where(column.in_(ids))).all()) if ids else {}
    shown = []
    for key, new in after.items():
        old = before.get(key)
        if not before and new in (None, ""):
            continue
        if key in PRIVATE:
            shown.append(f"{key}: {'diubah' if before else 'diisi'}")
            continue
        if key in names:
            old, new = names[key].get(old), names[key].get(new)
        shown.append(f"{key}: {_shown(old)} → {_shown(new)}" if before else f"{key}: {_shown(new)}")
    return "; ".join(shown)


def _shown(value: Any) -> str:
    return "–" if value is None or value == "" else str(value)
