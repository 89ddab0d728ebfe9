"""Administration (/admin, administrators only): accounts and roles, the audit log. Each sub-area is a
module of this package and lists its controllers here."""

CONTROLLERS: list = []
