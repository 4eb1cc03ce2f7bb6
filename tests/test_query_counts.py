"""List, detail and overview pages issue the same small number of SQL statements whether the
register holds 10 promises or 1,000 (no query per row)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import sqlalchemy as sa

from app.extensions import db
from app.register.models import Commitment, CommitmentStatus, Document, Ministry, Official

PAGES = [
    "/",
    "/toezeggingen",
    "/toezeggingen?status=open&te_laat=1&sorteer=-gedaan_op",
    "/toezeggingen?q=hervestiging",
    "/toezeggingen/TZ-2000-0001",
    "/api/v1/commitments?per_page=100",
]
MOST_STATEMENTS = 12
#: The test's own transaction handling, not the page's queries.
BOOKKEEPING = ("SAVEPOINT", "RELEASE", "ROLLBACK")


def add_commitments(count: int) -> None:
    """Bulk-insert promises spread over ministries, officials, statuses and deadlines."""
    ministries = [Ministry(code=f"M{i}", name=f"Ministerie {i}") for i in range(5)]
    db.session.add_all(ministries)
    db.session.flush()
    officials = [
        Official(name=f"Minister {m.code}", function="Minister", ministry=m) for m in ministries
    ]
    document = Document(dossier_number="32 735", ondernummer="243", title="Brief")
    db.session.add_all([*officials, document])
    db.session.flush()
    statuses = list(CommitmentStatus)
    now = dt.datetime.now(dt.UTC)
    db.session.execute(
        sa.insert(Commitment),
        [
            {
                "number": f"TZ-2000-{index + 1:04d}",
                "title": f"Hervestigingsmissie {index}",
                "text": f"Een nieuwe hervestigingsmissie nummer {index}.",
                "made_on": dt.date(2000, 1, 1) + dt.timedelta(days=index % 300),
                "ministry_id": ministries[index % 5].id,
                "responsible_official_id": officials[index % 5].id,
                "source_document_id": document.id,
                "fulfilled_by_id": document.id if index % 4 == 2 else None,
                "status": statuses[index % 4],
                "deadline": dt.date(2000, 6, 1) + dt.timedelta(days=index % 900),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for index in range(count)
        ],
    )
    db.session.commit()


@contextmanager
def counted():
    engine = db.engines[None].engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def statement_counts(client) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        client.get(url)  # warm up caches that are not per request (the page cache is off)
        with counted() as statements:
            assert client.get(url).status_code == 200, url
        counts[url] = len(
            [
                s
                for s in statements
                if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
            ]
        )
    return counts


def test_statement_count_does_not_grow_with_the_register(app, client, no_page_cache):
    add_commitments(10)
    small_counts = statement_counts(client)
    for model in (Commitment, Official, Ministry, Document):
        db.session.execute(sa.delete(model))
    db.session.commit()
    add_commitments(1000)
    large_counts = statement_counts(client)
    assert large_counts == small_counts
    assert max(small_counts.values()) <= MOST_STATEMENTS, small_counts
