"""Imports of master data from spreadsheets HR already has (SIASN exports, providers' schedules,
attendance lists): units, positions with their competency standard, employees, trainings, enrolments
and attendance. XLSX or CSV, previewed before anything changes, applied in one transaction, undone
while nothing depends on it.

Modules: `reading` (the file into a header and rows; every way a file can be unreadable), `cells`
(one cell into one clean value, or a message), `plan` (planned rows, the kind protocol), `table_kind`
(upsert by a key column, shared by the kinds keyed by NIP or code), one module per kind (`units`,
`positions`, `employees`, `trainings`, `enrollments`), `kinds` (the registry), `engine`
(preview / apply / discard / undo / history), `templates` (the downloadable XLSX and CSV templates).
"""

from portal.services.imports.engine import (
    BatchView,
    ImportRefused,
    apply,
    batch,
    count_batches,
    discard,
    history,
    plan_file,
    preview,
    rejected_rows,
    undo,
    undo_problem,
)
from portal.services.imports.kinds import KINDS
from portal.services.imports.reading import ImportFileError

__all__ = [
    "KINDS",
    "BatchView",
    "ImportFileError",
    "ImportRefused",
    "apply",
    "batch",
    "count_batches",
    "discard",
    "history",
    "plan_file",
    "preview",
    "rejected_rows",
    "undo",
    "undo_problem",
]
