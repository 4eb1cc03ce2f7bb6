"""`flask backup` and `flask restore` (DESIGN §12): the whole register out and back in again,
on SQLite and PostgreSQL and from one to the other, through the real commands."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask

from app import MIGRATIONS_DIR
from app.auth import services as accounts
from app.auth.models import LoginAttempt, Role, User
from app.backup import dump
from app.dbtypes import utcnow
from app.extensions import db
from app.interop.importing import import_records
from app.interop.models import KamerRecord
from app.interop.records import read_paths
from app.register import queries, services
from app.register.models import (
    Commitment,
    CommitmentDeadlineTally,
    CommitmentStatus,
    CommitmentTally,
    Ministry,
    RegisterState,
)
from app.register.seeding import load_seeds
from app.reminders import alerts, following, mailer, outbox, planning
from app.reminders.models import (
    Follower,
    MessageKind,
    OutboxAlert,
    OutboxMessage,
    PlannedReminder,
)
from tests.conftest import PASSWORD, REPO_DIR, database_url, make_app
from tests.test_tallies import assert_tallies_exact

#: The newest migration: the schema a backup made now belongs to.
INTEROP = REPO_DIR / "tests" / "interop"
HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


@pytest.fixture
def new_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """``new_app(backend, name)``: an app on a database of its own, migrated to ``revision``."""
    made: list[Flask] = []

    def _make(backend: str, name: str, revision: str = "head") -> Flask:
        application = make_app(database_url(backend, tmp_path, name))
        with application.app_context():
            flask_migrate.upgrade(directory=str(MIGRATIONS_DIR), revision=revision)
            db.session.remove()
        made.append(application)
        return application

    yield _make
    for application in made:
        with application.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def fill(application: Flask) -> None:
    """Seed data plus what a working register gathers: users, owners, history, followers,
    planned reminders, sent and unsent mail, an alert, login attempts."""
    with application.app_context():
        load_seeds(REPO_DIR / "seeds")
        jenv = db.session.scalars(sa.select(Ministry).where(Ministry.code == "JenV")).one()
        admin = accounts.create_user(
            email="beheer@minjenv.example", name="Bea Beheer", role=Role.ADMIN, password=PASSWORD
        )
        owner = accounts.create_user(
            email="eigenaar@minjenv.example",
            name="Fatima el Amrani",
            role=Role.CLERK,
            ministry=jenv,
            password=PASSWORD,
        )
        accounts.create_user(
            email="nieuw@minjenv.example",
            name="Nog Geen Wachtwoord",
            role=Role.COORDINATOR,
            ministry=jenv,
        )
        mission = queries.commitment_by_number("TZ-2019-0002")
        assert mission is not None
        follower, _queued = following.follow(
            "volger@example.org", client_address="192.0.2.7", commitment=mission
        )
        following.confirm(follower)
        services.update_commitment(
            mission,
            {
                "owner": owner,
                "deadline": dt.date(2019, 10, 16),
                "internal_note": "Intern: ‘bellen’.",
            },
            actor=admin,
        )
        services.change_status(
            mission, CommitmentStatus.PARTIALLY_FULFILLED, note="Deels gedaan.", actor=admin
        )
        planning.plan_day(dt.date(2019, 10, 16))
        db.session.commit()
        mailer.send_due()  # no MAIL_SERVER: written to the log and marked sent
        outbox.enqueue(
            key="backup-test:waiting",
            kind=MessageKind.FOLLOW_CONFIRMATION,
            recipient_email="wacht@example.org",
            recipient_name=None,
            template="follow_confirmation",
            what="TZ-2019-0003",
            confirm_url="http://register.test/volgen/bevestigen/x",
            now=utcnow() - dt.timedelta(hours=2),
        )
        alerts.check_outbox()
        # Promises from the Kamer's registration: its records, relations and a hidden one.
        kamer = read_paths([INTEROP / "pages", INTEROP / "syncfeed.xml"])
        import_records(kamer.records)
        db.session.add_all(
            LoginAttempt(email="beheer@minjenv.example", ip_address="192.0.2.8", succeeded=ok)
            for ok in (False, True)
        )
        db.session.commit()
        db.session.remove()


def run(application: Flask, *args: str):  # type: ignore[no-untyped-def]
    """The command in ``application``'s own context (another app's may be pushed already:
    the session-wide one of tests/conftest.py, which `with_appcontext` would use)."""
    with application.app_context():
        result = application.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def backup(application: Flask, path: Path, *options: str) -> list[str]:
    result = run(application, "backup", str(path), *options)
    assert result.exit_code == 0, result.output
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def restore(application: Flask, path: Path) -> str:
    result = run(application, "restore", str(path))
    assert result.exit_code == 0, result.output
    return result.output


def without(lines: list[str], *fields: str) -> list[str]:
    """The dump with the named header fields left out."""
    header = {k: v for k, v in json.loads(lines[0]).items() if k not in fields}
    return [json.dumps(header), *lines[1:]]


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def check_the_register_works(application: Flask, *, passwords: bool) -> None:
    """Search, numbering, fresh ids and logging in on a restored database."""
    with application.app_context():
        found = queries.commitments_matching(
            queries.CommitmentFilter(search="hervestigingsmissie"), dt.date(2020, 1, 1), 10
        )
        assert [c.number for c in found] == ["TZ-2019-0002"]
        if db.engine.dialect.name == "sqlite":  # the FTS5 index matches its table exactly
            db.session.execute(
                sa.text(
                    "INSERT INTO commitment_fts(commitment_fts, rank) VALUES ('integrity-check', 1)"
                )
            )
        ministry = db.session.scalars(sa.select(Ministry).order_by(Ministry.id)).first()
        newest = db.session.scalar(sa.select(sa.func.max(Commitment.id)))
        created = services.create_commitment(
            title="Na het herstel",
            text="Ik zal uw Kamer informeren.",
            made_on=dt.date(2019, 5, 1),
            ministry=ministry,
        )
        assert created.number == "TZ-2019-0008"
        assert created.id == newest + 1
        highest = db.session.scalar(sa.select(sa.func.max(Ministry.id)))
        added = Ministry(code="NIEUW", name="Nieuw ministerie")
        db.session.add(added)
        db.session.flush()
        assert added.id == highest + 1  # the restored sequence continues after the restored rows
        db.session.commit()
        db.session.remove()
    client = application.test_client()
    response = client.post(
        "/beheer/inloggen", data={"email": "beheer@minjenv.example", "password": PASSWORD}
    )
    if passwords:
        assert response.status_code == 302
        assert client.get("/beheer/").status_code == 200
    else:
        assert response.status_code == 401  # no password is known
    with application.app_context():
        db.session.remove()


def test_a_backup_restores_into_a_fresh_database_and_backs_up_the_same(backend, new_app, tmp_path):
    source = new_app(backend, "backup_source")
    fill(source)
    first = backup(source, tmp_path / "eerste.jsonl", "--with-passwords")

    header = json.loads(first[0])
    assert header["format"] == "toezeggingenregister-backup"
    assert header["format_version"] == 1
    assert header["schema_revision"] == HEAD
    assert header["source"] == backend
    assert dt.datetime.fromisoformat(header["created_at"]).tzinfo is not None
    assert header["with_passwords"] is True
    assert "login_attempt" not in header["tables"]  # optional, and not asked for
    assert header["tables"]["commitment"] == 16
    assert header["tables"]["kamer_record"] == 4
    assert header["tables"]["kamer_relation"] == 2
    assert header["tables"]["user_account"] == 3
    assert header["tables"]["follower"] == 1
    assert (
        header["tables"]["commitment_number_sequence"] == 4
    )  # 2016 and 2019 from the seed, 2025 and 2026 from the Kamer
    for table in ("commitment_event", "outbox_message", "planned_reminder", "outbox_alert"):
        assert header["tables"][table] > 0, table
    assert json.loads(first[-1]) == {"end": True, "rows": sum(header["tables"].values())}
    assert len(first) == 2 + len(header["tables"]) + sum(header["tables"].values())

    target = new_app(backend, "backup_target")
    output = restore(target, tmp_path / "eerste.jsonl")
    assert "commitment: 16 rijen" in output
    assert "Hersteld uit" in output
    second = backup(target, tmp_path / "tweede.jsonl", "--with-passwords")
    assert without(second, "created_at") == without(first, "created_at")

    with target.app_context():
        mission = queries.commitment_by_number("TZ-2019-0002")
        assert mission.owner.email == "eigenaar@minjenv.example"
        assert mission.internal_note == "Intern: ‘bellen’."
        assert len(queries.history(mission)) == 3
        assert count(Follower) == 1
        assert count(PlannedReminder) == 1
        assert count(LoginAttempt) == 0
        assert alerts.open_alert() is not None
        assert count(KamerRecord) == 4
        hidden = db.session.scalars(sa.select(Commitment).where(Commitment.hidden)).one()
        assert hidden.kamer_number == "TZ202603-131"
        assert_tallies_exact()  # left out of the backup, rebuilt by the restore's inserts
        db.session.remove()
    check_the_register_works(target, passwords=True)


def test_without_passwords_accounts_come_back_without_them(backend, new_app, tmp_path):
    source = new_app(backend, "no_passwords_source")
    fill(source)
    lines = backup(source, tmp_path / "zonder.jsonl")
    assert json.loads(lines[0])["with_passwords"] is False
    assert not any("scrypt" in line for line in lines)
    [users] = [json.loads(line) for line in lines if line.startswith('{"table":"user_account"')]
    assert "password_hash" not in users["columns"]
    assert "session_token" not in users["columns"]

    target = new_app(backend, "no_passwords_target")
    output = restore(target, tmp_path / "zonder.jsonl")
    assert "De back-up had geen wachtwoorden" in output
    with target.app_context():
        restored = db.session.scalars(sa.select(User).order_by(User.id)).all()
        assert [u.email for u in restored][:2] == [
            "beheer@minjenv.example",
            "eigenaar@minjenv.example",
        ]
        assert all(u.password_hash is None for u in restored)
        assert len({u.session_token for u in restored}) == 3  # new, and each its own
        db.session.remove()
    assert without(backup(target, tmp_path / "weer.jsonl"), "created_at") == without(
        lines, "created_at"
    )
    check_the_register_works(target, passwords=False)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("origin", "destination"), [("sqlite", "postgresql"), ("postgresql", "sqlite")]
)
def test_a_backup_moves_between_sqlite_and_postgresql(origin, destination, new_app, tmp_path):
    source = new_app(origin, f"move_from_{origin}")
    fill(source)
    first = backup(
        source, tmp_path / "register.jsonl.gz", "--with-passwords", "--with-login-attempts"
    )
    with gzip.open(tmp_path / "register.jsonl.gz", "rb") as handle:
        assert handle.read(1) == b"{"  # compressed, because of the name
    target = new_app(destination, f"move_to_{destination}")
    restore(target, tmp_path / "register.jsonl.gz")
    second = backup(target, tmp_path / "terug.jsonl", "--with-passwords", "--with-login-attempts")
    assert json.loads(second[0])["source"] == destination
    assert without(second, "created_at", "source") == without(first, "created_at", "source")
    with target.app_context():
        assert count(LoginAttempt) == 2
        db.session.remove()
    check_the_register_works(target, passwords=True)


def test_restore_refuses_a_database_that_is_not_empty(backend, new_app, tmp_path):
    source = new_app(backend, "not_empty")
    fill(source)
    backup(source, tmp_path / "register.jsonl")
    result = run(source, "restore", str(tmp_path / "register.jsonl"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "De database is niet leeg (tabel commitment_number_sequence heeft al rijen): herstel "
        "alleen in een lege, gemigreerde database."
    ]
    with source.app_context():
        assert count(Commitment) == 16
        db.session.remove()


def test_restore_refuses_a_newer_format_and_what_is_no_backup(new_app, tmp_path):
    target = new_app("sqlite", "refusals")
    newer = tmp_path / "nieuwer.jsonl"
    header = {"format": dump.FORMAT, "format_version": dump.FORMAT_VERSION + 1, "tables": {}}
    newer.write_text(json.dumps(header) + "\n", encoding="utf-8")
    result = run(target, "restore", str(newer))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Deze back-up heeft formaatversie 2; dit register leest tot en met versie 1. Herstel "
        "hem met een nieuwere versie van het register."
    )
    other = tmp_path / "iets.csv"
    other.write_text("nummer,titel\n", encoding="utf-8")
    result = run(target, "restore", str(other))
    assert result.exit_code == 1
    assert result.output.strip() == "Dit is geen back-up van het Toezeggingenregister."
    result = run(target, "restore", str(tmp_path / "bestaat-niet.jsonl"))
    assert result.exit_code == 1
    assert result.output.startswith("Kan de back-up")


def test_backup_and_restore_want_a_migrated_database(tmp_path):
    bare = make_app(database_url("sqlite", tmp_path, "bare"))
    result = run(bare, "backup", str(tmp_path / "niets.jsonl"))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "De database heeft nog geen tabellen: voer eerst `flask db upgrade` uit."
    )
    assert list(tmp_path.glob("niets.jsonl*")) == []  # no half-written file is left behind
    header = {"format": dump.FORMAT, "format_version": 1, "schema_revision": HEAD, "tables": {}}
    (tmp_path / "leeg.jsonl").write_text(json.dumps(header) + "\n", encoding="utf-8")
    result = run(bare, "restore", str(tmp_path / "leeg.jsonl"))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"De database heeft nog geen schema: voer eerst `flask db upgrade {HEAD}` uit."
    )
    with bare.app_context():
        db.engine.dispose()


def test_a_cut_off_backup_restores_nothing(new_app, tmp_path):
    source = new_app("sqlite", "cut_source")
    fill(source)
    lines = backup(source, tmp_path / "heel.jsonl")
    cut = tmp_path / "afgebroken.jsonl"
    cut.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")
    target = new_app("sqlite", "cut_target")
    result = run(target, "restore", str(cut))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("De back-up is onvolledig")
    with target.app_context():
        assert all(count(table) == 0 for table in dump.tables())
        db.session.remove()


def test_restore_wants_the_schema_revision_of_the_backup(new_app, tmp_path):
    source = new_app("sqlite", "revision_source")
    backup(source, tmp_path / "leeg.jsonl")
    older = new_app("sqlite", "revision_older", revision="7a4c9e2d1f60")
    result = run(older, "restore", str(tmp_path / "leeg.jsonl"))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"De back-up hoort bij schemaversie {HEAD}, de database staat op 7a4c9e2d1f60: herstel "
        f"in een lege database op versie {HEAD} (`flask db upgrade {HEAD}`) en migreer daarna "
        "met `flask db upgrade`."
    )


def test_big_registers_stream_with_progress(new_app, tmp_path):
    source = new_app("sqlite", "big_source")
    with source.app_context():
        attempted = utcnow()
        for start in range(0, 25_000, 5_000):
            db.session.execute(
                sa.insert(LoginAttempt),
                [
                    {
                        "email": f"iemand{n}@example.org",
                        "ip_address": "192.0.2.1",
                        "attempted_at": attempted,
                        "succeeded": False,
                    }
                    for n in range(start, start + 5_000)
                ],
            )
        db.session.commit()
        db.session.remove()
    result = run(source, "backup", str(tmp_path / "groot.jsonl"), "--with-login-attempts")
    assert result.exit_code == 0, result.output
    assert "  login_attempt: 10000 van 25000 rijen" in result.output
    assert "  login_attempt: 20000 van 25000 rijen" in result.output
    target = new_app("sqlite", "big_target")
    output = restore(target, tmp_path / "groot.jsonl")
    assert "  login_attempt: 20000 van 25000 rijen" in output
    assert "login_attempt: 25000 rijen" in output
    with target.app_context():
        assert count(LoginAttempt) == 25_000
        assert db.session.scalar(sa.select(sa.func.max(LoginAttempt.id))) == 25_000
        db.session.remove()


def test_a_backup_to_standard_output_keeps_progress_apart(new_app):
    source = new_app("sqlite", "stdout_source")
    result = run(source, "backup", "-")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert json.loads(lines[0])["format"] == dump.FORMAT
    assert json.loads(lines[-1]) == {"end": True, "rows": 0}
    assert "Back-up geschreven naar -" in result.stderr


def test_outbox_and_alert_tables_are_in_the_backup(new_app, tmp_path):
    """Every table the models declare is backed up, but for the three the database derives by
    triggers (the register's version and its two tallies): the list is not kept by hand."""
    source = new_app("sqlite", "tables_source")
    lines = backup(source, tmp_path / "tabellen.jsonl", "--with-login-attempts")
    tables = list(json.loads(lines[0])["tables"])
    derived = {
        RegisterState.__tablename__,
        CommitmentTally.__tablename__,
        CommitmentDeadlineTally.__tablename__,
    }
    assert set(tables) == set(db.metadata.tables) - derived
    assert tables.index("outbox_message") < tables.index("planned_reminder")
    assert tables.index("ministry") < tables.index("user_account") < tables.index("commitment")
    assert {OutboxMessage.__tablename__, OutboxAlert.__tablename__} <= set(tables)
