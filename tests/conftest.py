"""Fixtures: every database test runs on SQLite and on PostgreSQL, each in a transaction that
is rolled back afterwards, against a schema built by the real migrations.

PostgreSQL is found at ``TEST_DATABASE_URL`` (default: the local server's ``test`` database).
Without it the PostgreSQL half is left out with a warning; under ``CI=true`` that is an error.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from app import MIGRATIONS_DIR, create_app
from app.auth.models import Role, User
from app.extensions import db
from app.logging_setup import HANDLER
from app.public.cache import page_cache
from app.register import services
from app.register.models import (
    Commitment,
    Committee,
    Document,
    DocumentKind,
    Ministry,
    Official,
)
from config import TestConfig
from tests.smtp import MailServers, SMTPServer

PASSWORD = "correct horse battery staple"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL
REPO_DIR = Path(__file__).resolve().parent.parent


def postgres_unreachable_reason(url: str) -> str | None:
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as error:
        return str(error.orig).strip().splitlines()[0]
    finally:
        engine.dispose()


def pytest_configure(config: pytest.Config) -> None:
    backends = ["sqlite"]
    reason = postgres_unreachable_reason(POSTGRES_URL)
    if reason is None:
        backends.append("postgresql")
    elif os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(
            f"PostgreSQL op {POSTGRES_URL} is niet bereikbaar ({reason}); in CI is dat een fout."
        )
    else:
        config.issue_config_time_warning(
            pytest.PytestConfigWarning(
                f"PostgreSQL op {POSTGRES_URL} niet bereikbaar ({reason}): alleen SQLite getest."
            ),
            stacklevel=2,
        )
    config.stash[BACKENDS_KEY] = backends


BACKENDS_KEY = pytest.StashKey[list[str]]()


BROWSER_DIR = Path(__file__).resolve().parent / "browser"


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by these markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests and the PostgreSQL half; without PostgreSQL (outside CI) the tests
    that need it themselves are left out, as its half of the rest is."""
    for item in items:
        if item.path.is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgres)
    if "postgresql" in config.stash[BACKENDS_KEY]:
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = metafunc.config.stash[BACKENDS_KEY]
        metafunc.parametrize("backend", backends, indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The database this test runs on: ``sqlite`` or ``postgresql``."""
    return str(request.param)


def database_url(backend: str, tmp_dir: Path, name: str) -> str:
    """A database of its own for ``name``: a file for SQLite, a schema for PostgreSQL (one per
    xdist worker: a worker that starts late must not drop the schema another is using)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir / name}.sqlite"
    name = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    url = sa.make_url(POSTGRES_URL)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    engine.dispose()
    query = dict(url.query, options=f"-csearch_path={name}")
    return url.set(query=query).render_as_string(hide_password=False)


def make_app(url: str) -> Flask:
    config = type("BackendTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    return create_app(config)


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """For tests that configure logging: the root logger is left as they found it."""
    root = logging.getLogger()
    level, handlers, formatter = root.level, list(root.handlers), HANDLER.formatter
    try:
        yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
        HANDLER.setFormatter(formatter)


@pytest.fixture(scope="session")
def migrated_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app per backend, its database built by ``flask db upgrade``."""
    # A schema per xdist worker: with one for all, a worker starting its PostgreSQL half drops
    # the tables under the other worker's running test.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = database_url(backend, tmp_path_factory.mktemp(backend), f"register_tests_{worker}")
    application = make_app(url)
    # Mail without a mail server is written as files: into this session's own directory.
    application.config["MAIL_DIR"] = tmp_path_factory.mktemp(f"mail-{backend}")
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        yield application
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def app(migrated_app: Flask) -> Iterator[Flask]:
    """The app, inside a transaction that is rolled back after the test.

    The app's own commits release savepoints inside that transaction, so a test sees
    exactly what the code under test committed, and the next test starts clean. The rollback
    takes the register's version back too, so the pages kept for it are forgotten.
    """
    with migrated_app.app_context():
        page_cache().clear()
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection  # type: ignore[assignment]
        db.session.remove()
        db.session.session_factory.configure(join_transaction_mode="create_savepoint")
        try:
            yield migrated_app
        finally:
            db.session.remove()
            db.session.session_factory.kw.pop("join_transaction_mode", None)
            engines[None] = engine
            transaction.rollback()
            connection.close()


@pytest.fixture
def no_page_cache(app: Flask) -> Iterator[None]:
    """Every page rendered afresh, as with PAGE_CACHE_MB=0: for tests of the rendering itself."""
    cache = page_cache()
    size, cache.max_bytes = cache.max_bytes, 0
    try:
        yield
    finally:
        cache.max_bytes = size


class RequestIsolatingClient(FlaskClient):
    """Runs every request in a context of its own, as a real server would.

    Without this, requests would reuse the test's application context: the same ``g`` (and so
    the same cached logged-in user) and the same database session across requests.
    """

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        # A streamed body is read inside the request's own context, as a server would read it.
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()  # the test's own session sees what the request committed
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = RequestIsolatingClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# Factories: each returns a callable that makes one record with sensible defaults.


@pytest.fixture
def create_ministry(app: Flask) -> Callable[..., Ministry]:
    counter = iter(range(1, 10_000))

    def _create(code: str | None = None, name: str | None = None) -> Ministry:
        number = next(counter)
        ministry = Ministry(
            code=code or f"MIN{number}", name=name or f"Ministerie van Test {number}"
        )
        db.session.add(ministry)
        db.session.flush()
        return ministry

    return _create


@pytest.fixture
def create_document(app: Flask) -> Callable[..., Document]:
    counter = iter(range(1, 10_000))

    def _create(
        kamerstuk_id: str | None = None,
        *,
        title: str = "Brief over een testonderwerp",
        date: dt.date | None = dt.date(2019, 4, 11),
        kind: DocumentKind = DocumentKind.LETTER,
    ) -> Document:
        kamerstuk_id = kamerstuk_id or f"kst-99999-{next(counter)}"
        dossier, ondernummer = Document.parse_kamerstuk_id(kamerstuk_id)
        document = Document(
            kind=kind, dossier_number=dossier, ondernummer=ondernummer, title=title, date=date
        )
        db.session.add(document)
        db.session.flush()
        return document

    return _create


@pytest.fixture
def create_user(app: Flask, create_ministry: Callable[..., Ministry]) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def _create(
        *,
        name: str | None = None,
        email: str | None = None,
        role: Role = Role.CLERK,
        ministry: Ministry | None = None,
        password: str | None = PASSWORD,
        **kw: Any,
    ) -> User:
        number = next(counter)
        if ministry is None and role is not Role.ADMIN:
            ministry = create_ministry()
        user = User(
            name=name or f"Medewerker {number}",
            email=email or f"medewerker{number}@ministerie.example",
            role=role,
            ministry=ministry,
            **kw,
        )
        if password:
            user.set_password(password)
        db.session.add(user)
        db.session.flush()
        return user

    return _create


@pytest.fixture
def create_commitment(
    app: Flask, create_ministry: Callable[..., Ministry]
) -> Callable[..., Commitment]:
    """``create_commitment(title=…, deadline=…, ministry=…)`` through the register's service."""
    default_ministry: list[Ministry] = []

    def _create(
        *,
        title: str = "Uw Kamer informeren over de voortgang",
        text: str = "Ik zal uw Kamer voor de zomer informeren over de voortgang.",
        made_on: dt.date = dt.date(2019, 4, 11),
        ministry: Ministry | None = None,
        **fields: Any,
    ) -> Commitment:
        if ministry is None:
            if not default_ministry:
                default_ministry.append(create_ministry(code="JenV", name="Justitie en Veiligheid"))
            ministry = default_ministry[0]
        return services.create_commitment(
            title=title, text=text, made_on=made_on, ministry=ministry, **fields
        )

    return _create


