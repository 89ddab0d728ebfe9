"""Creating and editing a training (/pelatihan/baru, /pelatihan/{id}/ubah): the form, its validation
(every message in Indonesian, next to its field) and the writes, which keep what depends on a training:

- new dates: `enrollments.move_training` (the participants' JP follows the training into the year it
  now ends in);
- a new JP: the participants credited with the old JP get the new one (`enrollments.update_many`); a
  JP credited by hand (another number) stays;
- the code stays unique, also when two people save at the same moment (the IntegrityError of the
  loser becomes the same field error as the check before).

Every create and edit is audited. Commits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from portal.i18n import N_, _
from portal.models import COMPETENCY_GROUPS, Competency, Enrollment, Training, TrainingCompetency
from portal.rules import TRAINING_KINDS, TRAINING_MODES, took_part
from portal.services.accounts import audit
from portal.services.imports import cells
from portal.services.trainings import enrollments
from portal.services.trainings._types import (
    CompetencyGroup,
    CompetencyOption,
    SaveResult,
    TrainingForm,
    TrainingValues,
)

MAX_CODE = 40
MAX_TITLE = 250
MAX_PROVIDER = 200
MAX_DESCRIPTION = 4000
MAX_JP = 1000
MAX_COST = 10**11  # Rp 100 miliar, as the import
MIN_YEAR, MAX_YEAR = 2000, 2100
GROUP_LABELS = {"manajerial": N_("Manajerial"), "sosial_kultural": N_("Sosial kultural"), "teknis": N_("Teknis")}
FIELDS = ("code", "title", "kind", "mode", "provider", "starts_on", "ends_on", "jp", "cost", "description")


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    found = set()
    for v in values:
        text = "" if v is None else str(v).strip()
        if text.isascii() and text.isdigit() and len(text) <= 9:
            found.add(int(text))
    return sorted(found)


def form_from(data: Mapping[str, Any]) -> TrainingForm:
    """The posted form as typed (text trimmed), the target competencies as ids."""
    form = TrainingForm(**{name: _first(data.get(name)).strip() for name in FIELDS})
    form.competency_ids = _ids(data.get("kompetensi"))
    return form


def form_of(session: Session, training_id: int) -> TrainingForm | None:
    """A stored training as the edit form shows it."""
    t = session.get(Training, training_id)
    if t is None:
        return None
    comps = session.execute(
        select(TrainingCompetency.competency_id).where(TrainingCompetency.training_id == training_id).order_by(TrainingCompetency.competency_id)
    ).scalars()
    return TrainingForm(
        code=t.code, title=t.title, kind=t.kind, mode=t.mode, provider=t.provider or "", starts_on=t.starts_on.isoformat(),
        ends_on=t.ends_on.isoformat(), jp=str(t.jp), cost="" if t.cost is None else f"{t.cost:,}".replace(",", "."),
        description=t.description or "", competency_ids=list(comps),
    )


def kind_options() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The kinds by mode, for the form: [(mode, mode label, [(kind, kind label)])]."""
    return [(mode, label, [(k, kl) for k, (kl, km) in TRAINING_KINDS.items() if km == mode]) for mode, label in TRAINING_MODES.items()]


def mode_options() -> list[tuple[str, str]]:
    return list(TRAINING_MODES.items())


def competency_groups(session: Session) -> list[CompetencyGroup]:
    """The competencies a training can target, by group (manajerial, sosial kultural, teknis)."""
    by_group: dict[str, list[CompetencyOption]] = {g: [] for g in COMPETENCY_GROUPS}
    for r in session.execute(
        select(Competency.id, Competency.code, Competency.name, Competency.group_name).order_by(Competency.code, Competency.id).limit(1000)
    ).mappings():
        by_group.setdefault(r["group_name"], []).append(CompetencyOption(r["id"], r["code"], r["name"]))
    return [CompetencyGroup(g, GROUP_LABELS.get(g, g), items) for g, items in by_group.items() if items]


# --------------------------------------------------------------------------- validation


