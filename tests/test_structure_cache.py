"""The questionnaire structure cache keeps the databases of one process apart (tests and benches open
several): one token per engine, the same through a session, a connection or a session bound to a
connection, and another for another engine."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine
from sqlmodel import Session

from portal.services.questionnaires import db_token


def test_one_token_per_engine(tmp_path: Path) -> None:
    first = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    second = create_engine(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        with Session(first) as session, first.connect() as conn:
            token = db_token(session)
            assert db_token(conn) == token
            assert db_token(Session(bind=conn)) == token
        with second.connect() as conn:
            assert db_token(conn) != token
        assert not hasattr(first, "_portal_cache_token")  # kept beside the engine, not on it
    finally:
        first.dispose()
        second.dispose()

