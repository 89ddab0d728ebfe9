"""Whether rows an import created are already used elsewhere (then the import cannot be undone), found
from the foreign keys of the schema itself, so that a new table that points at employees, units or
trainings is taken into account without anyone remembering to add it here."""

from __future__ import annotations

from sqlalchemy import Table, func, select
from sqlmodel import Session, SQLModel

from portal.i18n import _



def _uses() -> dict[str, str]:
    """What a referring table means to HR, for the message."""
    return {
        "employee": _("data pegawai lain"),
        "unit": _("unit kerja lain"),
        "position": _("jabatan"),
        "positionstandard": _("standar kompetensi jabatan"),
        "enrollment": _("peserta pelatihan"),
        "assessment": _("penilaian kompetensi"),
        "assessmentgap": _("kesenjangan kompetensi"),
        "surveyinvitation": _("undangan survei"),
        "surveyresponse": _("jawaban survei"),
        "applicationrating": _("penilaian penerapan"),
        "impactscore": _("indeks dampak"),
        "usersession": _("sesi masuk"),
        "auditevent": _("catatan audit"),
        "trainingcompetency": _("kompetensi sasaran pelatihan"),
    }


CHUNK = 500


def referenced_elsewhere(session: Session, table: Table, ids: list[int], owned: tuple[str, ...] = ()) -> str | None:
    """A description of the first use of any of `ids` (rows of `table`) by another row, or None.
    References from rows of `table` that are themselves in `ids` (people of one import reporting to each
    other) and from the `owned` tables (deleted together with the row) do not count."""
    if not ids:
        return None
    own = set(ids)
    for other in SQLModel.metadata.sorted_tables:
        if other.name in owned:
            continue
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            column = fk.parent
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                if other is table:
                    referring = session.execute(select(other.c.id).where(column.in_(chunk))).scalars()
                    used = any(r not in own for r in referring)
                else:
                    used = session.execute(select(func.count()).select_from(other).where(column.in_(chunk))).scalar_one() > 0
                if used:
                    return _uses().get(other.name, other.name)
    return None
