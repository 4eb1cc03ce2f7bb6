"""`flask bench-data`: a realistic register in bulk, on both databases, that the app can use
as if its clerks had typed it (no timings here: `make bench` measures speed)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask

from app import MIGRATIONS_DIR
from app.extensions import db
from app.register import benchvocabulary, queries, services
from app.register.benchdata import (
    COMMON_WORD,
    FIRST_DAY,
    LAST_DAY,
    STATUS_DAY,
    Generator,
    table,
)
from app.register.deadlines import resolve_phrase
from app.register.models import (
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Document,
    EventKind,
    Ministry,
)
from app.register.queries import CommitmentFilter
from app.register.search import query_words
from tests.conftest import RequestIsolatingClient, database_url, make_app
from tests.test_tallies import assert_tallies_exact

COUNT = 300
SEED = 7


def fresh_app(backend: str, directory: Path, name: str, *, migrate: bool = True) -> Flask:
    application = make_app(database_url(backend, directory, name))
    if migrate:
        with application.app_context():
            flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
    return application


def dispose(application: Flask) -> None:
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def bench_data(application: Flask, *args: str) -> Any:
    # In this app's own context: the CLI would otherwise run in whatever app context is
    # active (the session-wide test app's), against that app's database.
    with application.app_context():
        return application.test_cli_runner().invoke(args=["bench-data", *args])


@pytest.fixture(scope="module")
def filled(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A database filled once per backend by `flask bench-data --count 300 --seed 7`."""
    application = fresh_app(backend, tmp_path_factory.mktemp("bench"), "bench_data_a")
    result = bench_data(application, "--count", str(COUNT), "--seed", str(SEED))
    assert result.exit_code == 0, result.output
    application.config["bench_output"] = result.output
    with application.app_context():
        yield application
        db.session.rollback()
    dispose(application)


