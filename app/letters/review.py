"""What the reader proposes for a letter, and accepting it: the letter becomes a Document,
ticked sentences become promises, chosen matches are marked fulfilled by it. Nothing is stored
before the clerk accepts, and accepting the same letter again adds nothing."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth import permissions
from app.auth.models import User
from app.extensions import db
from app.formatting import today
from app.inputs import without_invalid_characters
from app.letters.extract import Debate, LetterMetadata, promise_title, read_letter
from app.letters.rules import load_rules
from app.register import notes, queries, services
from app.register.deadlines import resolve_phrase
from app.register.models import (
    Activity,
    Commitment,
    Document,
    DocumentKind,
    Ministry,
    Official,
)
from app.register.recesses import RecessCalendar

logger = logging.getLogger(__name__)

#: The most promises, and the most fulfilment sentences, one review proposes; the review form
#: accepts no more entries than this.
MAX_PROPOSALS = 200


@dataclass
class PromiseProposal:
    """A sentence the reader takes for a promise, with what the review screen suggests."""

    sentence: str
    start: int
    end: int
    confidence: float
    title: str
    deadline_phrase: str | None
    deadline: dt.date | None
    #: The number of the promise registered earlier from this sentence of this letter.
    existing: str | None
    preselected: bool
    #: The Kamerlid who asked for it (debate reports name them).
    requested_by: str | None = None
    #: Why the reader took it for a promise, in Dutch ("Gevonden omdat: …").
    reason: str = ""


@dataclass
class FulfilmentProposal:
    """A sentence reporting an earlier promise kept, with the register's promises it may mean."""

    sentence: str
    start: int
    end: int
    #: ``{"number", "title", "score"}`` per promise in the register, best first.
    matches: list[dict[str, Any]]
    preselected: str
    #: ``fulfilled``: the letter delivers the promise; ``reported``: it only mentions it.
    kind: str = "fulfilled"
    #: The day of the meeting the sentence names (when the earlier promise was made).
    meeting_date: dt.date | None = None
    #: Why the reader took it for an earlier promise, in Dutch.
    reason: str = ""


@dataclass
class LetterProposals:
    """Everything the review screen shows about a letter, read from its text on the server."""

    #: The text as read from the file; the review form sends it back to be read again.
    raw: str
    #: The cleaned letter that the proposals' offsets refer to.
    text: str
    kamerstuk: str
    title: str
    date: dt.date
    #: The ministry (code) and official of the first signatory, who speaks for the letter.
    lead_ministry: str | None
    lead_official_id: int | None
    promises: list[PromiseProposal] = field(default_factory=list)
    fulfilments: list[FulfilmentProposal] = field(default_factory=list)
    #: How many proposals beyond MAX_PROPOSALS were left out.
    left_out: int = 0
    #: Set when the document is the report of a debate: its promises were made there.
    debate: Debate | None = None

    def segments(self) -> list[tuple[str, str | None, int | None]]:
        """The letter as (text, "promise"/"fulfilment"/None, index) pieces, for highlighting."""
        marks = sorted(
            [(p.start, p.end, "promise", i) for i, p in enumerate(self.promises)]
            + [(f.start, f.end, "fulfilment", i) for i, f in enumerate(self.fulfilments)]
        )
        pieces: list[tuple[str, str | None, int | None]] = []
        position = 0
        for start, end, kind, index in marks:
            if start < position:
                continue
            pieces.append((self.text[position:start], None, None))
            pieces.append((self.text[start:end], kind, index))
            position = end
        pieces.append((self.text[position:], None, None))
        return pieces


