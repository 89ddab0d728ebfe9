"""Administration (/admin, administrators only): accounts and roles, the audit log. Each sub-area is a
module of this package and lists its controllers here."""

from portal.web.admin import audit

CONTROLLERS: list = [
    audit.AuditLogController,  # /admin/audit
]
