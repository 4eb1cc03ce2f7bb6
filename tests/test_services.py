"""Every change to a promise goes through app.register.services and leaves a history event."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.register import services
from app.register.models import CommitmentEvent, CommitmentStatus, EventKind


def events_of(commitment) -> list[CommitmentEvent]:
    return list(db.session.scalars(commitment.events.select()))


def test_numbers_count_up_per_year_of_the_promise(create_commitment):
    first = create_commitment(made_on=dt.date(2019, 3, 7))
    second = create_commitment(made_on=dt.date(2019, 4, 11))
    other_year = create_commitment(made_on=dt.date(2020, 1, 15))
    assert (first.number, second.number, other_year.number) == (
        "TZ-2019-0001",
        "TZ-2019-0002",
        "TZ-2020-0001",
    )


def test_creating_writes_the_first_history_event(create_commitment, create_user):
    clerk = create_user(name="Fatima el Amrani")
    commitment = create_commitment(
        title="Brief over hervestiging",
        deadline=dt.date(2019, 6, 30),
        deadline_phrase="eerste helft van 2019",
        actor=clerk,
        note="Uit het commissiedebat.",
    )
    [event] = events_of(commitment)
    assert event.kind is EventKind.CREATED
    assert event.actor_name == "Fatima el Amrani"
    assert event.note == "Uit het commissiedebat."
    assert {"field": "deadline", "old": None, "new": "2019-06-30"} in event.changes
    assert commitment.version == 1
    assert commitment.created_at.tzinfo is not None


def test_update_records_old_and_new_values(create_commitment, create_user, create_committee):
    commitment = create_commitment(title="Oude titel")
    clerk = create_user(name="Jan de Vries")
    committee = create_committee()
    event = services.update_commitment(
        commitment,
        {"title": "Nieuwe titel", "committee": committee, "requested_by": "Kuiken (PvdA)"},
        actor=clerk,
        note="Titel verduidelijkt.",
    )
    db.session.commit()
    assert event is not None
    assert event.kind is EventKind.UPDATED
    assert event.actor_name == "Jan de Vries"
    assert event.changes == [
        {"field": "title", "old": "Oude titel", "new": "Nieuwe titel"},
        {"field": "committee", "old": None, "new": "Vaste commissie voor Justitie en Veiligheid"},
        {"field": "requested_by", "old": None, "new": "Kuiken (PvdA)"},
    ]
    assert commitment.version == 2


def test_update_without_a_change_writes_no_event(create_commitment):
    commitment = create_commitment(title="Gelijk")
    assert services.update_commitment(commitment, {"title": "Gelijk"}) is None
    assert len(events_of(commitment)) == 1


def test_status_and_deadline_cannot_be_changed_as_ordinary_fields(create_commitment):
    commitment = create_commitment()
    with pytest.raises(TypeError, match="status"):
        services.update_commitment(commitment, {"status": CommitmentStatus.FULFILLED})


def test_status_change_requires_a_note(create_commitment):
    commitment = create_commitment()
    with pytest.raises(services.CommitmentRuleError, match="toelichting"):
        services.change_status(commitment, CommitmentStatus.WITHDRAWN, note="  ")
    assert commitment.status is CommitmentStatus.OPEN


def test_status_change_keeps_the_kamer_wording(create_commitment):
    commitment = create_commitment()
    event = services.change_status(
        commitment,
        CommitmentStatus.WITHDRAWN,
        note="Vervallen door de val van het kabinet.",
        kamer_status="Niet nagekomen",
    )
    assert commitment.status is CommitmentStatus.WITHDRAWN
    assert commitment.kamer_status == "Niet nagekomen"
    assert event.kind is EventKind.STATUS_CHANGED
    assert {"field": "status", "old": "open", "new": "withdrawn"} in event.changes


def test_deadline_change_keeps_the_old_deadline_in_history(create_commitment):
    commitment = create_commitment(deadline=dt.date(2019, 6, 30), deadline_phrase="voor de zomer")
    event = services.change_deadline(
        commitment, dt.date(2019, 12, 31), "voor het einde van het jaar", note="Rappel EK."
    )
    assert event.kind is EventKind.DEADLINE_CHANGED
    assert event.changes == [
        {"field": "deadline", "old": "2019-06-30", "new": "2019-12-31"},
        {"field": "deadline_phrase", "old": "voor de zomer", "new": "voor het einde van het jaar"},
    ]


def test_fulfilling_records_the_letter_and_its_date(create_commitment, create_document):
    commitment = create_commitment(made_on=dt.date(2019, 3, 7))
    letter = create_document("kst-32735-243", date=dt.date(2019, 4, 11))
    event = services.mark_fulfilled(commitment, letter)
    assert commitment.status is CommitmentStatus.FULFILLED
    assert commitment.fulfilled_by is letter
    assert commitment.fulfilled_on == dt.date(2019, 4, 11)
    assert event.kind is EventKind.FULFILLED
    assert {"field": "fulfilled_by", "old": None, "new": "32 735, nr. 243"} in event.changes


def test_partial_fulfilment_keeps_the_promise_outstanding(create_commitment, create_document):
    commitment = create_commitment()
    services.mark_fulfilled(commitment, create_document(), partially=True)
    assert commitment.status is CommitmentStatus.PARTIALLY_FULFILLED
    assert commitment.status.is_outstanding


def test_a_letter_cannot_fulfil_a_promise_made_after_it(create_commitment, create_document):
    commitment = create_commitment(made_on=dt.date(2020, 1, 1))
    with pytest.raises(services.CommitmentRuleError, match="vóór"):
        services.mark_fulfilled(commitment, create_document(date=dt.date(2019, 4, 11)))


def test_withdrawing_clears_the_fulfilling_letter(create_commitment, create_document):
    commitment = create_commitment()
    services.mark_fulfilled(commitment, create_document())
    services.change_status(commitment, CommitmentStatus.WITHDRAWN, note="Toch niet voldaan.")
    assert commitment.fulfilled_by is None
    assert commitment.fulfilled_on is None


def test_a_change_based_on_an_old_version_is_refused(create_commitment):
    commitment = create_commitment(title="Eerste")
    services.update_commitment(commitment, {"title": "Tweede"})
    db.session.flush()
    assert commitment.version == 2
    with pytest.raises(services.StaleCommitmentError, match="gewijzigd door iemand anders"):
        services.update_commitment(commitment, {"title": "Derde"}, expected_version=1)
    assert commitment.title == "Tweede"


def test_a_concurrent_write_is_caught_by_the_version_column(app, create_commitment):
    commitment = create_commitment(title="Eerste")
    db.session.commit()
    # Another process changes the row behind this session's back.
    db.session.execute(
        sa.text("UPDATE commitment SET title = 'Van elders', version = version + 1 WHERE id = :id"),
        {"id": commitment.id},
    )
    with pytest.raises(services.StaleCommitmentError):
        services.update_commitment(commitment, {"title": "Van hier"})


def test_history_is_in_order_and_hides_internal_fields(create_commitment, create_user):
    commitment = create_commitment()
    services.update_commitment(
        commitment, {"internal_note": "Let op: gevoelig", "owner": create_user()}
    )
    services.change_status(commitment, CommitmentStatus.WITHDRAWN, note="Vervallen.")
    events = events_of(commitment)
    assert [event.kind for event in events] == [
        EventKind.CREATED,
        EventKind.UPDATED,
        EventKind.STATUS_CHANGED,
    ]
    assert events[1].public_changes() == []


def test_an_edit_that_moves_the_deadline_is_announced_once(create_commitment):
    from app.register.signals import commitment_changed

    commitment = create_commitment()
    announced: list[CommitmentEvent] = []

    def listener(event: CommitmentEvent, **_extra: object) -> None:
        announced.append(event)

    with commitment_changed.connected_to(listener):
        services.update_commitment(
            commitment,
            {
                "title": "Nieuwe titel",
                "deadline": dt.date(2019, 12, 31),
                "deadline_phrase": "eind 2019",
            },
        )
        services.update_commitment(commitment, {"title": "Alleen de titel"})

    assert len(announced) == 1
    assert announced[0].kind is EventKind.UPDATED
    assert {change["field"] for change in announced[0].changes} == {
        "title",
        "deadline",
        "deadline_phrase",
    }
