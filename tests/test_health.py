"""`/healthz` answers from the process alone: no SQL, not even a connection, so it stays up
when the database is slow or gone."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from app import create_app
from config import ProductionConfig, TestConfig


@contextmanager
def database_use() -> Iterator[dict[str, int]]:
    """Counts, for every engine in the process, statements sent and connections opened."""
    seen = {"statements": 0, "connections": 0}

    def statement(*_args: object) -> None:
        seen["statements"] += 1

    def connection(*_args: object) -> None:
        seen["connections"] += 1

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", statement)
    sa.event.listen(sa.pool.Pool, "connect", connection)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", statement)
        sa.event.remove(sa.pool.Pool, "connect", connection)


def app_for(url: str, base: type = TestConfig) -> Flask:
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": secrets.token_hex(32),
        "LOG_LEVEL": "WARNING",
    }
    return create_app(type("HealthConfig", (base,), settings))


def test_healthz_says_ok_in_plain_text_without_sql(client):
    """On a working, migrated database too, the check itself sends it nothing."""
    with database_use() as seen:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok"
    assert seen == {"statements": 0, "connections": 0}
    with database_use() as seen:
        assert client.get("/toezeggingen").status_code == 200
    assert seen["statements"] > 0  # the counting works


def test_healthz_answers_when_the_database_points_at_nothing(tmp_path: Path):
    """A PostgreSQL port nobody listens on, and an SQLite file in a folder that does not exist:
    the pages fail, the health check does not."""
    for url in (
        "postgresql+psycopg://nobody@127.0.0.1:9/nothing?connect_timeout=1",
        f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'register.sqlite'}",
    ):
        production = type(
            "Production", (ProductionConfig,), {"ALLOW_SQLITE": True, "BASE_URL": "https://r.test"}
        )
        application = app_for(url, production)
        client = application.test_client()
        with database_use() as seen:
            response = client.get("/healthz")
        assert response.status_code == 200, url
        assert response.get_data(as_text=True) == "ok"
        assert seen == {"statements": 0, "connections": 0}
        assert client.get("/toezeggingen").status_code == 500, url  # it really is unreachable
