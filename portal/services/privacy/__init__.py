"""Personal data (UU PDP 27/2022) and the audit log: the admin's audit log viewer (/admin/audit), the
employee's own data (Data Saya, /data-saya) with its downloads and correction requests (HR's side:
/data-master/koreksi), the audit events of views of someone's individual results, and the retention job.
docs/privacy.md says, in Indonesian, what is kept, why, how long and who sees it.

Modules:
- `_types`: how an audit event names a person (`person_target`, `person_of`), the login actions, the
  shapes (`AuditRow`, `Me`, `Section` ...) and the Indonesian words that downloads write;
- `views`: `record_person_view`, called by the services of the areas that show one person's results;
- `audit_log`: the viewer's filters, pages and streamed CSV export (`parse_filters`, `audit_page`, `export`);
- `data_records`, `data_trail`: the sections of Data Saya, one select each, restricted to the user;
- `my_data`: the page (`my_data`) and the JSON/XLSX downloads (`json_chunks`, `xlsx_chunks`);
- `corrections`: correction requests (`create`, `list_requests`, `close`, `open_count`);
- `jobs`: `retention` (`portal retention apply`).

The audit log is append-only in the application: nothing but `jobs.retention` deletes an event, and
nothing changes one. Anonymous survey answers appear nowhere here (docs/anonymity.md).

Only the small names are re-exported here: the areas whose pages show one person's results import
`record_person_view` while their own packages are still loading, so this package must not pull in
the modules that read those areas (import `audit_log`, `my_data`, `corrections`, `jobs` as submodules:
`from portal.services.privacy import my_data`).
"""

from portal.services.privacy._types import (
    LOGIN_ACTIONS,
    VIEW_ACTION,
    AuditPage,
    AuditRow,
    Me,
    SectionRows,
    is_login_action,
    person_of,
    person_target,
)
from portal.services.privacy.views import record_person_view

__all__ = [
    "LOGIN_ACTIONS",
    "VIEW_ACTION",
    "AuditPage",
    "AuditRow",
    "Me",
    "SectionRows",
    "is_login_action",
    "person_of",
    "person_target",
    "record_person_view",
]
