"""The overview counts from tallies the database keeps (per ministry and status, and of the
outstanding promises per ministry and deadline month): after every kind of change they equal a
fresh count of the promises themselves, and the register's version has moved."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.register import clock, queries, services
from app.register.models import (
    OUTSTANDING_STATUSES,
    Commitment,
    CommitmentDeadlineTally,
    CommitmentEvent,
    CommitmentStatus,
    Ministry,
)

TODAY = dt.date(2026, 11, 26)


def fresh_counts() -> dict[tuple[int, CommitmentStatus], int]:
    rows = db.session.execute(
        sa.select(Commitment.ministry_id, Commitment.status, sa.func.count())
        .where(Commitment.hidden.is_(False))  # hidden promises are counted nowhere
        .group_by(Commitment.ministry_id, Commitment.status)
    )
    return {(ministry_id, status): count for ministry_id, status, count in rows}


def fresh_deadline_counts() -> dict[tuple[int, dt.date], int]:
    """The outstanding, visible promises with a deadline per ministry and deadline month."""
    counts: dict[tuple[int, dt.date], int] = {}
    for ministry_id, deadline in db.session.execute(
        sa.select(Commitment.ministry_id, Commitment.deadline).where(
            Commitment.status.in_(OUTSTANDING_STATUSES),
            Commitment.hidden.is_(False),
            Commitment.deadline.is_not(None),
        )
    ):
        key = (ministry_id, deadline.replace(day=1))
        counts[key] = counts.get(key, 0) + 1
    return counts


def assert_deadline_tallies_exact() -> None:
    rows = db.session.execute(
        sa.select(
            CommitmentDeadlineTally.ministry_id,
            CommitmentDeadlineTally.month,
            CommitmentDeadlineTally.total,
        )
    ).all()
    assert all(total >= 0 and month.day == 1 for _ministry, month, total in rows)
    kept = {(ministry_id, month): total for ministry_id, month, total in rows if total}
    assert kept == fresh_deadline_counts()


def assert_tallies_exact(today: dt.date = TODAY) -> None:
    assert_deadline_tallies_exact()
    fresh = fresh_counts()
    by_status = dict.fromkeys(CommitmentStatus, 0)
    for (_ministry, status), count in fresh.items():
        by_status[status] += count
    assert queries.status_counts() == by_status
    overdue = {
        ministry_id: count
        for ministry_id, count in db.session.execute(
            sa.select(Commitment.ministry_id, sa.func.count())
            .where(queries.overdue_clause(today), Commitment.hidden.is_(False))
            .group_by(Commitment.ministry_id)
        )
    }
    expected = []
    for ministry in db.session.scalars(sa.select(Ministry).order_by(Ministry.code)):
        counts = {status: fresh.get((ministry.id, status), 0) for status in CommitmentStatus}
        if not any(counts.values()):
            continue
        late = overdue.get(ministry.id, 0)
        outstanding = counts[CommitmentStatus.OPEN] + counts[CommitmentStatus.PARTIALLY_FULFILLED]
        expected.append(
            queries.MinistryTally(
                ministry.code,
                ministry.name,
                outstanding - late,
                late,
                counts[CommitmentStatus.FULFILLED],
            )
        )
    assert queries.tally_by_ministry(today) == expected


def remove(promise: Commitment) -> None:
    """Deleting is not something the register offers; a database administrator might."""
    db.session.execute(
        sa.delete(CommitmentEvent).where(CommitmentEvent.commitment_id == promise.id)
    )
    db.session.execute(sa.delete(Commitment).where(Commitment.id == promise.id))


@pytest.fixture
def two_ministries(create_ministry) -> tuple[Ministry, Ministry]:
    return create_ministry(code="JenV", name="Justitie en Veiligheid"), create_ministry(
        code="BZ", name="Buitenlandse Zaken"
    )


def test_every_kind_of_change_keeps_the_counts_exact(
    app, create_commitment, create_document, two_ministries
):
    jenv, bz = two_ministries
    assert_tallies_exact()
    promises = [
        create_commitment(ministry=jenv, deadline=dt.date(2026, 1, 1)),
        create_commitment(ministry=jenv, deadline=dt.date(2027, 1, 1)),
        create_commitment(ministry=bz),
        create_commitment(ministry=bz, deadline=dt.date(2025, 5, 1)),
    ]
    db.session.flush()
    assert_tallies_exact()
    steps = [
        lambda: services.change_status(
            promises[0], CommitmentStatus.PARTIALLY_FULFILLED, note="Deels."
        ),
        lambda: services.mark_fulfilled(
            promises[1], create_document(), fulfilled_on=dt.date(2026, 3, 1), note="Brief."
        ),
        lambda: services.change_status(promises[2], CommitmentStatus.WITHDRAWN, note="Vervallen."),
        lambda: services.update_commitment(promises[3], {"ministry": jenv}),
        lambda: services.update_commitment(promises[0], {"title": "Alleen de titel"}),
        # Deadlines move within a month, to another month and year, away and back.
        lambda: services.update_commitment(promises[0], {"deadline": dt.date(2026, 1, 31)}),
        lambda: services.update_commitment(promises[0], {"deadline": dt.date(2025, 12, 31)}),
        lambda: services.update_commitment(promises[2], {"deadline": dt.date(2026, 11, 3)}),
        lambda: services.update_commitment(promises[0], {"deadline": None}),
        lambda: services.update_commitment(promises[0], {"deadline": dt.date(2026, 11, 30)}),
        lambda: db.session.execute(
            sa.update(Commitment).values(deadline=dt.date(2026, 10, 15))
        ),  # many rows to one month in one statement
        lambda: db.session.execute(
            sa.update(Commitment)
            .where(Commitment.id.in_([promises[0].id, promises[1].id]))
            .values(deadline=dt.date(2026, 1, 1), ministry_id=bz.id)
        ),  # deadline and ministry at once
        lambda: services.update_commitment(promises[0], {"ministry": jenv}),
        lambda: services.change_status(promises[1], CommitmentStatus.OPEN, note="Heropend."),
        # Hidden promises (deleted by the Kamer) count nowhere, whatever happens to them.
        lambda: services.set_hidden(promises[3], True, note="Verwijderd door de Kamer."),
        lambda: services.change_status(promises[3], CommitmentStatus.FULFILLED, note="Ja."),
        lambda: services.update_commitment(promises[3], {"ministry": bz}),
        lambda: services.set_hidden(promises[3], False, note="Terug."),
        lambda: db.session.execute(sa.update(Commitment).values(hidden=True)),
        lambda: db.session.execute(sa.update(Commitment).values(hidden=False)),
        lambda: services.set_hidden(promises[0], True, note="Weg."),
        lambda: db.session.execute(
            sa.update(Commitment).values(status=CommitmentStatus.FULFILLED)
        ),  # many rows in one statement
        lambda: remove(promises[2]),
        lambda: remove(promises[0]),  # a hidden one
    ]
    for step in steps:
        version = queries.register_version()
        step()
        db.session.flush()
        db.session.expire_all()
        assert_tallies_exact()
        assert queries.register_version() != version


def test_the_overdue_counts_equal_a_direct_count_on_any_day(app, create_commitment, two_ministries):
    """Past months come from the deadline tallies, this month's days before today from the
    table: every day of the month, its first and last included, counts as a direct count."""
    jenv, bz = two_ministries
    for ministry, deadline, status, hidden in [
        (jenv, dt.date(2026, 10, 31), CommitmentStatus.OPEN, False),
        (jenv, dt.date(2026, 11, 1), CommitmentStatus.OPEN, False),
        (jenv, dt.date(2026, 11, 14), CommitmentStatus.PARTIALLY_FULFILLED, False),
        (jenv, dt.date(2026, 11, 15), CommitmentStatus.OPEN, False),
        (jenv, dt.date(2026, 11, 16), CommitmentStatus.OPEN, False),
        (jenv, dt.date(2026, 11, 30), CommitmentStatus.OPEN, False),
        (jenv, dt.date(2026, 12, 1), CommitmentStatus.OPEN, False),
        (jenv, dt.date(2026, 11, 2), CommitmentStatus.OPEN, True),
        (jenv, dt.date(2026, 11, 2), CommitmentStatus.FULFILLED, False),
        (jenv, None, CommitmentStatus.OPEN, False),
        (bz, dt.date(2019, 2, 28), CommitmentStatus.OPEN, False),
        (bz, dt.date(2026, 11, 10), CommitmentStatus.WITHDRAWN, False),
        (bz, dt.date(2026, 11, 10), CommitmentStatus.PARTIALLY_FULFILLED, False),
    ]:
        promise = create_commitment(ministry=ministry, deadline=deadline, status=status)
        promise.hidden = hidden
    db.session.flush()
    for day in [*(dt.date(2026, 11, d) for d in range(1, 31)), dt.date(2026, 12, 1)]:
        assert_tallies_exact(day)
    overdue = {tally.code: tally.overdue for tally in queries.tally_by_ministry(TODAY)}
    assert overdue == {"BZ": 2, "JenV": 5}


def test_a_rolled_back_change_leaves_the_counts_as_they_were(
    app, create_commitment, two_ministries
):
    jenv, _bz = two_ministries
    promise = create_commitment(ministry=jenv)
    db.session.commit()
    version = queries.register_version()
    services.change_status(promise, CommitmentStatus.FULFILLED, note="Voldaan.")
    db.session.rollback()
    assert queries.register_version() == version
    assert_tallies_exact()


# The counts a list shows ------------------------------------------------------------------


def test_list_counts_agree_with_a_fresh_count_for_every_kind_of_filter(client, app):
    from tests.test_query_counts import add_commitments

    add_commitments(60)
    two = db.session.scalars(sa.select(Ministry.id).where(Ministry.code.in_(["M1", "M2"]))).all()
    open_or_fulfilled = [CommitmentStatus.OPEN, CommitmentStatus.FULFILLED]
    today = clock.today()  # the register's own day, as the pages reckon overdue
    cases = [  # (page query, API query, what the promises counted satisfy)
        ("", "", []),
        ("status=open", "status=open", [Commitment.status == CommitmentStatus.OPEN]),
        (
            "status=open,fulfilled&ministerie=M1,M2",
            "status=open,fulfilled&ministry=M1,M2",
            [Commitment.status.in_(open_or_fulfilled), Commitment.ministry_id.in_(two)],
        ),
        ("te_laat=1", "overdue=1", [queries.overdue_clause(today)]),
        ("q=hervestigingsmissie", "q=hervestigingsmissie", []),
    ]
    for page_query, api_query, where in cases:
        counted = sa.select(sa.func.count()).select_from(Commitment).where(*where)
        expected = db.session.scalar(counted)
        page = client.get(f"/toezeggingen?{page_query}").get_data(as_text=True)
        assert f"{expected} toezeggingen" in page, page_query
        assert client.get(f"/api/v1/commitments?{api_query}").json["total"] == expected


def test_a_search_stops_counting_past_a_thousand(client, app, monkeypatch):
    from tests.test_query_counts import add_commitments

    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 40)
    add_commitments(60)  # every one of them a "hervestigingsmissie"
    page = client.get("/toezeggingen?q=hervestigingsmissie").get_data(as_text=True)
    assert "Meer dan 40 toezeggingen" in page
    assert " van " not in page.split('class="result-count">')[1].split("</p>")[0]
    assert 'rel="next"' in page  # the pages go on past the count
    body = client.get("/api/v1/commitments?q=hervestigingsmissie").json
    assert (body["total"], body["total_complete"]) == (40, False)
    exact = client.get("/api/v1/commitments?q=hervestigingsmissie%2059").json
    assert (body["total"] > exact["total"], exact["total_complete"]) == (True, True)