def normalise(raw: str) -> str:
    """The text as a browser sends it back: LF line breaks, and none of the characters that no
    text may hold (NUL, other control characters: app.inputs), so no sentence carries them.
    A page break (form feed) or vertical tab becomes a line break rather than nothing."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    return without_invalid_characters(lines)


def read_proposals(raw: str, recesses: RecessCalendar | None) -> LetterProposals:
    """Read the letter and propose its promises and fulfilments; stores nothing.

    The upload and every submission of the review read the same text this way, so the options
    offered come from the register and the rules, never from the browser.
    """
    raw = normalise(raw)
    reading = read_letter(raw, recesses)
    rules = load_rules()
    meta = reading.metadata
    known = services.find_document(meta.kamerstuk_id) if meta.kamerstuk_id else None
    lead = next((s for s in meta.signatories if s.ministry), None)
    proposals = LetterProposals(
        raw=raw,
        text=reading.letter.text,
        kamerstuk=meta.kamerstuk_id or "",
        title=known.title if known else letter_title(meta),
        date=meta.date or today(),
        lead_ministry=lead.ministry if lead else None,
        lead_official_id=lead.official_id if lead else None,
        left_out=max(0, len(reading.promises) - MAX_PROPOSALS)
        + max(0, len(reading.fulfilments) - MAX_PROPOSALS),
        debate=meta.debate,
    )
    for promise in reading.promises[:MAX_PROPOSALS]:
        earlier = existing_promise(known, promise.sentence)
        proposals.promises.append(
            PromiseProposal(
                sentence=promise.sentence,
                start=promise.start,
                end=promise.end,
                confidence=promise.confidence,
                title=promise.title,
                deadline_phrase=promise.deadline_phrase,
                deadline=promise.deadline,
                existing=earlier.number if earlier else None,
                preselected=earlier is None
                and promise.confidence >= rules.promises.preselect_confidence,
                requested_by=promise.asked_by,
                reason=promise.reason,
            )
        )
    for fulfilment in reading.fulfilments[:MAX_PROPOSALS]:
        best = fulfilment.matches[0] if fulfilment.matches else None
        proposals.fulfilments.append(
            FulfilmentProposal(
                sentence=fulfilment.sentence,
                start=fulfilment.start,
                end=fulfilment.end,
                matches=fulfilment.matches,
                # A reported promise is only mentioned: nothing is marked fulfilled by default.
                preselected=best["number"]
                if best
                and best["score"] >= rules.matching.preselect
                and fulfilment.kind == "fulfilled"
                else "",
                kind=fulfilment.kind,
                meeting_date=fulfilment.meeting_date,
                reason=fulfilment.reason,
            )
        )
    return proposals


def letter_title(meta: LetterMetadata) -> str:
    """A title for a letter the register does not know yet, in the Kamer's own language."""
    # Kamerstukken are Dutch; this becomes the document's title, so it is not translated.
    if meta.debate is not None:
        about = f" over {meta.debate.subject}" if meta.debate.subject else ""
        return f"Verslag van een {meta.debate.kind.lower()}{about}"
    if meta.subject:
        return (
            f"Brief over {meta.subject}"
            if not meta.subject.lower().startswith("brief")
            else meta.subject
        )
    return "Kamerbrief"


@dataclass
class ProposedPromise:
    sentence: str
    title: str
    deadline_phrase: str | None
    deadline: dt.date | None
    owner_id: int | None
    accept: bool
    requested_by: str | None = None


#: The choice for a reported promise the register does not hold yet: record it now.
NEW_PROMISE = "nieuw"


@dataclass
class ProposedFulfilment:
    sentence: str
    #: The promise chosen, or NEW_PROMISE (a reported one only), or None.
    commitment_number: str | None
    #: ``fulfilled``: mark the chosen promise fulfilled by this letter; ``reported``: the letter
    #: only mentions it: the chosen promise gets a note in its history, nothing else changes.
    kind: str = "fulfilled"
    made_on: dt.date | None = None


