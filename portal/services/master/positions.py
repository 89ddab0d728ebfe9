"""Positions (jabatan) in Data Master: the list (code, name, class, unit, holders) and the form to add or
change a position together with its competency standard, the required level per competency.

The standard follows the position import's rule (`services.standards`): a managerial or socio-cultural
competency left on "default" takes the level of the position's class, so it follows a change of class;
a technical one left empty is not required. Saving a changed standard measures the AKPK gaps of the
position's holders again (`summaries.gaps.apply_positions`) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from portal.db import dialect
from portal.i18n import _
from portal.models import COMPETENCY_GROUPS, Competency, Employee, Position, PositionStandard, Unit
from portal.rules import POSITION_CLASS_LABELS
from portal.services import standards, summaries
from portal.services.accounts import audit
from portal.services.master.forms import Errors, as_id, required_code, required_text, typed
from portal.services.master.lists import Page, paginate

LEVEL_CHOICES = tuple(str(n) for n in standards.LEVELS)


def level_field(competency_id: int) -> str:
    """The name (and id) of a competency's level field on the form."""
    return f"level-{competency_id}"


@dataclass(frozen=True)
class StandardCompetency:
    id: int
    code: str
    name: str
    group_name: str


def competencies(session: Session) -> list[StandardCompetency]:
    """Every competency, by group (managerial, socio-cultural, technical) then code."""
    order = {g: i for i, g in enumerate(COMPETENCY_GROUPS)}
    rows = session.execute(select(Competency.id, Competency.code, Competency.name, Competency.group_name))
    return sorted((StandardCompetency(**r._asdict()) for r in rows), key=lambda c: (order.get(c.group_name, 9), c.code))


def _active_holders() -> Any:
    return select(Employee.position_id, func.count().label("n")).where(Employee.is_active.is_(True)).group_by(Employee.position_id).subquery()


def list_positions(session: Session, q: str = "", unit_id: int | None = None, page: int = 1) -> Page:
    """One page of positions with their class, unit and active holders. Two queries."""
    holders = _active_holders()
    filters = []
    if q:
        like = f"%{q.lower()}%"
        filters.append(or_(func.lower(Position.name).like(like), func.lower(Position.code).like(like)))
    if unit_id:
        filters.append(Position.unit_id == unit_id)
    stmt = (
        select(
            Position.id, Position.code, Position.name, Position.position_class, Unit.name.label("unit"),
            func.coalesce(holders.c.n, 0).label("holders"),
        )
        .outerjoin(Unit, Unit.id == Position.unit_id)
        .outerjoin(holders, holders.c.position_id == Position.id)
        .where(*filters)
        .order_by(Position.name, Position.id)
    )
    return paginate(session, stmt, select(func.count()).select_from(Position).where(*filters), page)


def options(session: Session) -> dict[int | None, list[tuple[int, str]]]:
    """Positions for a select by unit id (None: positions without a unit), each as (id, label), by name."""
    rows = session.execute(select(Position.id, Position.name, Position.position_class, Position.unit_id).order_by(Position.name, Position.id))
    groups: dict[int | None, list[tuple[int, str]]] = {}
    for r in rows:
        label = f"{r.name} · {POSITION_CLASS_LABELS.get(r.position_class, r.position_class)}"
        groups.setdefault(r.unit_id, []).append((r.id, label))
    return groups


@dataclass(frozen=True)
class PositionFacts:
    id: int
    code: str | None
    name: str
    holders: int


def facts(session: Session, position_id: int) -> PositionFacts | None:
    holders = select(func.count()).select_from(Employee).where(Employee.position_id == Position.id, Employee.is_active.is_(True))
    row = session.execute(
        select(Position.id, Position.code, Position.name, holders.scalar_subquery().label("holders")).where(Position.id == position_id)
    ).first()
    return PositionFacts(**row._asdict()) if row else None


# --------------------------------------------------------------------------- the form


@dataclass
class PositionForm:
    code: str = ""
    name: str = ""
    position_class: str = ""
    unit_id: str = ""
    levels: dict[int, str] = field(default_factory=dict)  # competency id -> "" (default / not required) or "1".."5"


@dataclass
class PositionOutcome:
    form: PositionForm
    errors: Errors
    position_id: int | None = None
    changed: bool = False
    regapped: bool = False  # the standard changed: the holders' gaps were measured again


def _stored_levels(session: Session, position_id: int) -> dict[int, int]:
    rows = session.execute(select(PositionStandard.competency_id, PositionStandard.required_level).where(PositionStandard.position_id == position_id))
    return dict(rows.all())


def form_of(session: Session, position_id: int, comps: list[StandardCompetency]) -> PositionForm | None:
    row = session.execute(select(Position.code, Position.name, Position.position_class, Position.unit_id).where(Position.id == position_id)).first()
    if row is None:
        return None
    stored = _stored_levels(session, position_id)
    levels = {}
    for c in comps:
        level = stored.get(c.id)
        levels[c.id] = "" if level is None or level == standards.default_level(row.position_class, c.group_name) else str(level)
    return PositionForm(row.code or "", row.name, row.position_class, str(row.unit_id or ""), levels)


