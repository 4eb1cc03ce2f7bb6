"""A promise as JSON (DESIGN §6): the one shape the API and the exports share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.register.models import (
    Commitment,
    CommitmentStatus,
    Document,
    is_overdue,
    kamerstuk_id,
)
from app.register.queries import ExportRow
from app.urls import absolute_url, absolute_url_maker


def commitment_to_json(
    commitment: Commitment, *, today: dt.date, for_staff: bool = False
) -> dict[str, Any]:
    """The promise as the API shows it. Civil servants (the owner) are named only ``for_staff``:
    the public sees the minister and the ministry, as in the Kamer's own register."""
    ministry = commitment.ministry
    official = commitment.responsible_official
    owner = commitment.owner
    return {
        "number": commitment.number,
        "kamer_number": commitment.kamer_number,
        "title": commitment.title,
        "text": commitment.text,
        "status": commitment.status.value,
        "status_label": str(commitment.status.label),
        "kamer_status": commitment.kamer_status,
        "overdue": commitment.is_overdue(today),
        "deadline": _iso(commitment.deadline),
        "deadline_phrase": commitment.deadline_phrase,
        "made_on": _iso(commitment.made_on),
        "ministry": {"code": ministry.code, "name": ministry.name},
        "responsible": (
            {"id": official.id, "name": official.name, "function": official.function}
            if official
            else None
        ),
        "owner": {"name": owner.name, "email": owner.email} if owner and for_staff else None,
        "requested_by": commitment.requested_by,
        "source": _document(commitment.source_document),
        "fulfilled_by": (
            commitment.fulfilled_by.kamerstuk_id or commitment.fulfilled_by.title
            if commitment.fulfilled_by
            else None
        ),
        "fulfilled_on": _iso(commitment.fulfilled_on),
        "committee": commitment.committee.name if commitment.committee else None,
        "committee_id": commitment.committee_id,
        "updated_at": commitment.updated_at.isoformat(),
        "url": absolute_url("public.commitment_detail", number=commitment.number),
    }


def _document(document: Document | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return {
        "id": document.kamerstuk_id,
        "label": document.kamerstuk_label,
        "kind": document.kind.value,
        "title": document.title,
        "date": _iso(document.date),
        "url": document.link,
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class FileValues:
    """What :func:`commitment_to_json` derives, for rows read without the ORM
    (``queries.export_rows``): status label, "te laat", Kamerstuk ids and the link, made fast
    enough for a file of the whole register (labels and the link template are made once)."""

    def __init__(self, *, today: dt.date) -> None:
        self.today = today
        self.status_labels = {status: status.label for status in CommitmentStatus}
        self.detail_url = absolute_url_maker("public.commitment_detail", "number")

    def status_label(self, row: ExportRow) -> str:
        return self.status_labels[row.status]

    def overdue(self, row: ExportRow) -> bool:
        return is_overdue(row.status, row.deadline, self.today)

    def url(self, row: ExportRow) -> str:
        return self.detail_url(row.number)

    @staticmethod
    def source(row: ExportRow) -> str | None:
        """The source document's Kamerstuk id, else its title (the API's ``source``)."""
        found = kamerstuk_id(row.source_dossier_number, row.source_ondernummer)
        return found or row.source_title

    @staticmethod
    def fulfilled_by(row: ExportRow) -> str | None:
        """The API's ``fulfilled_by``: the letter's Kamerstuk id, else its title."""
        found = kamerstuk_id(row.fulfilled_by_dossier_number, row.fulfilled_by_ondernummer)
        return found or row.fulfilled_by_title
