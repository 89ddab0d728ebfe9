"""HR's side of AKPK (analisis kebutuhan pengembangan kompetensi), /akpk: the cycles, and the gaps
found by the assessments.

Modules:
- `_types`: the shapes (Cycle, CycleRow, CycleValues, InvalidCycle; Heatmap and its Filters, Row,
  Column, Cell, Totals, UnitOption; CellDetail and Person) and `gap_band`, `competency_order`.
- `cycles`: reading cycles (every AKPK page, the employee's and the supervisor's too) and HR's
  overview, form, opening and closing (/akpk/siklus).
- `gap_map`: the heat map of units x competencies with its filters (/akpk/kesenjangan).
- `gap_cell`: the people behind one cell of the heat map (/akpk/kesenjangan/sel).
- `development`: from a gap map cell to development: the trainings to come that target its competency,
  and enrolling the cell's people who have a gap in it.
- `gap_closure`: the change of participants' levels between the AKPK cycles around a training (the
  impact page /dampak and one person's L3 result read it).

The assessments themselves (forms, writes, results) are `portal.services.assessments`, which reads
its cycles from here; this package never imports it, so that the two cannot import each other in a
circle. The gap summary the heat map reads is kept by `portal.services.summaries.gaps`.
"""

from portal.services.akpk._types import (
    Cell,
    CellDetail,
    Column,
    Cycle,
    CycleRow,
    CycleValues,
    Filters,
    Heatmap,
    InvalidCycle,
    Person,
    Row,
    Totals,
    UnitOption,
    competency_order,
    gap_band,
)
from portal.services.akpk.cycles import (
    CYCLE_LIST_LIMIT,
    create_cycle,
    cycles_overview,
    default_cycle,
    get_cycle,
    list_cycles,
    set_cycle_status,
    update_cycle,
    validate_cycle,
)
from portal.services.akpk.gap_cell import PEOPLE_PER_PAGE, cell_people
from portal.services.akpk.gap_export import filter_lines, gap_export
from portal.services.akpk.gap_map import heatmap, parse_filters, subtree_ids, unit_tree

from portal.services.akpk.development import Candidate, UpcomingTraining, enrol_candidates, people_to_enrol, upcoming_trainings

__all__ = [
    "filter_lines",
    "gap_export",
    "CYCLE_LIST_LIMIT",
    "Candidate",
    "UpcomingTraining",
    "enrol_candidates",
    "people_to_enrol",
    "upcoming_trainings",
    "PEOPLE_PER_PAGE",
    "Cell",
    "CellDetail",
    "Column",
    "Cycle",
    "CycleRow",
    "CycleValues",
    "Filters",
    "Heatmap",
    "InvalidCycle",
    "Person",
    "Row",
    "Totals",
    "UnitOption",
    "cell_people",
    "competency_order",
    "create_cycle",
    "cycles_overview",
    "default_cycle",
    "gap_band",
    "get_cycle",
    "heatmap",
    "list_cycles",
    "parse_filters",
    "set_cycle_status",
    "subtree_ids",
    "unit_tree",
    "update_cycle",
    "validate_cycle",
]
