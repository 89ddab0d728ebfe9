"""HR's side of AKPK (/akpk): the cycles (/akpk/siklus: list with submission counts, open a new one,
edit, close and reopen) and the gap map (/akpk/kesenjangan: the heat map of units x competencies, and
the people behind one cell at /akpk/kesenjangan/sel). Every route is for BKPSDM staff (`hr_required`).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Stream
from sqlmodel import Session

from portal import clock
from portal.i18n import _, format_date
from portal.rules import POSITION_CLASS_LABELS
from portal.services import akpk as svc
from portal.services.accounts import audit
from portal.services.reports import exports
from portal.settings import Settings
from portal.web.core import (
    DB,
    Config,
    FormData,
    User,
    first_value,
    flash,
    hr_required,
    positive_int,
    query_id,
    redirect,
    render,
    render_page_or_fragment,
    wants_fragment,
)
from portal.web.exporting import check_format, made_now, stream_export
from portal.web.printing import print_context

CYCLE_FIELDS = ("name", "year", "opens_on", "closes_on")
FormBody = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def get_cycle_or_404(db: Session, cycle_id: int) -> svc.Cycle:
    cycle = svc.get_cycle(db, cycle_id)
    if cycle is None:
        raise NotFoundException(_("Siklus penilaian tidak ditemukan."))
    return cycle


class AkpkIndexController(Controller):
    path = "/akpk"
    guards = [hr_required]

    @get("/", sync_to_thread=False)
    def index(self, request: Request) -> Any:
        return redirect(request, "/akpk/siklus")


# --------------------------------------------------------------------------- /akpk/siklus


def _typed(data: dict[str, str]) -> dict[str, str]:
    """The cycle form as typed, to show it again with its errors."""
    return {k: (data.get(k) or "").strip() for k in CYCLE_FIELDS}


def _cycles_page(request: Request, db: Session, settings: Settings, values: dict[str, str], errors: dict[str, str], status: int = 200) -> Any:
    rows, employees = svc.cycles_overview(db)
    ctx = {"rows": rows, "employees": employees, "values": values, "errors": errors, "today": clock.today(settings.timezone)}
    return render(request, "akpk/cycles.html", ctx, db=db, status_code=status)


class CycleController(Controller):
    """The list of cycles with the form of a new one, then /akpk/siklus/{cycle_id} (edit) and its status."""

    path = "/akpk/siklus"
    guards = [hr_required]

    @get("/", sync_to_thread=True)
    def index(self, request: Request, db: DB, settings: Config) -> Any:
        today = clock.today(settings.timezone)
        defaults = {"name": f"AKPK {today.year}", "year": str(today.year), "opens_on": today.isoformat(), "closes_on": ""}
        return _cycles_page(request, db, settings, defaults, {})

    @post("/", sync_to_thread=True)
    def create(self, request: Request, db: DB, user: User, settings: Config, data: FormBody) -> Any:
        values, errors = svc.validate_cycle(db, data)
        if not errors:
            try:
                cycle = svc.create_cycle(db, values)
            except svc.InvalidCycle as exc:
                errors[exc.field or "name"] = exc.message
            else:
                audit(db, user.id, "akpk_cycle_create", f"cycle:{cycle.id}", cycle.name)
                db.commit()
                flash(db, user, _("Siklus %(name)s dibuka.") % {"name": cycle.name}, "success")
                return redirect(request, "/akpk/siklus")
        return _cycles_page(request, db, settings, _typed(data), errors, 422)

    @get("/{cycle_id:int}", sync_to_thread=True)
    def show(self, request: Request, db: DB, settings: Config, cycle_id: FromPath[int]) -> Any:
        cycle = get_cycle_or_404(db, cycle_id)
        values = {"name": cycle.name, "year": str(cycle.year), "opens_on": cycle.opens_on.isoformat(), "closes_on": cycle.closes_on.isoformat()}
        ctx = {"cycle": cycle, "values": values, "errors": {}, "today": clock.today(settings.timezone)}
        return render(request, "akpk/cycle.html", ctx, db=db)

    @post("/{cycle_id:int}", sync_to_thread=True)
    def update(self, request: Request, db: DB, user: User, settings: Config, cycle_id: FromPath[int], data: FormBody) -> Any:
        cycle = get_cycle_or_404(db, cycle_id)
        values, errors = svc.validate_cycle(db, data, cycle.id)
        if not errors:
            try:
                svc.update_cycle(db, cycle, values)
            except svc.InvalidCycle as exc:
                errors[exc.field or "name"] = exc.message
            else:
                audit(db, user.id, "akpk_cycle_update", f"cycle:{cycle.id}", values.name)
                db.commit()
                flash(db, user, _("Perubahan siklus disimpan."), "success")
                return redirect(request, "/akpk/siklus")
        ctx = {"cycle": cycle, "values": _typed(data), "errors": errors, "today": clock.today(settings.timezone)}
        return render(request, "akpk/cycle.html", ctx, db=db, status_code=422)

    @post("/{cycle_id:int}/status", sync_to_thread=True)
    def change_status(self, request: Request, db: DB, user: User, cycle_id: FromPath[int], data: FormBody) -> Any:
        cycle = get_cycle_or_404(db, cycle_id)
        status = data.get("status", "")
        try:
            svc.set_cycle_status(db, cycle, status)
        except svc.InvalidCycle as exc:
            db.rollback()
            flash(db, user, exc.message, "error")
            return redirect(request, "/akpk/siklus")
        audit(db, user.id, "akpk_cycle_" + ("open" if status == "open" else "close"), f"cycle:{cycle.id}", cycle.name)
        db.commit()
        message = _("Siklus %(name)s ditutup.") if status == "closed" else _("Siklus %(name)s dibuka kembali.")
        flash(db, user, message % {"name": cycle.name}, "success")
        return redirect(request, "/akpk/siklus")


# --------------------------------------------------------------------------- /akpk/kesenjangan


def gap_query(filters: svc.Filters, **overrides: object) -> str:
    """The query string of the heat map's filters (for its links and the shareable URL)."""
    values = {"siklus": filters.cycle_id, "unit": filters.unit_id, "kelas": filters.position_class, "kelompok": filters.group}
    values.update(overrides)
    return "&".join(f"{k}={v}" for k, v in values.items() if v not in (None, ""))


