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
            {"name": official.name, "function": official.function} if official else None
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


class FileRows:
    """:func:`commitment_to_json` for rows read without the ORM (``queries.export_rows``), as
    the files need them: the same keys and values for everything a file column shows, made
    fast enough for the whole register (status labels and the link template are made once)."""

    def __init__(self, *, today: dt.date) -> None:
        self.today = today
        self.status_labels = {status: status.label for status in CommitmentStatus}
        self.detail_url = absolute_url_maker("public.commitment_detail", "number")

    def __call__(self, row: ExportRow) -> dict[str, Any]:
        fulfilled_by = kamerstuk_id(row.fulfilled_by_dossier_number, row.fulfilled_by_ondernummer)
        return {
            "number": row.number,
            "kamer_number": row.kamer_number,
            "title": row.title,
            "text": row.text,
            "status": row.status.value,
            "status_label": self.status_labels[row.status],
            "overdue": is_overdue(row.status, row.deadline, self.today),
            "deadline": _iso(row.deadline),
            "deadline_phrase": row.deadline_phrase,
            "made_on": _iso(row.made_on),
            "ministry": {"code": row.ministry_code},
            "responsible": (
                {"name": row.official_name, "function": row.official_function}
                if row.official_name is not None
                else None
            ),
            "requested_by": row.requested_by,
            "source": (
                {
                    "id": kamerstuk_id(row.source_dossier_number, row.source_ondernummer),
                    "title": row.source_title,
                }
                if row.source_title is not None
                else None
            ),
            "fulfilled_by": fulfilled_by or row.fulfilled_by_title,
            "fulfilled_on": _iso(row.fulfilled_on),
            "committee": row.committee_name,
            "url": self.detail_url(row.number),
        }
