"""The competency standard of a position (standar kompetensi jabatan): the level 1-5 a position requires
per competency. One definition of its default rule and one write path, shared by the position import
(services/imports/positions.py) and the position form of Data Master (services/master/positions.py).

- A managerial or socio-cultural competency that is given no level takes the default of the position's
  class (`rules.MANAGERIAL_DEFAULT_LEVEL`, PermenPANRB 38/2017); a technical one given no level is not
  required by the position.
- A standard is replaced as a whole. Whoever changes one also measures the AKPK gaps of the position's
  holders again, in the same transaction (`summaries.gaps.apply_positions`).
"""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlmodel import Session

from portal.models import PositionStandard
from portal.rules import MANAGERIAL_DEFAULT_LEVEL

TECHNICAL = "teknis"
LEVELS = (1, 2, 3, 4, 5)
CHUNK = 500


def default_level(position_class: str | None, group: str | None) -> int | None:
    """The level a competency of `group` takes in a position of `position_class` when none is given:
    the class default for managerial and socio-cultural competencies, none (not required) for technical ones."""
    if group == TECHNICAL or position_class is None:
        return None
    return MANAGERIAL_DEFAULT_LEVEL.get(position_class)


def replace(session: Session, standards: dict[int, dict[int, int]]) -> None:
    """Replace the whole standard of each position: {position_id: {competency_id: required level}}.
    Does not commit."""
    if not standards:
        return
    ids = list(standards)
    for start in range(0, len(ids), CHUNK):
        session.execute(delete(PositionStandard).where(PositionStandard.position_id.in_(ids[start : start + CHUNK])))
    rows = [
        {"position_id": pid, "competency_id": cid, "required_level": level}
        for pid, levels in standards.items()
        for cid, level in levels.items()
    ]
    if rows:
        session.execute(insert(PositionStandard), rows)
