"""The organisation in Data Master (HR): units as a tree (/data-master/unit) and positions with their
competency standard (/data-master/jabatan), each with a form to add one and to change one. Plain forms:
a change redirects, a refused one is the form again (422) with the messages and what was typed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal.i18n import _
from portal.models import COMPETENCY_GROUPS
from portal.rules import POSITION_CLASS_LABELS
from portal.services import standards
from portal.services.master import positions, units
from portal.web.core import DB, FormData, User, flash, hr_required, positive_int, query_id, redirect, render

UNITS = "/data-master/unit"
POSITIONS = "/data-master/jabatan"


# --------------------------------------------------------------------------- units


def _unit_form(request: Request, db: Any, form: units.UnitForm, errors: dict[str, str], unit: units.UnitFacts | None, *, status_code: int = 200) -> Any:
    tree = units.tree(db)
    leave_out = {unit.id, *tree.below(unit.id)} if unit else set()
    if errors.get("parent_id"):  # show the refused choice again, next to its message
        leave_out.discard(query_id(form.parent_id))
    ctx = {"form": form, "errors": errors, "unit": unit, "parents": tree.options(leave_out)}
    return render(request, "master/unit_form.html", ctx, db=db if status_code == 200 else None, status_code=status_code)


def _unit_or_404(db: Any, unit_id: int) -> units.UnitFacts:
    found = units.facts(db, unit_id)
    if found is None:
        raise NotFoundException()
    return found


class UnitController(Controller):
    path = UNITS
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Any:
        tree = units.tree(db)
        return render(request, "master/units.html", {"roots": tree.roots, "count": len(tree.by_id)}, db=db)

    @get("/baru", sync_to_thread=True)
    def new(self, request: Request, db: DB, induk: FromQuery[str] = "") -> Any:
        return _unit_form(request, db, units.UnitForm(parent_id=str(query_id(induk) or "")), {}, None)

    @post("/baru", sync_to_thread=True)
    def create(self, request: Request, db: DB, user: User, data: FormData) -> Any:
        outcome = units.create_unit(db, user.id, data)
        if outcome.unit_id is None:
            return _unit_form(request, db, outcome.form, outcome.errors.by_field, None, status_code=422)
        flash(db, user, _("Unit %(name)s ditambahkan.") % {"name": outcome.form.name})
        return redirect(request, UNITS)

    @get("/{unit_id:int}", sync_to_thread=True)
    def edit(self, request: Request, db: DB, unit_id: FromPath[int]) -> Any:
        unit = _unit_or_404(db, unit_id)
        form = units.form_of(db, unit_id)
        assert form is not None
        return _unit_form(request, db, form, {}, unit)

    @post("/{unit_id:int}", sync_to_thread=True)
    def update(self, request: Request, db: DB, user: User, unit_id: FromPath[int], data: FormData) -> Any:
        outcome = units.update_unit(db, user.id, unit_id, data)
        if outcome is None:
            raise NotFoundException()
        if outcome.errors:
            return _unit_form(request, db, outcome.form, outcome.errors.by_field, _unit_or_404(db, unit_id), status_code=422)
        message = _("Perubahan unit %(name)s disimpan.") if outcome.changed else _("Tidak ada yang berubah pada unit %(name)s.")
        flash(db, user, message % {"name": outcome.form.name}, "success" if outcome.changed else "info")
        return redirect(request, UNITS)


# --------------------------------------------------------------------------- positions


def _position_form(
    request: Request, db: Any, form: positions.PositionForm, errors: dict[str, str], position: positions.PositionFacts | None,
    comps: list[positions.StandardCompetency], *, status_code: int = 200,
) -> Any:
    groups = [(g, [c for c in comps if c.group_name == g]) for g in COMPETENCY_GROUPS]
    ctx = {
        "form": form,
        "errors": errors,
        "position": position,
        "groups": [(group, items) for group, items in groups if items],
        "units": units.tree(db).options(),
        "class_labels": POSITION_CLASS_LABELS,
        "default": standards.default_level(form.position_class or None, "manajerial"),
        "level_field": positions.level_field,
    }
    return render(request, "master/position_form.html", ctx, db=db if status_code == 200 else None, status_code=status_code)


def _position_or_404(db: Any, position_id: int) -> positions.PositionFacts:
    found = positions.facts(db, position_id)
    if found is None:
        raise NotFoundException()
    return found


class PositionController(Controller):
    path = POSITIONS
    guards = [hr_required]

    @get(sync_to_thread=True)
    def index(self, request: Request, db: DB, q: FromQuery[str] = "", unit: FromQuery[str] = "", page: FromQuery[str] = "1") -> Any:
        q = q.strip()[:100]
        unit_id = query_id(unit)
        result = positions.list_positions(db, q=q, unit_id=unit_id, page=positive_int(page))
        ctx = {"result": result, "q": q, "unit": unit_id, "units": units.tree(db).options(), "class_labels": POSITION_CLASS_LABELS}
        return render(request, "master/positions.html", ctx, db=db)

    @get("/baru", sync_to_thread=True)
    def new(self, request: Request, db: DB, unit: FromQuery[str] = "") -> Any:
        comps = positions.competencies(db)
        form = positions.PositionForm(unit_id=str(query_id(unit) or ""), levels={c.id: "" for c in comps})
        return _position_form(request, db, form, {}, None, comps)

    @post("/baru", sync_to_thread=True)
    def create(self, request: Request, db: DB, user: User, data: FormData) -> Any:
        comps = positions.competencies(db)
        outcome = positions.create_position(db, user.id, data, comps)
        if outcome.position_id is None:
            return _position_form(request, db, outcome.form, outcome.errors.by_field, None, comps, status_code=422)
        flash(db, user, _("Jabatan %(name)s ditambahkan dengan standar kompetensinya.") % {"name": outcome.form.name})
        return redirect(request, f"{POSITIONS}/{outcome.position_id}")

    @get("/{position_id:int}", sync_to_thread=True)
    def edit(self, request: Request, db: DB, position_id: FromPath[int]) -> Any:
        position = _position_or_404(db, position_id)
        comps = positions.competencies(db)
        form = positions.form_of(db, position_id, comps)
        assert form is not None
        return _position_form(request, db, form, {}, position, comps)

    @post("/{position_id:int}", sync_to_thread=True)
    def update(self, request: Request, db: DB, user: User, position_id: FromPath[int], data: FormData) -> Any:
        comps = positions.competencies(db)
        outcome = positions.update_position(db, user.id, position_id, data, comps)
        if outcome is None:
            raise NotFoundException()
        if outcome.errors:
            return _position_form(request, db, outcome.form, outcome.errors.by_field, _position_or_404(db, position_id), comps, status_code=422)
        if not outcome.changed:
            flash(db, user, _("Tidak ada yang berubah pada jabatan %(name)s.") % {"name": outcome.form.name}, "info")
        elif outcome.regapped:
            flash(db, user, _("Jabatan %(name)s disimpan. Kesenjangan kompetensi pemangku jabatan ini sudah dihitung ulang.") % {"name": outcome.form.name})
        else:
            flash(db, user, _("Jabatan %(name)s disimpan.") % {"name": outcome.form.name})
        return redirect(request, f"{POSITIONS}/{position_id}")
