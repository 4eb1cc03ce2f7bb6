"""A promise as JSON (DESIGN §6): the one shape the API and the exports share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import get_translations
from flask_babel import gettext as _

from app.register.models import (
    Activity,
    Commitment,
    CommitmentStatus,
    Document,
    is_overdue,
    kamerstuk_label,
)
from app.register.queries import (
    ExportRow,
    PublishedActivity,
    PublishedCommitment,
    PublishedDocument,
)
from app.urls import absolute_url_maker


def commitment_to_json(
    commitment: Commitment | PublishedCommitment, *, today: dt.date, for_staff: bool = False
) -> dict[str, Any]:
    """The promise as the API shows it, from the ORM or from plain rows (an API page). Civil
    servants (the owner) are named only ``for_staff``: the public sees the minister and the
    ministry, as in the Kamer's own register."""
    return CommitmentJson(today=today, for_staff=for_staff)(commitment)


class CommitmentJson:
    """:func:`commitment_to_json` for many promises in a row (a page of the API): the status
    labels, the link template and the reader's rights are found once, not once a promise."""

    def __init__(self, *, today: dt.date, for_staff: bool) -> None:
        self.today = today
        self.for_staff = for_staff
        self.status_labels = {status: str(status.label) for status in CommitmentStatus}
        self.detail_url = absolute_url_maker("public.commitment_detail", "number")

    def __call__(self, commitment: Commitment | PublishedCommitment) -> dict[str, Any]:
        ministry = commitment.ministry
        official = commitment.responsible_official
        owner = commitment.owner
        return {
            "number": commitment.number,
            "kamer_number": commitment.kamer_number,
            "title": commitment.title,
            "text": commitment.text,
            "status": commitment.status.value,
            "status_label": self.status_labels[commitment.status],
            "kamer_status": commitment.kamer_status,
            "overdue": commitment.is_overdue(self.today),
            "deadline": _iso(commitment.deadline),
            "deadline_phrase": commitment.deadline_phrase,
            "made_on": _iso(commitment.made_on),
            "ministry": {"code": ministry.code, "name": ministry.name},
            "responsible": (
                {"id": official.id, "name": official.name, "function": official.function}
                if official
                else None
            ),
            "owner": (
                {"name": owner.name, "email": owner.email} if owner and self.for_staff else None
            ),
            "requested_by": commitment.requested_by,
            "source": _document(commitment.source_document),
            "activity": _activity(commitment.activity),
            "kamer_activity_kind": commitment.kamer_activity_kind,
            "kamer_category": commitment.kamer_category,
            "kamer_subjects": commitment.kamer_subjects,
            "fulfilled_by": (
                commitment.fulfilled_by.kamerstuk_id or commitment.fulfilled_by.title
                if commitment.fulfilled_by
                else None
            ),
            "fulfilled_on": _iso(commitment.fulfilled_on),
            "committee": commitment.committee.name if commitment.committee else None,
            "committee_id": commitment.committee_id,
            "updated_at": commitment.updated_at.isoformat(),
            "url": self.detail_url(commitment.number),
        }


def _document(document: Document | PublishedDocument | None) -> dict[str, Any] | None:
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


def _activity(activity: Activity | PublishedActivity | None) -> dict[str, Any] | None:
    if activity is None:
        return None
    return {"kind": activity.kind, "title": activity.title, "date": _iso(activity.date)}


def kamerstuk_citation(label: str) -> str:
    """A Kamerstuk as people cite it, in the request's language: "Kamerstuk 32 735, nr. 243"
    (as the pages show it, _macros.html)."""
    return str(_("Kamerstuk %(label)s", label=label))


def readable_source(item: dict[str, Any]) -> str | None:
    """Where the promise was made, as the files show it: the source document ("Kamerstuk
    32 735, nr. 243", or its title outside a dossier), else the debate ("Commissiedebat:
    …"). Defined on the API's JSON, as every column of the files."""
    source, activity = item["source"], item["activity"]
    if source:
        return kamerstuk_citation(source["label"]) if source["label"] else source["title"]
    if activity:
        return f"{activity['kind']}: {activity['title']}"
    return None


def readable_fulfilment(item: dict[str, Any]) -> str | None:
    """The fulfilling letter as the files show it: "Kamerstuk 32 735, nr. 243", or its title."""
    fulfilled_by: str | None = item["fulfilled_by"]
    if fulfilled_by is None:
        return None
    try:
        dossier_number, ondernummer = Document.parse_kamerstuk_id(fulfilled_by)
    except ValueError:
        return fulfilled_by  # a letter outside a dossier: its title
    return kamerstuk_citation(kamerstuk_label(dossier_number, ondernummer) or fulfilled_by)


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
        # "Kamerstuk %(label)s" in the request's language, looked up once for the whole file.
        self.citation = str(get_translations().ugettext("Kamerstuk %(label)s"))

    def status_label(self, row: ExportRow) -> str:
        return self.status_labels[row.status]

    def overdue(self, row: ExportRow) -> bool:
        return is_overdue(row.status, row.deadline, self.today)

    def url(self, row: ExportRow) -> str:
        return self.detail_url(row.number)

    def _cited(self, dossier_number: str | None, ondernummer: str | None) -> str | None:
        label = kamerstuk_label(dossier_number, ondernummer)
        return self.citation % {"label": label} if label else None

    def source(self, row: ExportRow) -> str | None:
        """:func:`readable_source` of the row."""
        cited = self._cited(row.source_dossier_number, row.source_ondernummer)
        if cited or row.source_title:
            return cited or row.source_title
        if row.activity_kind is not None:
            return f"{row.activity_kind}: {row.activity_title}"
        return None

    def fulfilled_by(self, row: ExportRow) -> str | None:
        """:func:`readable_fulfilment` of the row."""
        cited = self._cited(row.fulfilled_by_dossier_number, row.fulfilled_by_ondernummer)
        return cited or row.fulfilled_by_title