def _gap_filters(request: Request) -> dict[str, str | None]:
    """The heat map's query values; ids no row can have are dropped (the filter is ignored, or the
    cell is a 404) and the page number capped, so that nothing overflows in the database. Read from
    the query string itself: a repeated key keeps its first value."""
    q = request.query_params
    raw: dict[str, str | None] = {k: q.get(k) for k in ("kelas", "kelompok")}
    for key in ("siklus", "unit", "baris", "kompetensi"):
        value = query_id(q.get(key))
        raw[key] = str(value) if value is not None else None
    raw["page"] = str(positive_int(q.get("page")))
    return raw


def _gap_ctx(
    filters: svc.Filters, hm: svc.Heatmap | None, cell: svc.CellDetail | None, upcoming: list[svc.UpcomingTraining] | None = None
) -> dict[str, Any]:
    return {
        "hm": hm,
        "filters": filters,
        "gap_query": partial(gap_query, filters),
        "class_labels": POSITION_CLASS_LABELS,
        "cell": cell,
        "upcoming": upcoming or [],
    }


def _cell_of(request: Request, db: Any, settings: Settings) -> tuple[dict[str, str | None], svc.Filters, list[Any], svc.Cycle, int, int]:
    """The heat map filters and the cell (unit, competency) a request names; 404 when it names none."""
    raw = _gap_filters(request)
    filters, cycles, cycle = svc.parse_filters(db, raw, clock.today(settings.timezone))
    try:
        unit_id = int(raw.get("baris") or "")
        competency_id = int(raw.get("kompetensi") or "")
    except ValueError as exc:
        raise NotFoundException() from exc
    if cycle is None:
        raise NotFoundException(_("Siklus penilaian tidak ditemukan."))
    return raw, filters, cycles, cycle, unit_id, competency_id


