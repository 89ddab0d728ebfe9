"""Data Master for HR (/data-master): the master data every assessment, survey and report uses.

Modules by responsibility: `lists` (the read-only lists: overview counts, employees, competencies), `hierarchy` (the two trees kept in one table each, units by parent and employees by
supervisor: loops refused, also when two edits race), `forms` (form values into clean values or a
message per field, reusing the import's cell rules), `people` (an employee's profile, create and
edit, deactivation), `units` (the unit tree, create and edit), `positions` (positions with their
competency standard, create and edit). Every change is audited and committed by the service.
"""

from portal.services.master.lists import (
    PAGE_SIZE,
    Page,
    list_competencies,
    list_employees,
    overview_counts,
)

__all__ = ["PAGE_SIZE", "Page", "list_competencies", "list_employees", "overview_counts"]