@dataclass
class AcceptReport:
    document: Document
    created: list[Commitment] = field(default_factory=list)
    already_there: list[Commitment] = field(default_factory=list)
    fulfilled: list[Commitment] = field(default_factory=list)
    #: Promises the letter mentions (reported) that the clerk linked: a note, no other change.
    mentioned: list[Commitment] = field(default_factory=list)


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
    debate: Debate | None = None,
    recesses: RecessCalendar | None = None,
) -> AcceptReport:
    """Store what the clerk accepted; flushes, never commits.

    A letter without a Kamerstuk number yet (a fresh letter from a ministry) is registered by
    its title and date. For the report of a debate the promises get the debate as their
    activity (created once, with the report) and the Kamerlid who asked. A deadline typed only
    as a phrase is resolved as the clerk forms do (DESIGN §4), so a reminder can go."""
    if not permissions.can_create_for(actor, ministry.id):
        raise services.CommitmentRuleError(
            _("U mag alleen toezeggingen van uw eigen ministerie vastleggen.")
        )
    kind = DocumentKind.REPORT if debate is not None else DocumentKind.LETTER
    document = _document(kamerstuk, title, date, kind)
    activity = _activity(debate, document, title, date) if debate is not None else None
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
                deadline=proposal.deadline
                or (
                    resolve_phrase(proposal.deadline_phrase, date, recesses)
                    if proposal.deadline_phrase
                    else None
                ),
                deadline_phrase=proposal.deadline_phrase,
                activity=activity,
                requested_by=(proposal.requested_by or "").strip() or None,
                actor=actor,
                # History is kept in Dutch, whoever accepts the letter; pages translate it.
                note=notes.system_note(notes.FROM_REPORT if debate else notes.FROM_LETTER),
            )
        )
    for fulfilment in fulfilments:
        if not fulfilment.commitment_number:
            continue
        if fulfilment.commitment_number == NEW_PROMISE:
            if fulfilment.kind == "reported":
                report.created.append(_record_reported(fulfilment, actor, ministry, official, date))
            continue
        commitment = queries.commitment_by_number(fulfilment.commitment_number)
        if commitment is None or (
            fulfilment.kind == "fulfilled" and commitment.fulfilled_by_id == document.id
        ):
            continue
        if not permissions.can_edit(actor, commitment):
            raise services.CommitmentRuleError(
                _("U mag %(number)s niet wijzigen: een ander ministerie.", number=commitment.number)
            )
        if fulfilment.kind == "reported":
            services.update_commitment(
                commitment,
                {},
                actor=actor,
                # Dutch, as the history is kept in the register's language.
                note=notes.system_note(
                    notes.MENTIONED_IN,
                    document=_document_name(document),
                    sentence=fulfilment.sentence[:200],
                ),
            )
            report.mentioned.append(commitment)
            continue
        services.mark_fulfilled(
            commitment,
            document,
            fulfilled_on=date,
            actor=actor,
            note=notes.system_note(notes.FULFILLED_BY_LETTER, sentence=fulfilment.sentence[:200]),
        )
        report.fulfilled.append(commitment)
    logger.info(
        "Letter %s accepted: %d new promises, %d fulfilled",
        document.kamerstuk_id,
        len(report.created),
        len(report.fulfilled),
    )
    return report


def _document(kamerstuk: str, title: str, date: dt.date, kind: DocumentKind) -> Document:
    """The letter's Document: by its Kamerstuk number, or (a letter that has none yet) by its
    title and date, registered when it is not there."""
    if kamerstuk.strip():
        return services.find_document(kamerstuk) or services.register_document(
            kamerstuk, title=title, date=date, kind=kind
        )
    return services.document_outside_dossier(title, date=date, kind=kind, same_date=True)


def _activity(debate: Debate, document: Document, title: str, date: dt.date) -> Activity:
    """The debate the report is of, registered once with the report as its source."""
    found = db.session.scalars(sa.select(Activity).where(Activity.report_id == document.id)).first()
    if found is not None:
        return found
    activity = Activity(
        kind=debate.kind,
        title=(debate.subject or title)[:500],
        date=debate.date or date,
        report=document,
    )
    db.session.add(activity)
    db.session.flush()
    return activity


def _document_name(document: Document) -> str:
    label = document.kamerstuk_label
    return f"Kamerstuk {label}" if label else f"de brief “{document.title}”"


def _record_reported(
    fulfilment: ProposedFulfilment,
    actor: User,
    ministry: Ministry,
    official: Official | None,
    date: dt.date,
) -> Commitment:
    """A promise the letter reports as made earlier, which the register did not hold: recorded
    now, made on the day of the meeting the sentence names (else the letter's date)."""
    text = " ".join(fulfilment.sentence.split())
    return services.create_commitment(
        title=promise_title(text),
        text=text,
        made_on=fulfilment.made_on or date,
        ministry=ministry,
        responsible_official=official,
        actor=actor,
        note=notes.system_note(notes.FROM_LETTER_AS_EARLIER),
    )
