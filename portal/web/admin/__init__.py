"""Administration (/admin, administrators only): accounts and roles, the audit log. Each sub-area is a
module of this package and lists its controllers here."""

from portal.web.admin import accounts, audit

CONTROLLERS: list = [
    accounts.AccountController,  # /admin/akun
    audit.AuditLogController,  # /admin/audit
]
