"""Units (unit kerja / OPD) as HR sees them: the tree with the active employees of each unit, and the
form to add or change one (code unique, name, parent never the unit itself or one of its sub-units).
The tree is read in one query; the form's choices come from the same read."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from portal.i18n import _
from portal.models import Employee, Position, Unit
from portal.services.accounts import audit
from portal.services.master import hierarchy
from portal.services.master.forms import Errors, as_id, required_code, required_text, typed

INDENT = "\u00a0\u00a0"  # per level in a select's option (kept by browsers, unlike plain spaces; not read aloud)


@dataclass
class UnitNode:
    id: int
    code: str
    name: str
    parent_id: int | None
    employees: int  # active employees of this unit itself
    total: int = 0  # ... of this unit and every unit below it
    depth: int = 0
    children: list[UnitNode] = field(default_factory=list)


@dataclass
class UnitTree:
    roots: list[UnitNode]
    by_id: dict[int, UnitNode]

    def flat(self) -> list[UnitNode]:
        """Every unit, each followed by its sub-units (depth first, siblings by name)."""
        out: list[UnitNode] = []
        todo = list(reversed(self.roots))
        while todo:
            node = todo.pop()
            out.append(node)
            todo.extend(reversed(node.children))
        return out

    def options(self, leave_out: Collection[int] = ()) -> list[tuple[int, str]]:
        """(id, label) for a select, indented by depth, without the units in `leave_out`."""
        return [(n.id, INDENT * n.depth + n.name) for n in self.flat() if n.id not in leave_out]

    def below(self, unit_id: int) -> set[int]:
        children: dict[int | None, list[int]] = {}
        for node in self.by_id.values():
            children.setdefault(node.parent_id, []).append(node.id)
        return hierarchy.descendants(children, unit_id)


def tree(session: Session) -> UnitTree:
    """All units as a tree, with their active employees. One query. A unit whose parent chain never
    reaches a root (a loop left by data written outside the portal) is shown as a root."""
    active = (
        select(Employee.unit_id, func.count().label("n")).where(Employee.is_active.is_(True)).group_by(Employee.unit_id).subquery()
    )
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.parent_id, func.coalesce(active.c.n, 0).label("n"))
        .outerjoin(active, active.c.unit_id == Unit.id)
        .order_by(Unit.name, Unit.code)
    )
    by_id = {r.id: UnitNode(r.id, r.code, r.name, r.parent_id, int(r.n)) for r in rows}
    roots: list[UnitNode] = []
    placed: set[int] = set()

    def place(node: UnitNode, depth: int) -> None:
        node.depth = depth
        placed.add(node.id)
        for child in node.children:
            place(child, depth + 1)
        node.total = node.employees + sum(c.total for c in node.children)

    for node in by_id.values():
        parent = by_id.get(node.parent_id) if node.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    for root in roots:
        place(root, 0)
    for node in by_id.values():  # in a loop: cut it there
        if node.id not in placed:
            if node.parent_id in by_id:
                by_id[node.parent_id].children.remove(node)
            roots.append(node)
            place(node, 0)
    return UnitTree(roots, by_id)


# --------------------------------------------------------------------------- the form


@dataclass
class UnitForm:
    code: str = ""
    name: str = ""
    parent_id: str = ""


@dataclass
class UnitOutcome:
    form: UnitForm
    errors: Errors
    unit_id: int | None = None
    changed: bool = False


@dataclass(frozen=True)
class UnitFacts:
    """What the edit page says about a unit besides the form."""

    id: int
    code: str
    name: str
    employees: int
    sub_units: int
    positions: int


def facts(session: Session, unit_id: int) -> UnitFacts | None:
    sub = Unit.__table__.alias("sub")
    row = session.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            select(func.count()).select_from(Employee).where(Employee.unit_id == Unit.id, Employee.is_active.is_(True))
            .scalar_subquery().label("employees"),
            select(func.count()).select_from(sub).where(sub.c.parent_id == Unit.id).scalar_subquery().label("sub_units"),
            select(func.count()).select_from(Position).where(Position.unit_id == Unit.id).scalar_subquery().label("positions"),
        ).where(Unit.id == unit_id)
    ).first()
    return UnitFacts(**row._asdict()) if row else None


def form_of(session: Session, unit_id: int) -> UnitForm | None:
    row = session.execute(select(Unit.code, Unit.name, Unit.parent_id).where(Unit.id == unit_id)).first()
    if row is None:
        return None
    return UnitForm(row.code, row.name, str(row.parent_id or ""))


def _clean(session: Session, data: dict[str, Any], unit_id: int | None) -> tuple[UnitForm, Errors, dict[str, Any]]:
    form = UnitForm(typed(data, "code"), typed(data, "name"), typed(data, "parent_id"))
    errors = Errors()
    code = errors.clean("code", required_code(_("Isi kode unit.")), form.code)
    name = errors.clean("name", required_text(200, _("Isi nama unit.")), form.name)
    parent_id = as_id(form.parent_id)
    if form.parent_id and parent_id is None:
        errors.add("parent_id", _("Pilih unit induk dari daftar."))
    if code:
        taken = session.execute(select(Unit.name).where(Unit.code == code, Unit.id != (unit_id or 0))).scalar()
        if taken is not None:
            errors.add("code", _("Kode %(c)s sudah dipakai oleh %(n)s.") % {"c": code, "n": taken})
    if parent_id is not None:
        if parent_id == unit_id:
            errors.add("parent_id", _("Unit tidak dapat menjadi induknya sendiri."))
        elif session.execute(select(Unit.id).where(Unit.id == parent_id)).first() is None:
            errors.add("parent_id", _("Pilih unit induk dari daftar."))
    return form, errors, {"code": code, "name": name, "parent_id": parent_id}


def _duplicate(session: Session, errors: Errors, code: str) -> None:
    session.rollback()
    errors.add("code", _("Kode %(c)s sudah dipakai oleh unit lain.") % {"c": code})


def create_unit(session: Session, actor_id: int, data: dict[str, Any]) -> UnitOutcome:
    form, errors, values = _clean(session, data, None)
    if errors:
        return UnitOutcome(form, errors)
    unit = Unit(**values)
    session.add(unit)
    try:
        session.flush()
    except IntegrityError:  # the same code saved by someone else a moment ago
        _duplicate(session, errors, values["code"])
        return UnitOutcome(form, errors)
    assert unit.id is not None
    audit(session, actor_id, "unit.create", f"unit:{unit.id}", _detail({}, values, session))
    session.commit()
    return UnitOutcome(form, errors, unit.id, True)


def update_unit(session: Session, actor_id: int, unit_id: int, data: dict[str, Any]) -> UnitOutcome | None:
    """None when there is no such unit."""
    stored = session.execute(select(Unit.code, Unit.name, Unit.parent_id).where(Unit.id == unit_id)).first()
    if stored is None:
        return None
    form, errors, values = _clean(session, data, unit_id)
    if errors:
        return UnitOutcome(form, errors, unit_id)
    before = stored._asdict()
    changes = {k: v for k, v in values.items() if before[k] != v}
    if not changes:
        return UnitOutcome(form, errors, unit_id, False)
    conn = session.connection()
    if "parent_id" in changes:
        hierarchy.serialise_edits(conn, hierarchy.UNITS)
    try:
        session.execute(update(Unit).where(Unit.id == unit_id).values(**changes))
    except IntegrityError:
        _duplicate(session, errors, values["code"])
        return UnitOutcome(form, errors, unit_id)
    if changes.get("parent_id") is not None:
        loop = hierarchy.loop_through(conn, Unit.__table__, "parent_id", unit_id)
        if loop:
            names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(loop))).all())
            session.rollback()
            chain = " → ".join(names.get(i, "?") for i in [*loop, loop[0]])
            errors.add("parent_id", _("Unit induk tidak boleh sub-unit dari unit ini sendiri (melingkar: %(c)s).") % {"c": chain})
            return UnitOutcome(form, errors, unit_id)
    audit(session, actor_id, "unit.update", f"unit:{unit_id}", _detail(before, changes, session))
    session.commit()
    return UnitOutcome(form, errors, unit_id, True)


def _detail(before: dict[str, Any], after: dict[str, Any], session: Session) -> str:
    """`field: old → new` per changed field; parents by code."""
    parents = [i for i in (before.get("parent_id"), after.get("parent_id")) if i]
    codes = dict(session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(parents))).all()) if parents else {}
    shown = []
    for key, new in after.items():
        old = before.get(key)
        if key == "parent_id":
            old, new = codes.get(old, "–"), codes.get(new, "–")
        shown.append(f"{key}: {old if old is not None else '–'} → {new if new is not None else '–'}")
    return "; ".join(shown)