def rows(name: str, *, leave_out: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Every row of a table in id order (or key order), without the named columns."""
    columns = [c for c in table(name).columns if c.name not in leave_out]
    order = table(name).primary_key.columns
    return [tuple(row) for row in db.session.execute(sa.select(*columns).order_by(*order))]


def count(model: type[Any]) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_the_command_reports_progress_and_a_summary(filled):
    output = filled.config["bench_output"]
    assert "100%: 300 toezeggingen" in output
    assert "Klaar in" in output
    assert f'"{COMMON_WORD}"' in output


def test_every_table_is_filled_and_consistent(filled):
    assert count(Commitment) == COUNT
    assert count(Ministry) == len(benchvocabulary.MINISTRIES)
    assert {code for code, in db.session.execute(sa.select(Ministry.code))} >= {
        "AZ", "BZ", "BZK", "Defensie", "EZ", "FIN", "IenW", "JenV", "KGG", "LNV", "OCW", "SZW",
        "VWS", "VRO", "AenM",
    }  # fmt: skip
    for name in ("committee", "official", "user_account", "document", "activity"):
        assert rows(name), name
    promises = db.session.scalars(sa.select(Commitment)).all()
    events = Counter(db.session.scalars(sa.select(CommitmentEvent.commitment_id)))
    created = db.session.scalars(
        sa.select(CommitmentEvent.commitment_id).where(CommitmentEvent.kind == EventKind.CREATED)
    ).all()
    assert sorted(created) == sorted(promise.id for promise in promises)
    for promise in promises:
        assert FIRST_DAY <= promise.made_on <= LAST_DAY
        assert re.fullmatch(rf"TZ-{promise.made_on.year}-\d{{4}}", promise.number)
        assert promise.version == events[promise.id]  # one version per change, as services do
        if promise.owner is not None:
            assert promise.owner.ministry_id == promise.ministry_id
        if promise.responsible_official is not None:
            assert promise.responsible_official.ministry_id == promise.ministry_id
        if promise.status in {CommitmentStatus.FULFILLED, CommitmentStatus.PARTIALLY_FULFILLED}:
            assert promise.fulfilled_by is not None
            assert promise.made_on <= promise.fulfilled_on < STATUS_DAY
        else:
            assert promise.fulfilled_by is None
            assert promise.fulfilled_on is None
        history = queries.history(promise)
        assert history[0].kind is EventKind.CREATED
        assert [e.occurred_at for e in history] == sorted(e.occurred_at for e in history)
        assert promise.updated_at == history[-1].occurred_at
    for document in db.session.scalars(sa.select(Document)):
        if document.kamerstuk_id:
            assert Document.parse_kamerstuk_id(document.kamerstuk_id) == (
                document.dossier_number,
                document.ondernummer,
            )


def test_deadline_phrases_mean_the_dates_the_register_would_give_them(filled):
    """Where the minister's words name a period and the deadline was never moved, the date is
    the one app/register/deadlines.py gives those words on the day the promise was made."""
    moved = set(
        db.session.scalars(
            sa.select(CommitmentEvent.commitment_id).where(
                CommitmentEvent.kind == EventKind.DEADLINE_CHANGED
            )
        )
    )
    checked = 0
    for promise in db.session.scalars(sa.select(Commitment)):
        if promise.id in moved or not promise.deadline_phrase:
            continue
        if promise.deadline_phrase in benchvocabulary.VAGUE_PHRASES:
            continue
        assert promise.deadline_phrase in promise.text
        assert resolve_phrase(promise.deadline_phrase, promise.made_on) == promise.deadline
        checked += 1
    assert checked > COUNT // 3


def search_words(promise: Commitment) -> str:
    """The longest word of its title and of its text: both must be in the index to match."""
    return f"{max(query_words(promise.title), key=len)} {max(query_words(promise.text), key=len)}"


def test_every_promise_is_found_by_the_apps_search(filled):
    """Title and text are in the search index for every promise: the list's search query finds
    each by its longest words, and the list page does so for a sample."""
    today = STATUS_DAY  # the filters only use it for "te laat", which is not asked here
    promises = db.session.scalars(sa.select(Commitment).order_by(Commitment.id)).all()
    for promise in promises:
        query = queries.commitments_query(CommitmentFilter(search=search_words(promise)), today)
        assert promise.number in db.session.scalars(query.with_only_columns(Commitment.number))
    if db.engine.dialect.name == "sqlite":  # the FTS5 index agrees with the table, row by row
        check = "INSERT INTO commitment_fts(commitment_fts) VALUES ('integrity-check')"
        db.session.execute(sa.text(check))
    filled.test_client_class = RequestIsolatingClient
    client = filled.test_client()
    for promise in promises[:: COUNT // 10]:
        pages = []
        for page in range(1, COUNT // 25 + 2):
            response = client.get(
                "/toezeggingen", query_string={"q": search_words(promise), "page": page}
            )
            assert response.status_code == 200
            pages.append(response.get_data(as_text=True))
            if promise.number in pages[-1] or "TZ-" not in pages[-1]:
                break
        assert promise.number in pages[-1], search_words(promise)


def test_the_common_word_is_common_and_most_words_are_rare():
    """Zipf-like: one content word in about a third of the promises, most words in few."""
    generator = Generator(3_000, SEED)
    generator.reference()
    texts = [
        f"{row['title']} {row['text']}".lower()
        for batch in generator.batches()
        for row in batch.rows["commitment"]
    ]
    share = sum(COMMON_WORD in text for text in texts) / len(texts)
    assert 0.25 <= share <= 0.45
    frequency = Counter(word for text in texts for word in set(query_words(text)))
    rare = [word for word, number in frequency.items() if number < len(texts) / 100]
    assert len(rare) > len(frequency) / 2
    assert frequency.most_common(1)[0][1] > len(texts) / 2  # "kamer", "informeren" …


def test_statuses_follow_age_in_roughly_the_intended_shares():
    generator = Generator(6_000, SEED)
    generator.reference()
    promises = [row for batch in generator.batches() for row in batch.rows["commitment"]]
    shares = Counter(row["status"] for row in promises)
    assert shares["fulfilled"] / len(promises) > 0.65
    assert 0.015 < shares["withdrawn"] / len(promises) < 0.07
    assert 0.015 < shares["partially_fulfilled"] / len(promises) < 0.07
    old = [row for row in promises if row["made_on"] < STATUS_DAY - dt.timedelta(days=5 * 365)]
    recent = [row for row in promises if row["made_on"] > STATUS_DAY - dt.timedelta(days=365)]
    assert sum(row["status"] == "fulfilled" for row in old) / len(old) > 0.8
    assert sum(row["status"] == "open" for row in recent) / len(recent) > 0.4
    overdue = [
        row
        for row in promises
        if row["status"] == "open" and row["deadline"] and row["deadline"] < STATUS_DAY
    ]
    assert 0.02 < len(overdue) / len(promises) < 0.2


def test_the_statuses_in_the_database_are_those_shares(filled):
    shares = queries.status_counts()
    assert sum(shares.values()) == COUNT
    assert shares[CommitmentStatus.FULFILLED] > COUNT / 2
    assert shares[CommitmentStatus.OPEN] > 0


def test_the_tallies_count_what_the_load_wrote(filled):
    """The bulk load goes past the services; the database's triggers kept the tallies."""
    assert_tallies_exact()


def test_numbers_continue_where_the_data_ends(filled):
    """The per-year sequence is written, so the service numbers on; ids go on too."""
    sequence = dict(rows("commitment_number_sequence"))
    per_year = Counter(
        promise.made_on.year for promise in db.session.scalars(sa.select(Commitment))
    )
    assert sequence == dict(per_year)
    jenv = db.session.scalars(sa.select(Ministry).where(Ministry.code == "JenV")).one()
    try:
        new = services.create_commitment(
            title="Nieuw", text="Ik zal uw Kamer informeren.", made_on=dt.date(2019, 5, 1),
            ministry=jenv,
        )  # fmt: skip
        assert new.number == f"TZ-2019-{per_year[2019] + 1:04d}"
        assert new.id == COUNT + 1
        later = services.create_commitment(
            title="Nieuw", text="Nog een.", made_on=dt.date(2031, 1, 2), ministry=jenv
        )
        assert later.number == "TZ-2031-0001"
        document = services.register_document("99999, nr. 1", title="Brief", date=None)
        assert document.id == count(Document)
    finally:
        db.session.rollback()


def test_the_same_seed_gives_the_same_register(filled, backend, tmp_path):
    expected = {
        name: rows(name, leave_out=("session_token",))
        for name in ("commitment", "commitment_event", "document", "activity", "user_account")
    }
    again = fresh_app(backend, tmp_path, "bench_data_b")
    try:
        assert bench_data(again, "--count", str(COUNT), "--seed", str(SEED)).exit_code == 0
        with again.app_context():
            for name, table_rows in expected.items():
                assert rows(name, leave_out=("session_token",)) == table_rows, name
    finally:
        dispose(again)


def test_another_seed_gives_another_register():
    def texts(seed: int) -> list[str]:
        generator = Generator(50, seed)
        generator.reference()
        return [row["text"] for batch in generator.batches() for row in batch.rows["commitment"]]

    assert texts(1) == texts(1)
    assert texts(1) != texts(2)


def test_a_database_with_rows_is_refused_in_one_line(filled):
    result = bench_data(filled, "--count", "10")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("De database is niet leeg (ministry: 15")
    assert "Traceback" not in result.output
    assert count(Commitment) == COUNT


def test_an_unmigrated_database_is_refused(backend, tmp_path):
    empty = fresh_app(backend, tmp_path, "bench_data_empty", migrate=False)
    try:
        result = bench_data(empty, "--count", "10")
        assert result.exit_code == 1
        assert result.output.strip().splitlines()[-1] == (
            "De database heeft nog geen tabellen: voer eerst `flask db upgrade` uit."
        )
    finally:
        dispose(empty)