def _clean(session: Session, data: dict[str, Any], comps: list[StandardCompetency], position_id: int | None) -> tuple[PositionForm, Errors, dict[str, Any], dict[int, int]]:
    form = PositionForm(
        typed(data, "code"), typed(data, "name"), typed(data, "position_class"), typed(data, "unit_id"),
        {c.id: typed(data, level_field(c.id)) for c in comps},
    )
    errors = Errors()
    code = errors.clean("code", required_code(_("Isi kode jabatan.")), form.code)
    if code:
        taken = session.execute(select(Position.name).where(Position.code == code, Position.id != (position_id or 0))).scalar()
        if taken is not None:
            errors.add("code", _("Kode %(c)s sudah dipakai oleh jabatan %(n)s.") % {"c": code, "n": taken})
    name = errors.clean("name", required_text(200, _("Isi nama jabatan.")), form.name)
    if form.position_class not in POSITION_CLASS_LABELS:
        errors.add("position_class", _("Pilih kelas jabatan."))
    unit_id = as_id(form.unit_id)
    if form.unit_id and (unit_id is None or session.execute(select(Unit.id).where(Unit.id == unit_id)).first() is None):
        errors.add("unit_id", _("Pilih unit kerja dari daftar."))
    levels: dict[int, int] = {}
    for c in comps:
        raw = form.levels[c.id]
        if raw and raw not in LEVEL_CHOICES:
            errors.add(level_field(c.id), _("Level %(n)s harus 1 sampai 5.") % {"n": c.name})
            continue
        level = int(raw) if raw else standards.default_level(form.position_class, c.group_name)
        if level is not None:
            levels[c.id] = level
    values = {"code": code, "name": name, "position_class": form.position_class, "unit_id": unit_id}
    return form, errors, values, levels


def create_position(session: Session, actor_id: int, data: dict[str, Any], comps: list[StandardCompetency]) -> PositionOutcome:
    form, errors, values, levels = _clean(session, data, comps, None)
    if errors:
        return PositionOutcome(form, errors)
    position = Position(**values)
    session.add(position)
    try:
        session.flush()
    except IntegrityError:  # the same code saved by someone else a moment ago
        session.rollback()
        errors.add("code", _("Kode %(c)s sudah dipakai oleh jabatan lain.") % {"c": values["code"]})
        return PositionOutcome(form, errors)
    assert position.id is not None
    standards.replace(session, {position.id: levels})
    detail = _detail(session, {}, values, {}, levels, comps)
    audit(session, actor_id, "position.create", f"position:{position.id}", detail)
    session.commit()
    return PositionOutcome(form, errors, position.id, True)


def update_position(session: Session, actor_id: int, position_id: int, data: dict[str, Any], comps: list[StandardCompetency]) -> PositionOutcome | None:
    """None when there is no such position."""
    row = session.execute(select(Position.code, Position.name, Position.position_class, Position.unit_id).where(Position.id == position_id)).first()
    if row is None:
        return None
    form, errors, values, levels = _clean(session, data, comps, position_id)
    outcome = PositionOutcome(form, errors, position_id)
    if errors:
        return outcome
    before = row._asdict()
    changes = {k: v for k, v in values.items() if before[k] != v}
    conn = session.connection()
    dialect.serialise_edits(conn, f"position-standard:{position_id}")
    stored = _stored_levels(session, position_id)
    if not changes and stored == levels:
        session.rollback()
        return outcome
    if changes:
        try:
            session.execute(update(Position).where(Position.id == position_id).values(**changes))
        except IntegrityError:
            session.rollback()
            errors.add("code", _("Kode %(c)s sudah dipakai oleh jabatan lain.") % {"c": values["code"]})
            return outcome
    if stored != levels:
        standards.replace(session, {position_id: levels})
        summaries.gaps.apply_positions(conn, [position_id])
        outcome.regapped = True
    audit(session, actor_id, "position.update", f"position:{position_id}", _detail(session, before, changes, stored, levels, comps))
    session.commit()
    outcome.changed = True
    return outcome


def _detail(session: Session, before: dict[str, Any], after: dict[str, Any], old: dict[int, int], new: dict[int, int], comps: list[StandardCompetency]) -> str:
    """`field: old → new` per changed field (the unit by code) and per changed level (by competency code)."""
    units = [i for i in (before.get("unit_id"), after.get("unit_id")) if i] if "unit_id" in after else []
    codes = dict(session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(units))).all()) if units else {}
    shown = []
    for key, value in after.items():
        was = before.get(key)
        if key == "unit_id":
            was, value = codes.get(was), codes.get(value)
        if before or value is not None:
            shown.append(f"{key}: {'–' if was is None else was} → {'–' if value is None else value}" if before else f"{key}: {value}")
    for c in comps:
        if old.get(c.id) != new.get(c.id):
            shown.append(f"{c.code}: {old.get(c.id, '–')} → {new.get(c.id, '–')}" if before else f"{c.code}: {new[c.id]}")
    return "; ".join(shown)