def _day(raw: str, missing: str) -> tuple[date | None, str | None]:
    if not raw:
        return None, missing
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        try:
            value = cells.day(raw)
        except cells.CellError:
            return None, _("Tulis tanggal seperti 15/03/2027 atau pilih dari kalender.")
    if value is None or not MIN_YEAR <= value.year <= MAX_YEAR:
        return None, _("Tahun harus antara %(a)s dan %(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR}
    return value, None


def _whole(raw: str, maximum: int) -> int | None:
    try:
        return cells.whole_number(raw, maximum=maximum)
    except cells.CellError:
        return -1


def code_taken(session: Session, code: str, training_id: int | None = None) -> bool:
    stmt = select(Training.id).where(Training.code == code)
    if training_id is not None:
        stmt = stmt.where(Training.id != training_id)
    return session.execute(stmt.limit(1)).first() is not None


def _duplicate_code_message(code: str) -> str:
    return _("Kode %(c)s sudah dipakai pelatihan lain. Pakai kode yang lain.") % {"c": code}


def validate(session: Session, form: TrainingForm, training_id: int | None = None) -> tuple[TrainingValues | None, dict[str, str]]:
    """The values of a valid form, or the errors by field (in the order of the form)."""
    errors: dict[str, str] = {}
    if not form.code:
        errors["code"] = _("Isi kode pelatihan, misalnya PLT-2027-001.")
    elif len(form.code) > MAX_CODE:
        errors["code"] = _("Kode paling banyak %(n)s karakter.") % {"n": MAX_CODE}
    elif code_taken(session, form.code, training_id):
        errors["code"] = _duplicate_code_message(form.code)
    if not form.title:
        errors["title"] = _("Isi judul pelatihan.")
    elif len(form.title) > MAX_TITLE:
        errors["title"] = _("Judul paling banyak %(n)s karakter.") % {"n": MAX_TITLE}
    if form.kind not in TRAINING_KINDS:
        errors["kind"] = _("Pilih metode pengembangan kompetensi.")
    if form.mode and form.mode not in TRAINING_MODES:
        errors["mode"] = _("Pilih jalur klasikal atau non-klasikal.")
    if len(form.provider) > MAX_PROVIDER:
        errors["provider"] = _("Nama penyelenggara paling banyak %(n)s karakter.") % {"n": MAX_PROVIDER}
    starts_on, problem = _day(form.starts_on, _("Isi tanggal mulai."))
    if problem:
        errors["starts_on"] = problem
    ends_on, problem = _day(form.ends_on, _("Isi tanggal selesai."))
    if problem:
        errors["ends_on"] = problem
    elif starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    jp = _whole(form.jp, MAX_JP) if form.jp else None
    if jp is None:
        errors["jp"] = _("Isi jumlah JP (jam pelajaran), 0 sampai 1.000.")
    elif jp < 0:
        errors["jp"] = _("JP harus bilangan bulat dari 0 sampai 1.000.")
    cost = _whole(form.cost, MAX_COST) if form.cost else None
    if cost is not None and cost < 0:
        errors["cost"] = _("Tulis biaya dalam rupiah tanpa sen, misalnya 2.500.000 (paling banyak Rp 100 miliar).")
    if len(form.description) > MAX_DESCRIPTION:
        errors["description"] = _("Keterangan paling banyak 4.000 karakter.")
    known = set()
    if form.competency_ids:
        known = set(session.execute(select(Competency.id).where(Competency.id.in_(form.competency_ids))).scalars())
        if known != set(form.competency_ids):
            errors["competencies"] = _("Sebagian kompetensi sasaran tidak dikenal lagi. Pilih ulang dari daftar.")
    if errors:
        return None, errors
    assert starts_on is not None and ends_on is not None and jp is not None
    mode = form.mode or TRAINING_KINDS[form.kind][1]
    values = TrainingValues(
        code=form.code, title=form.title, kind=form.kind, mode=mode, provider=form.provider, starts_on=starts_on, ends_on=ends_on,
        jp=jp, cost=cost, description=form.description, competency_ids=tuple(sorted(known)),
    )
    return values, {}


# --------------------------------------------------------------------------- writes


def _set_competencies(session: Session, training_id: int, competency_ids: tuple[int, ...]) -> None:
    session.execute(delete(TrainingCompetency).where(TrainingCompetency.training_id == training_id))
    if competency_ids:
        session.execute(insert(TrainingCompetency), [{"training_id": training_id, "competency_id": c} for c in competency_ids])


def _refused_code(session: Session, code: str, training_id: int | None) -> SaveResult | None:
    """After an IntegrityError (the transaction rolled back): the field error when the code is taken
    now (someone saved the same code at the same moment), else None (another problem: re-raise)."""
    if code_taken(session, code, training_id):
        session.rollback()
        return SaveResult(ok=False, training_id=training_id, errors={"code": _duplicate_code_message(code)})
    return None


def create(session: Session, actor_id: int | None, form: TrainingForm) -> SaveResult:
    """A new training from the form; its id, or the errors. Commits."""
    values, errors = validate(session, form)
    if values is None:
        session.rollback()
        return SaveResult(ok=False, errors=errors)
    try:
        training_id = int(session.execute(insert(Training).values(**values.columns()).returning(Training.id)).scalar_one())
        _set_competencies(session, training_id, values.competency_ids)
        audit(
            session, actor_id, "training.create", f"training:{training_id}",
            f"{values.code} {values.starts_on.isoformat()}..{values.ends_on.isoformat()} jp={values.jp} kind={values.kind}",
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        refused = _refused_code(session, values.code, None)
        if refused is None:
            raise
        return refused
    return SaveResult(ok=True, training_id=training_id, year=values.starts_on.year)


def update(session: Session, actor_id: int | None, training_id: int, form: TrainingForm) -> SaveResult:
    """Save the edit form of a training; raises LookupError for an unknown training. Commits."""
    values, errors = validate(session, form, training_id)
    if values is None:
        session.rollback()
        if session.get(Training, training_id) is None:
            raise LookupError(training_id)
        return SaveResult(ok=False, training_id=training_id, errors=errors)
    try:
        # the first write: takes the training row (PostgreSQL) / the write lock (SQLite), so that the
        # old JP and dates read next are the ones this edit replaces
        if not session.execute(sql_update(Training).where(Training.id == training_id).values(code=Training.code)).rowcount:
            session.rollback()
            raise LookupError(training_id)
        old = session.execute(select(*(getattr(Training, f) for f in FIELDS)).where(Training.id == training_id)).mappings().one()
        old_comps = tuple(
            session.execute(
                select(TrainingCompetency.competency_id).where(TrainingCompetency.training_id == training_id).order_by(TrainingCompetency.competency_id)
            ).scalars()
        )
        new = values.columns()
        session.execute(
            sql_update(Training).where(Training.id == training_id).values(**{k: v for k, v in new.items() if k not in ("starts_on", "ends_on")})
        )
        if (old["starts_on"], old["ends_on"]) != (values.starts_on, values.ends_on):
            enrollments.move_training(session, training_id, values.starts_on, values.ends_on)
        carried = _carry_jp(session, training_id, int(old["jp"] or 0), values.jp)
        if old_comps != values.competency_ids:
            _set_competencies(session, training_id, values.competency_ids)
        changes = [f"{k}: {old[k]} -> {v}" for k, v in new.items() if old[k] != v and k != "description"]
        if old["description"] != values.description:
            changes.append("description")
        if old_comps != values.competency_ids:
            changes.append(f"competencies: {','.join(map(str, values.competency_ids)) or '-'}")
        if carried:
            changes.append(f"jp_credited of {carried} enrolments -> {values.jp}")
        audit(session, actor_id, "training.update", f"training:{training_id}", "; ".join(changes) or "no change")
        session.commit()
    except IntegrityError:
        session.rollback()
        refused = _refused_code(session, values.code, training_id)
        if refused is None:
            raise
        return refused
    return SaveResult(ok=True, training_id=training_id, jp_carried=carried, year=values.starts_on.year)


def _carry_jp(session: Session, training_id: int, old_jp: int, new_jp: int) -> int:
    """The participants credited with the training's old JP get its new JP; returns how many."""
    if old_jp == new_jp:
        return 0
    rows = session.execute(
        select(Enrollment.id, Enrollment.status).where(
            Enrollment.training_id == training_id, took_part(Enrollment.status), Enrollment.jp_credited == old_jp
        )
    ).mappings().all()
    enrollments.update_many(session, [{"id": r["id"], "status": r["status"], "jp_credited": new_jp} for r in rows])
    return len(rows)