class GapMapController(Controller):
    """The heat map (page, or its fragment for the filters), and the people behind one cell."""

    path = "/akpk/kesenjangan"
    guards = [hr_required]

    @get("/", sync_to_thread=True)
    def heatmap(self, request: Request, db: DB, settings: Config) -> Any:
        filters, cycles, cycle = svc.parse_filters(db, _gap_filters(request), clock.today(settings.timezone))
        ctx = _gap_ctx(filters, svc.heatmap(db, filters, cycles, cycle), None)
        return render_page_or_fragment(request, "akpk/gaps.html", "akpk/_heatmap.html", ctx, db=db)

    @get("/cetak", sync_to_thread=True)
    def printable(self, request: Request, db: DB, settings: Config) -> Any:
        """The heat map as an A4 print view (the same partial as the page)."""
        filters, cycles, cycle = svc.parse_filters(db, _gap_filters(request), clock.today(settings.timezone))
        hm = svc.heatmap(db, filters, cycles, cycle)
        ctx = _gap_ctx(filters, hm, None)
        words = " · ".join(value for _label, value in svc.filter_lines(hm, filters))
        ctx.update(print_context(settings, _("Peta Kesenjangan Kompetensi"), words, "/akpk/kesenjangan?" + gap_query(filters)))
        return render(request, "akpk/print_gaps.html", ctx, db=db)

    @get("/ekspor/{fmt:str}", sync_to_thread=True)
    def export(self, request: Request, db: DB, user: User, settings: Config, fmt: FromPath[str]) -> Stream:
        """The heat map's cells, one row each (XLSX with its first sheet, or CSV)."""
        check_format(fmt)
        today = clock.today(settings.timezone)
        filters, cycles, cycle = svc.parse_filters(db, _gap_filters(request), today)
        hm = svc.heatmap(db, filters, cycles, cycle)
        headers, rows = svc.gap_export(hm)
        about = exports.about(
            _("Peta kesenjangan kompetensi"), made_now(settings), filters=svc.filter_lines(hm, filters),
            period=_("%(a)s s.d. %(b)s") % {"a": format_date(cycle.opens_on), "b": format_date(cycle.closes_on)} if cycle else None,
            min_group=settings.min_group_size, anonymous_data=False,
            notes=[_("Gap = standar jabatan − level akhir; rata-rata per unit dan kompetensi dari penilaian yang sudah dikirim.")],
        )
        return stream_export(
            db, user, today, fmt=fmt, stem=f"peta-kesenjangan-{cycle.year if cycle else today.year}", kind="akpk:kesenjangan",
            detail=f"siklus={filters.cycle_id} unit={filters.unit_id or 'semua'} kelas={filters.position_class or 'semua'} kelompok={filters.group or 'semua'}",
            headers=headers, rows=rows, sheet=_("Kesenjangan"), about=about,
        )

    @get("/sel", sync_to_thread=True)
    def cell(self, request: Request, db: DB, settings: Config) -> Any:
        raw, filters, cycles, cycle, unit_id, competency_id = _cell_of(request, db, settings)
        cell = svc.cell_people(db, cycle, unit_id, competency_id, filters.position_class, int(raw.get("page") or "1"))
        if cell is None:
            raise NotFoundException()
        hm = None if wants_fragment(request) else svc.heatmap(db, filters, cycles, cycle)  # the page shows the map too
        upcoming = svc.upcoming_trainings(db, competency_id, clock.today(settings.timezone))
        return render_page_or_fragment(request, "akpk/gaps.html", "akpk/_cell.html", _gap_ctx(filters, hm, cell, upcoming), db=db)

    def _enrol_page(self, request: Request, db: Any, settings: Settings, training_id: int | None) -> tuple[Any, ...]:
        _raw, filters, _cycles, cycle, unit_id, competency_id = _cell_of(request, db, settings)
        cell = svc.cell_people(db, cycle, unit_id, competency_id, filters.position_class, 1, per_page=1)
        upcoming = {t.id: t for t in svc.upcoming_trainings(db, competency_id, clock.today(settings.timezone))}
        if cell is None or training_id not in upcoming:
            raise NotFoundException()
        people = svc.people_to_enrol(db, cycle, unit_id, competency_id, filters.position_class, training_id)
        return filters, cell, upcoming[training_id], people

    @get("/daftarkan", sync_to_thread=True)
    def enrol_confirm(self, request: Request, db: DB, settings: Config, pelatihan: FromQuery[str] = "") -> Any:
        """Who would be enrolled in the training: the cell's people with a gap, not enrolled yet."""
        filters, cell, training, people = self._enrol_page(request, db, settings, query_id(pelatihan))
        ctx = {"filters": filters, "cell": cell, "training": training, "people": people, "gap_query": partial(gap_query, filters)}
        return render(request, "akpk/enrol.html", ctx, db=db)

    @post("/daftarkan", sync_to_thread=True)
    def enrol(self, request: Request, db: DB, user: User, settings: Config, data: FormData) -> Any:
        training_id = query_id(first_value(data.get("pelatihan")))
        filters, cell, training, people = self._enrol_page(request, db, settings, training_id)
        added = svc.enrol_candidates(db, training.id, [p.id for p in people], user.id, cell.competency_id)
        db.commit()
        flash(db, user, _("%(n)s pegawai didaftarkan ke %(t)s. Tandai kehadirannya nanti di daftar peserta pelatihan.") % {"n": added, "t": training.title})
        return redirect(request, "/akpk/kesenjangan/sel?" + gap_query(filters, baris=cell.unit_id, kompetensi=cell.competency_id))


CONTROLLERS = [AkpkIndexController, CycleController, GapMapController]

__all__ = ["CONTROLLERS"]
