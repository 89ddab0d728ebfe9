"""Derived tables: summaries kept so that pages never scan raw rows.

One mechanism for all of them: each summary module owns its tables and is kept **in the service
transaction that changes its inputs** (`apply(conn, change)`, called by the write path) and rebuilt
from the raw rows by **the same code** (`rebuild(session)`), so the two cannot disagree. No database
triggers, no values formatted in SQL and stored. `portal summaries rebuild [NAME]` runs `rebuild`
(after a bulk load behind the portal's back, or to repair).

| name | tables | inputs | kept by |
|---|---|---|---|
| answers | trainingsummary, trainingsummaryvalue | survey answers | survey submit |
| l1 | trainingl1 | the answers summary | survey submit (after `answers`) |
| invitations | invitationcount | survey invitations | attach, autosave, submit |
| jp | employeejp | enrolments, training dates | enrolment writes |
| gaps | assessmentgap | submitted AKPK assessments | assessment submit |
"""

from __future__ import annotations

from types import ModuleType

from sqlmodel import Session

from portal.services.summaries import answers, gaps, invitations, jp, l1

# in dependency order: l1 is computed from answers
REGISTRY: dict[str, ModuleType] = {"answers": answers, "l1": l1, "invitations": invitations, "jp": jp, "gaps": gaps}


def rebuild(session: Session, names: list[str] | None = None) -> dict[str, int]:
    """Rebuild the named summaries (all when None), in dependency order; returns rows written per name.
    Does not commit."""
    chosen = list(REGISTRY) if not names else [n for n in REGISTRY if n in names]
    return {name: REGISTRY[name].rebuild(session) for name in chosen}
