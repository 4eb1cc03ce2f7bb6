"""A promise as JSON (DESIGN §6): the one shape the API and the exports share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.register.models import Commitment, Document
from app.urls import absolute_url


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
