"""HR reports ("Laporan", /laporan; web layer: `portal.web.reports`): the dashboard, the training list,
the report of one training, JP compliance, response monitoring, and their CSV/XLSX exports.

Modules:
- `filters`: the period and unit filter of every page (`Filters`, `parse_filters`), the unit tree, the
  years offered, the trainings held in a period;
- `labels`: the Indonesian words that pages and exports share (training kinds, dimensions, impact
  categories, why a figure is hidden, a person's state);
- `l1`: the trainings held in a period with their L1 figures (`TrainingRow`, `load_trainings`,
  `l1_state`), shared by the dashboard and the peers of a training report;
- `dashboard`: the dashboard and the training list (`dashboard`) and the list's export;
- `jp`: JP compliance (`jp_report`, `jp_export`);
- `monitoring`: response monitoring of L1 surveys and L3 ratings (`monitoring`, `people_select`,
  `monitoring_export`);
- `training`: the report of one training (`training_report`) and its aggregate export;
- `training_questions`: its questions with their distributions (`QuestionStat`), and the free-text
  comments (`comments`);
- `training_statements`: the training report's statements, built once and run with bound values;
- `providers`: trainings by provider and by method with cost per JP and per impact point
  (`provider_report`, `provider_export`);
- `raw_export`: the raw answers of an attributed questionnaire, one row per response (`raw_export`);
- `exports`: the streamed CSV and XLSX writers, safe against formula injection.

Performance by design: the L1 figures come from the summaries kept at submit time
(`trainingsummary`, `trainingsummaryvalue`, `trainingl1`), never from the raw answers; response counts
come from the invitations. Every page runs a fixed number of grouped queries, whatever the number of
answers; the statements of the dashboard and of the training report are built once per dialect and
shape and run with their values bound (building one costs more than running it). The only reads of raw
answers are the free-text comments (one page at a time, never below the minimum group size) and the raw
export of an attributed questionnaire.

Minimum group size and differencing (see docs/charts.md). For an ANONYMOUS reaction questionnaire:
- a training's L1 results count only when the survey window has closed (so no figure changes after
  one person submits) and at least `min_group_size` people submitted; a question counts only when it
  has at least `min_group_size` answers. Nothing below that is shown, and nothing below that is
  pooled into a larger figure either, so no difference of two shown figures can isolate a small group:
  every shown L1 figure is a sum of whole "training x question" cells of >= min_group_size answers;
- L1 results are never broken down by unit or by any other property of the respondent (the
  summaries do not even know it). With a unit filter, the L1 figures are those of the trainings that
  the unit's staff attended, over ALL their participants; the page says so.
Attributed data (invitation status, JP, L3 ratings and impact scores) is not anonymous and is shown
per unit and per person.
"""

from portal.services.reports.dashboard import AttributedQuestionnaire, Dashboard, dashboard, dashboard_export_rows
from portal.services.reports.filters import PER_PAGE, Filters, UnitOption, parse_filters, unit_options, year_options
from portal.services.reports.jp import JpBelowRow, JpReport, JpUnitRow, jp_export, jp_report, jp_sort
from portal.services.reports.l1 import TrainingRow, l1_state, load_trainings
from portal.services.reports.labels import dimension_label, kind_label, state_text, suppressed_text
from portal.services.reports.monitoring import (
    MONITOR_KINDS,
    MONITOR_STATUSES,
    Counts,
    Monitoring,
    MonitorRow,
    Person,
    monitoring,
    monitoring_export,
    people_select,
)
from portal.services.reports.providers import GroupRow, ProviderReport, provider_export, provider_report
from portal.services.reports.raw_export import raw_export
from portal.services.reports.training import TrainingReport, aggregate_export, training_report
from portal.services.reports.training_questions import (
    COMMENTS_PER_PAGE,
    CommentPage,
    QuestionStat,
    comments,
    load_questions,
)

__all__ = [
    "COMMENTS_PER_PAGE",
    "MONITOR_KINDS",
    "MONITOR_STATUSES",
    "PER_PAGE",
    "ProviderReport",
    "AttributedQuestionnaire",
    "CommentPage",
    "Counts",
    "Dashboard",
    "Filters",
    "GroupRow",
    "JpBelowRow",
    "JpReport",
    "JpUnitRow",
    "MonitorRow",
    "Monitoring",
    "Person",
    "QuestionStat",
    "TrainingReport",
    "TrainingRow",
    "UnitOption",
    "aggregate_export",
    "comments",
    "dashboard",
    "dashboard_export_rows",
    "dimension_label",
    "jp_export",
    "jp_report",
    "jp_sort",
    "kind_label",
    "l1_state",
    "load_questions",
    "load_trainings",
    "monitoring",
    "monitoring_export",
    "parse_filters",
    "people_select",
    "provider_export",
    "provider_report",
    "raw_export",
    "state_text",
    "suppressed_text",
    "training_report",
    "unit_options",
    "year_options",
]
