"""Accepting what the reader proposes: the letter becomes a Document, ticked sentences become
promises, chosen matches are marked fulfilled by it. Nothing is stored before the clerk accepts,
and accepting the same letter again adds nothing."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.auth import permissions
from app.auth.models import User
from app.extensions import db
from app.register import services
from app.register.models import Commitment, Document, DocumentKind, Ministry, Official

logger = logging.getLogger(__name__)


@dataclass
class ProposedPromise:
    sentence: str
    title: str
    deadline_phrase: str | None
    deadline: dt.date | None
    owner_id: int | None
    accept: bool


@dataclass
class ProposedFulfilment:
    sentence: str
    commitment_number: str | None


@dataclass
class AcceptReport:
    document: Document
    created: list[Commitment] = field(default_factory=list)
    already_there: list[Commitment] = field(default_factory=list)
    fulfilled: list[Commitment] = field(default_factory=list)


def existing_promise(document: Document | None, sentence: str) -> Commitment | None:
    """The promise registered earlier from this sentence of this letter, if any."""
    if document is None:
        return None
    text = " ".join(sentence.split())
    return db.session.scalars(
        sa.select(Commitment).where(
            Commitment.source_document_id == document.id, Commitment.text == text
        )
    ).first()


def accept(
    *,
    actor: User,
    kamerstuk: str,
    title: str,
    date: dt.date,
    ministry: Ministry,
    official: Official | None,
    promises: list[ProposedPromise],
    fulfilments: list[ProposedFulfilment],
) -> AcceptReport:
    """Store what the clerk accepted; flushes, never commits."""
    if not permissions.can_create_for(actor, ministry.id):
        raise services.CommitmentRuleError(
            "U mag alleen toezeggingen van uw eigen ministerie vastleggen."
        )
    document = services.find_document(kamerstuk) or services.register_document(
        kamerstuk, title=title, date=date, kind=DocumentKind.LETTER
    )
    report = AcceptReport(document)
    for proposal in promises:
        if not proposal.accept:
            continue
        earlier = existing_promise(document, proposal.sentence)
        if earlier is not None:
            report.already_there.append(earlier)
            continue
        owner = db.session.get(User, proposal.owner_id) if proposal.owner_id else None
        report.created.append(
            services.create_commitment(
                title=proposal.title or services.suggest_title(proposal.sentence),
                text=" ".join(proposal.sentence.split()),
                made_on=date,
                ministry=ministry,
                source_document=document,
                responsible_official=official,
                owner=owner if owner and owner.ministry_id == ministry.id else None,
                deadline=proposal.deadline,
                deadline_phrase=proposal.deadline_phrase,
                actor=actor,
                note="Overgenomen uit de brief.",
            )
        )
    for fulfilment in fulfilments:
        if not fulfilment.commitment_number:
            continue
        commitment = db.session.scalars(
            sa.select(Commitment).where(Commitment.number == fulfilment.commitment_number)
        ).one_or_none()
        if commitment is None or commitment.fulfilled_by_id == document.id:
            continue
        if not permissions.can_edit(actor, commitment):
            raise services.CommitmentRuleError(
                f"U mag {commitment.number} niet wijzigen: een ander ministerie."
            )
        services.mark_fulfilled(
            commitment,
            document,
            fulfilled_on=date,
            actor=actor,
            note=f"Voldaan met deze brief: “{fulfilment.sentence[:200]}”",
        )
        report.fulfilled.append(commitment)
    logger.info(
        "Letter %s accepted: %d new promises, %d fulfilled",
        document.kamerstuk_id,
        len(report.created),
        len(report.fulfilled),
    )
    return report