@pytest.fixture
def create_official(app: Flask) -> Callable[..., Official]:
    def _create(ministry: Ministry, name: str = "M.G.J. Harbers", function: str = "") -> Official:
        official = Official(
            name=name,
            function=function or "Staatssecretaris van Justitie en Veiligheid",
            ministry=ministry,
        )
        db.session.add(official)
        db.session.flush()
        return official

    return _create


@pytest.fixture
def create_committee(app: Flask) -> Callable[..., Committee]:
    def _create(name: str = "Vaste commissie voor Justitie en Veiligheid") -> Committee:
        committee = Committee(name=name)
        db.session.add(committee)
        db.session.flush()
        return committee

    return _create


@pytest.fixture
def seeded(app: Flask) -> Flask:
    """The database with ``seeds/`` loaded, as after ``make run``."""
    from app.register.seeding import load_seeds

    load_seeds(REPO_DIR / "seeds")
    db.session.commit()
    return app


class AuthActions:
    """Log in and out through the real login form (after flaskr's ``auth`` fixture)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, user_or_email: User | str, password: str = PASSWORD, **kw: Any):  # type: ignore[no-untyped-def]
        email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
        return self.client.post(
            "/beheer/inloggen", data={"email": email, "password": password}, **kw
        )

    def logout(self):  # type: ignore[no-untyped-def]
        return self.client.post("/beheer/uitloggen")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def jenv(create_ministry: Callable[..., Ministry]) -> Ministry:
    """The ministry most tests' clerk works for."""
    return create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")


@pytest.fixture
def clerk(app: Flask, create_user: Callable[..., User], jenv: Ministry) -> User:
    """A clerk of JenV."""
    user = create_user(name="Fatima el Amrani", ministry=jenv)
    db.session.commit()
    return user


@pytest.fixture
def logged_in(client: FlaskClient, auth: AuthActions, clerk: User) -> FlaskClient:
    """The test client, logged in as the JenV clerk."""
    auth.login(clerk)
    return client


@pytest.fixture
def smtp_servers() -> Iterator[MailServers]:
    """Real SMTP servers on loopback ports, for apps in other processes; stopped afterwards."""
    servers = MailServers()
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture
def mail_server(app: Flask, smtp_servers: MailServers) -> Iterator[Callable[..., Any]]:
    """Make a real SMTP server the app's mail server: ``mail_server()`` one that records,
    ``mail_server(started=False)`` one that is down until its ``start()``,
    ``mail_server(silent=True)`` one that accepts connections and never answers.
    The app's mail settings are restored afterwards."""
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT")}

    def _use(*, silent: bool = False, started: bool = True, timeout: float = 3) -> Any:
        server = smtp_servers.silent() if silent else smtp_servers.recording(started=started)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_TIMEOUT=timeout)
        return server

    try:
        yield _use
    finally:
        app.config.update(saved)


@pytest.fixture
def smtp(mail_server: Callable[..., SMTPServer]) -> SMTPServer:
    """A real SMTP server on a loopback port, configured as the app's mail server."""
    return mail_server()
