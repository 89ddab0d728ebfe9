"""The statements of every survey page, autosave and submit are compiled once and reused as they are:
none carries an "expanding" parameter (a list `IN`), which SQLAlchemy renders into the statement's text
again on every execution (docs/dev/performance.md)."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from portal.models import Enrollment
from portal.rules import took_part
from portal.services.accounts.sessions import _user_select
from portal.services.surveys.invitations import DRAFT_ANSWERS, INVITATION_BY_ID


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
@pytest.mark.parametrize("stmt", [INVITATION_BY_ID, DRAFT_ANSWERS, _user_select()], ids=["invitation", "draft", "session"])
def test_hot_statements_render_once(stmt, dialect) -> None:
    compiled = stmt.compile(dialect=dialect)
    assert "POSTCOMPILE" not in str(compiled)


def test_took_part_is_the_participant_statuses() -> None:
    text = str(took_part(Enrollment.status).compile(compile_kwargs={"literal_binds": True}))
    assert text == "enrollment.status = 'attended' OR enrollment.status = 'completed'"
