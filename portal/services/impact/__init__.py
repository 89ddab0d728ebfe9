"""The impact of trainings (Kirkpatrick L3 results, /dampak): the impact score of each enrollment, computed
from its submitted ratings and stored next to them, HR's overview of the trainings and the per-training
impact report. The ratings themselves (forms, submit, reopen, work lists) are `portal.services.application`.

Modules:
- `score`: `compute` (the formula over the submitted answers), `recompute_enrollment` (kept at every write
  of a rating), `recompute_all` (`portal scores recompute`), `stored_score` / `expected_score`, and the
  category labels;
- `overview`: `trainings_overview` and `overdue_by_unit` (HR), `visible_trainings` (anyone else);
- `overview_export`: the overview as an export (`overview_export`, `overdue_export`);
- `training`: `training_impact` (HR's per-training report), `visible_enrollments` and `training_title`
  (anyone else's view of a training);
- `gap_closure`: the change of the AKPK levels between the cycles around a training (`gap_closure`,
  `training_gap`); self-contained, it belongs with AKPK.

Takes a Session, returns dataclasses; never imports the web layer. Query counts are noted per function.
"""

from portal.services.akpk.gap_closure import GapClosure, GapRow, gap_closure, training_gap
from portal.services.impact.overview import (
    TrainingRow,
    TrainingsPage,
    UnitOverdue,
    VisibleTraining,
    overdue_by_unit,
    trainings_overview,
    visible_trainings,
)
from portal.services.impact.overview_export import overdue_export, overview_export
from portal.services.impact.score import (
    CATEGORY_ORDER,
    RecomputeReport,
    StoredScore,
    category_label,
    compute,
    expected_score,
    recompute_all,
    recompute_enrollment,
    stored_score,
)
from portal.services.impact.training import (
    CategoryShare,
    Example,
    ExampleGroup,
    ItemChange,
    Participant,
    TrainingImpact,
    VisibleResult,
    training_impact,
    training_title,
    visible_enrollments,
)

__all__ = [
    "overdue_export",
    "overview_export",
    "CATEGORY_ORDER",
    "CategoryShare",
    "Example",
    "ExampleGroup",
    "GapClosure",
    "GapRow",
    "ItemChange",
    "Participant",
    "RecomputeReport",
    "StoredScore",
    "TrainingImpact",
    "TrainingRow",
    "TrainingsPage",
    "UnitOverdue",
    "VisibleResult",
    "VisibleTraining",
    "category_label",
    "compute",
    "expected_score",
    "gap_closure",
    "overdue_by_unit",
    "recompute_all",
    "recompute_enrollment",
    "stored_score",
    "trainings_overview",
    "training_gap",
    "training_impact",
    "training_title",
    "visible_enrollments",
    "visible_trainings",
]
