"""Read a Kamerbrief: its metadata, the promises it makes and the promises it fulfils."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.letters.fulfil import FulfilReading, names_from
from app.letters.grammar import analyse
from app.letters.rules import MatchWeights, RuleSet, load_rules
from app.letters.text import CleanLetter, Sentence, clean
from app.register.deadlines import MONTHS, Deadline, find_deadlines
from app.register.models import (
    OUTSTANDING_STATUSES,
    Activity,
    Commitment,
    Document,
    Ministry,
    Official,
    format_dossier_number,
    kamerstuk_id,
)
from app.register.recesses import RecessCalendar
from app.register.search import best_matching_any_word
from app.register.services import suggest_title

_MONTH = "|".join(MONTHS)
_DOSSIER_LINE = re.compile(r"^\s*(\d{1,2}\s?\d{3}(?:-[0-9A-Z]+)?)\s+([A-Z(].{2,})$")
_ONDERNUMMER = re.compile(r"^\s*Nr\.\s*(\d+)\b\s*(.*)$", re.IGNORECASE)
_PLACE_DATE = re.compile(
    rf"\b(?:Den Haag|'s-Gravenhage),?\s+(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})", re.IGNORECASE
)
_ADDRESSEE = re.compile(r"Aan de Voorzitter van de (Tweede|Eerste) Kamer", re.IGNORECASE)
_SUBJECT = re.compile(r"^\s*(?:Onderwerp|Betreft)\s*:?\s+(.+)$", re.IGNORECASE | re.MULTILINE)
_SIGNATURE_FUNCTION = re.compile(
    r"^\s*(De (?:Minister(?:-President)?|Staatssecretaris)\b[^\n,]*?),?\s*$", re.MULTILINE
)
_PERSON_NAME = re.compile(r"^\s*((?:[A-Z][a-z]?\.(?:[A-Z][a-z]?\.)*\s?)+[^\n,]{2,60}?)\s*$")
_KAMERSTUK_REFERENCE = re.compile(
    r"Kamerstuk(?:ken)?\s+(\d{1,2}\s?\d{3}(?:-[0-9A-Z]+)?)(?:\s+en\s+\d{1,2}\s?\d{3})*,\s*nr\.\s*(\d+)",
    re.IGNORECASE,
)
#: Where an earlier promise was made and on which day: a meeting, or a letter (a promise made in
#: a letter has the letter's date as its day).
_MEETING = re.compile(
    r"\b(algemeen overleg|commissiedebat|notaoverleg|wetgevingsoverleg|plenair debat|debat|"
    r"schriftelijk overleg|vragenuur|AO|Kamerbrief|brief)\b"
    r"[^.]{0,80}?\b(\d{1,2})(?:\s+en\s+\d{1,2})?\s+(" + _MONTH + r")(?:\s+(\d{4}))?",
    re.IGNORECASE,
)
_STOPWORDS = frozenset(
    """zullen kunnen worden werden hebben heeft zijn waren staat staan onder tussen tijdens
    sinds vanuit alsmede echter mede namens kamer brief uw kabinet nederland minister
    staatssecretaris toegezegd update sturen ontwikkelingen gebied""".split()  # noqa: SIM905
)
#: Stems of words nearly every Kamerbrief and promise uses: they do not narrow the search for
#: candidates in the full-text index (and asking for them makes it slow), so they are left out
#: of that query; the scoring still counts them.
_COMMON_STEMS = frozenset(
    """janua febru maart april juni augus septe oktob novem decem infor zaken kamer brief
    overl algem graag toeze stuur sturen komen zulle kunne worde hebbe onder ontwi gebie
    navol bijzo relat situa voorb verde daarn tevens moment kader besta mogel aanta react
    mijne onzes onder vraag antwo debat comm""".split()  # noqa: SIM905
)


@dataclass
class Signatory:
    function: str
    name: str
    official_id: int | None = None
    ministry: str | None = None


@dataclass
class Debate:
    """The debate a report (verslag) is of: its promises were made there."""

    kind: str  # "Commissiedebat", "Notaoverleg" …
    date: dt.date | None
    subject: str | None
    committee: str | None


@dataclass
class LetterMetadata:
    dossiers: list[dict[str, str]] = field(default_factory=list)
    ondernummer: str | None = None
    kamerstuk_id: str | None = None
    date: dt.date | None = None
    addressee: str | None = None
    subject: str | None = None
    signatories: list[Signatory] = field(default_factory=list)
    #: Set when the document is the report of a debate rather than a letter.
    debate: Debate | None = None

    @property
    def ministries(self) -> set[str]:
        return {s.ministry for s in self.signatories if s.ministry}


@dataclass
class PromiseCandidate:
    sentence: str
    title: str
    deadline_phrase: str | None
    deadline: dt.date | None
    confidence: float
    start: int
    end: int
    rules: list[str]
    #: The construction the strongest rule stands for ("intention", "uitstel" …), when known.
    kind: str | None = None
    #: The Kamerlid who asked for it, as a debate report names them: "Van der Molen (CDA)".
    asked_by: str | None = None
    #: Why it was proposed, in Dutch for the clerk: the matched rules' reasons and the subject
    #: and verb the reader found.
    reason: str = ""


@dataclass
class FulfilmentCandidate:
    sentence: str
    start: int
    end: int
    meeting: str | None
    meeting_date: dt.date | None
    kamerstukken: list[str]
    matches: list[dict[str, Any]]
    #: ``fulfilled``: this letter delivers the promise; ``reported``: it only mentions it.
    kind: str = "fulfilled"
    #: Why it was read so, in Dutch for the clerk.
    reason: str = ""


@dataclass
class LetterReading:
    letter: CleanLetter
    metadata: LetterMetadata
    promises: list[PromiseCandidate]
    fulfilments: list[FulfilmentCandidate]

    def as_json(self) -> dict[str, Any]:
        meta = self.metadata
        return {
            "document": {
                "kamerstuk_id": meta.kamerstuk_id,
                "dossiers": meta.dossiers,
                "ondernummer": meta.ondernummer,
                "date": meta.date.isoformat() if meta.date else None,
                "addressee": meta.addressee,
                "subject": meta.subject,
                "signatories": [asdict(s) for s in meta.signatories],
                "debate": (
                    {
                        "kind": meta.debate.kind,
                        "date": meta.debate.date.isoformat() if meta.debate.date else None,
                        "subject": meta.debate.subject,
                        "committee": meta.debate.committee,
                    }
                    if meta.debate
                    else None
                ),
                "footnotes": {str(k): v for k, v in self.letter.footnotes.items()},
            },
            "commitments": [
                {
                    "sentence": p.sentence,
                    "title": p.title,
                    "deadline_phrase": p.deadline_phrase,
                    "deadline": p.deadline.isoformat() if p.deadline else None,
                    "confidence": round(p.confidence, 2),
                    "kind": p.kind,
                    "asked_by": p.asked_by,
                    "rules": p.rules,
                    "reason": p.reason,
                    "start": p.start,
                    "end": p.end,
                }
                for p in self.promises
            ],
            "fulfils": [
                {
                    "kind": f.kind,
                    "reason": f.reason,
                    "sentence": f.sentence,
                    "start": f.start,
                    "end": f.end,
                    "meeting": f.meeting,
                    "meeting_date": f.meeting_date.isoformat() if f.meeting_date else None,
                    "kamerstukken": f.kamerstukken,
                    "matches": f.matches,
                }
                for f in self.fulfilments
            ],
        }


_DEBATE_DAY = re.compile(
    rf"\bop\s+(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\s+(?:overleg gevoerd|een (?:commissiedebat|"
    rf"notaoverleg|wetgevingsoverleg))|\bVastgesteld\s+(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})",
    re.IGNORECASE,
)


#: A ministry's letterhead: "Datum 20 november 2026" on a line of its own (cleaning drops that
#: line as page furniture, so the date is read from the raw text).
_LETTERHEAD_DATE = re.compile(
    rf"^\s*Datum\s*:?\s+(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\s*$", re.IGNORECASE | re.MULTILINE
)


def letter_date(raw_text: str) -> dt.date | None:
    """The date in the letter's "Den Haag, 11 april 2019" line; for the report of a debate
    (which has none), the day of the debate ("heeft op 24 mei 2023 overleg gevoerd"), else the
    day the report was adopted ("Vastgesteld 12 juni 2023"): deadlines count from there."""
    date = _PLACE_DATE.search(raw_text) or _LETTERHEAD_DATE.search(raw_text[:5000])
    if date:
        return dt.date(int(date.group(3)), MONTHS[date.group(2).lower()], int(date.group(1)))
    days = list(_DEBATE_DAY.finditer(raw_text[:5000]))
    debate = next((d for d in days if d.group(1)), None) or (days[0] if days else None)
    if debate is None:
        return None
    day, month, year = debate.group(1, 2, 3) if debate.group(1) else debate.group(4, 5, 6)
    return dt.date(int(year), MONTHS[month.lower()], int(day))


def read_metadata(raw_text: str, letter: CleanLetter) -> LetterMetadata:
    meta = LetterMetadata()
    head = raw_text[:3000]
    for line in head.splitlines()[:40]:
        ondernummer = _ONDERNUMMER.match(line)
        if ondernummer:
            meta.ondernummer = ondernummer.group(1)
            break
        dossier = _DOSSIER_LINE.match(line)
        if dossier:
            number = format_dossier_number(dossier.group(1).replace(" ", ""))
            meta.dossiers.append({"number": number, "title": dossier.group(2).strip()})
    if meta.dossiers and meta.ondernummer:
        digits = meta.dossiers[0]["number"].replace(" ", "")
        meta.kamerstuk_id = f"kst-{digits}-{meta.ondernummer}"
    meta.date = letter_date(raw_text)
    addressee = _ADDRESSEE.search(head)
    if addressee:
        meta.addressee = f"{addressee.group(1).capitalize()} Kamer"
    subject = _SUBJECT.search(head)
    if subject:
        meta.subject = subject.group(1).strip()
    elif meta.dossiers:
        meta.subject = "; ".join(d["title"] for d in meta.dossiers)
    meta.signatories = _signatories(raw_text)
    meta.debate = _debate(head)
    if meta.debate is not None:
        meta.date = meta.debate.date or meta.date
        meta.signatories = _debate_officials(head) + meta.signatories
        for signatory in meta.signatories:
            if signatory.ministry is None:
                _link_official(signatory)
        if meta.debate.subject and not _SUBJECT.search(head):
            meta.subject = meta.debate.subject
    return meta


_REPORT_HEADING = re.compile(
    r"\bVERSLAG VAN EEN (COMMISSIEDEBAT|NOTAOVERLEG|WETGEVINGSOVERLEG|ALGEMEEN OVERLEG|"
    r"SCHRIFTELIJK OVERLEG|NOTAOVERLEG|PLENAIR DEBAT)\b"
)
_REPORT_MEETING = re.compile(
    rf"(?:De|Het)\s+(?P<committee>[^.]*?commissie[^.]*?)\s+heeft\s+op\s+(?P<day>\d{{1,2}})\s+"
    rf"(?P<month>{_MONTH})\s+(?P<year>\d{{4}})\s+(?:overleg gevoerd|een \w+ gevoerd)\s+met\s+"
    rf"(?P<officials>.+?)(?:,?\s+over\s+(?P<subject>.+?))?\.?$",
    re.IGNORECASE,
)
_DEBATE_OFFICIAL = re.compile(
    r"(?:de heer|mevrouw)\s+(?P<name>[A-Z][\w'’ .-]{1,60}?),\s+(?P<function>(?:Minister|"
    r"Staatssecretaris)(?:-President)?\b(?:\s+(?:van|voor)\s+.+?)?)"
    r"(?=,\s+(?:en\s+)?(?:de heer|mevrouw)\b|\s+en\s+(?:de heer|mevrouw)\b|$)",
)


def _meeting_paragraph(head: str) -> re.Match[str] | None:
    for paragraph in re.split(r"\n\s*\n", head):
        found = _REPORT_MEETING.search(" ".join(paragraph.split()))
        if found:
            return found
    return None


def _debate(head: str) -> Debate | None:
    """A report of a debate: "VERSLAG VAN EEN COMMISSIEDEBAT … heeft op 24 mei 2023 overleg
    gevoerd met … over …"."""
    heading = _REPORT_HEADING.search(head)
    if heading is None:
        return None
    kind = heading.group(1).capitalize()
    meeting = _meeting_paragraph(head)
    if meeting is None:
        return Debate(kind, letter_date(head), None, None)
    day = dt.date(
        int(meeting.group("year")),
        MONTHS[meeting.group("month").lower()],
        int(meeting.group("day")),
    )
    subject = (meeting.group("subject") or "").strip().rstrip(".") or None
    return Debate(kind, day, subject, meeting.group("committee").strip())


def _debate_officials(head: str) -> list[Signatory]:
    """The ministers and state secretaries a report says the committee debated with."""
    meeting = _meeting_paragraph(head)
    if meeting is None:
        return []
    return [
        Signatory(" ".join(m.group("function").split()), m.group("name").strip())
        for m in _DEBATE_OFFICIAL.finditer(meeting.group("officials"))
    ]


def _signatories(raw_text: str) -> list[Signatory]:
    lines = raw_text.rstrip().splitlines()
    tail = "\n".join(lines[-20:])
    found: list[Signatory] = []
    tail_lines = tail.splitlines()
    for index, line in enumerate(tail_lines):
        function = _SIGNATURE_FUNCTION.match(line)
        if not function:
            continue
        for candidate in tail_lines[index + 1 : index + 3]:
            name = _PERSON_NAME.match(candidate)
            if name:
                role = " ".join(function.group(1).split()).removeprefix("De ")
                found.append(Signatory(role, name.group(1).strip()))
                break
    for signatory in found:
        _link_official(signatory)
    return found


def _link_official(signatory: Signatory) -> None:
    """Map a signature to an official and ministry in the register, when they are there."""
    function = signatory.function
    official = db.session.scalars(
        sa.select(Official)
        .where(sa.func.lower(Official.name) == signatory.name.lower())
        .options(so.selectinload(Official.ministry))
    ).first()
    if official is not None:
        signatory.official_id = official.id
        signatory.ministry = official.ministry.code
        return
    in_function = db.session.scalars(
        sa.select(Official)
        .where(sa.func.lower(Official.function) == function.lower())
        .options(so.selectinload(Official.ministry))
    ).all()
    if in_function:
        # A debate report names the surname only ("de heer Harbers"): that official, if one of
        # those in this function bears it.
        surname = signatory.name.lower()
        named = next((o for o in in_function if o.name.lower().endswith(" " + surname)), None)
        if named is not None:
            signatory.official_id = named.id
        signatory.ministry = (named or in_function[0]).ministry.code
        return
    for ministry in db.session.scalars(sa.select(Ministry)):
        department = ministry.name.lower().removeprefix("ministerie van ").strip()
        if department and department in function.lower():
            signatory.ministry = ministry.code
            return


_PROMISE_LIST = re.compile(r"^\s*(?:Toezeggingen|Lijst van toezeggingen)\s*:?\s*$", re.IGNORECASE)
_REPORT_END = re.compile(r"^\s*De (?:voorzitter|griffier|ondervoorzitter) van de\b", re.IGNORECASE)


def _body_sentences(letter: CleanLetter, listed_only: bool = True) -> list[Sentence]:
    """The sentences after the salutation and before the signatures; in the report of a debate
    with a list of toezeggingen, the sentences of that list (``listed_only``), else those from
    the meeting paragraph to the list's end."""
    sentences = letter.sentences
    listed = next((i for i, s in enumerate(sentences) if _PROMISE_LIST.match(s.text)), None)
    report = _REPORT_HEADING.search(letter.text[:3000]) is not None
    if report and not listed_only:
        start = next(
            (i + 1 for i, s in enumerate(sentences[:20]) if _REPORT_MEETING.search(s.text)), 0
        )
        end = next(
            (i for i in range(start, len(sentences)) if _REPORT_END.match(sentences[i].text)),
            len(sentences),
        )
        return sentences[start:end]
    if listed is not None and report:
        end = next(
            (i for i in range(listed + 1, len(sentences)) if _REPORT_END.match(sentences[i].text)),
            len(sentences),
        )
        return sentences[listed + 1 : end]
    start = 0
    for index, sentence in enumerate(sentences[:12]):
        if _PLACE_DATE.search(sentence.text) or _ADDRESSEE.search(sentence.text):
            start = index + 1
    end = len(sentences)
    for index in range(len(sentences) - 1, max(len(sentences) - 8, -1), -1):
        if _SIGNATURE_FUNCTION.match(sentences[index].text):
            end = index
    return sentences[start:end]


def find_promises(
    letter: CleanLetter, reference: dt.date, rules: RuleSet, recesses: RecessCalendar | None
) -> list[PromiseCandidate]:
    found: list[PromiseCandidate] = []
    previous_was_promise = False
    for sentence in _body_sentences(letter):
        if len(sentence.text) < rules.promises.min_sentence_length or not re.search(
            r"[.!?]$|[a-z]\)?$", sentence.text
        ):
            previous_was_promise = False
            continue
        score, matched = rules.promise_score(sentence.text, previous_was_promise)
        is_promise = rules.is_promise(score, sentence.text)
        if is_promise:
            deadline = _future_deadline(sentence.text, reference, recesses)
            found.append(
                PromiseCandidate(
                    sentence=sentence.text,
                    title=promise_title(sentence.text, deadline),
                    deadline_phrase=_phrase(deadline) if deadline else _vague_phrase(sentence.text),
                    deadline=deadline.date if deadline else None,
                    confidence=rules.confidence(score),
                    start=sentence.start,
                    end=sentence.end,
                    rules=matched,
                    kind=rules.promise_kind(matched),
                    asked_by=asked_by(sentence.text),
                    reason=rules.reasons(sentence.text, matched),
                )
            )
        previous_was_promise = is_promise
    return found


_OBJECT_END = re.compile(
    r",|;|:|\s+(?:naar aanleiding|zodra|wanneer|nadat|zodat|waarna|omdat|en de kamer|en uw kamer|"
    r"met uw kamer|aan uw kamer|bij uw kamer|in de loop van)\b",
    re.IGNORECASE,
)


#: "… informeren over X", "een brief … over X": X is what is promised (not "Het wetsvoorstel
#: over de terugkeer gaat …", where "over" belongs to the subject).
_ABOUT = re.compile(
    r"\b(?:informe\w*|geïnformeerd|bericht\w*|brief|rapport\w*|overzicht|notitie|evaluatie|"
    r"reactie|appreciatie|stuur\w*|zend\w*|ingaan|ga\s+in|terug|op de hoogte)\b[^.]*?\bover\s+"
    r"(?!de\s+(?:zomer|jaarwisseling)\b)(.+)",
    re.IGNORECASE,
)


def promise_title(sentence: str, deadline: Deadline | None = None) -> str:
    """A short title from what is promised: what the Kamer will be informed "over", else the
    sentence without its time phrase, cut at a word boundary."""
    about = _ABOUT.search(sentence)
    if about:
        words = _OBJECT_END.split(about.group(1), maxsplit=1)[0].strip().rstrip(".")
        if deadline is not None:
            words = words.replace(deadline.phrase, "").strip()
        if len(words) >= 8:
            return suggest_title(words)
    text = sentence
    if deadline is not None:
        text = (text[: deadline.start] + text[deadline.end :]).replace("  ", " ")
    return suggest_title(text)


_ASKED_BY = re.compile(
    r"(?:naar aanleiding van (?:een |de )?(?:vraag|vragen|verzoek|opmerking|motie)(?:en)? van|"
    r"zegt|zeggen|toegezegd aan)\s+(?:het lid|de leden|lid)\s+"
    r"(?P<who>[A-Z][\w'’. -]{0,60}?\s*\([^()]{1,40}\))"
)


def asked_by(sentence: str) -> str | None:
    """The Kamerlid a listed promise names: "… naar aanleiding van een vraag van het lid Van der
    Molen (CDA)" or "De minister zegt het lid Paternotte (D66) toe …"."""
    match = _ASKED_BY.search(sentence)
    return " ".join(match.group("who").split()) if match else None


#: Words that open a clause whose time phrase belongs to another event than the promised
#: delivery: "Nadat de Commissie in maart …, stuur ik u voor 1 mei …", "Na het overleg in mei
#: informeer ik u in september", "Voordat het wetsvoorstel in 2026 wordt ingediend, …".
_OTHER_EVENT = re.compile(
    r"\b(?:nadat|voordat|zodra|wanneer|als|indien|zodat|omdat|terwijl|sinds|tijdens|die|"
    r"waarin|waarbij|na\s+(?:de|het|afloop|ontvangst|afronding)|voor\s+(?:de|het)\s+"
    r"(?!zomer|kerst|einde|eind|jaar|reces|zomerreces|kerstreces|begrotingsbehandeling)\w+)\b",
    re.IGNORECASE,
)


_DELIVERY_PARTY = re.compile(r"\b(?:ik|wij|we|u|uw kamer|de kamer)\b", re.IGNORECASE)


def time_phrases(
    sentence: str, reference: dt.date, recesses: RecessCalendar | None
) -> list[tuple[Deadline, str]]:
    """Every time phrase in the sentence with its role: ``past`` (before the letter, or "jl."),
    ``other event`` (in a clause about something else that happens first), or ``delivery``."""
    roles: list[tuple[Deadline, str]] = []
    for found in find_deadlines(sentence, reference, recesses):
        after = sentence[found.end : found.end + 5].lower()
        if found.date < reference or after.lstrip().startswith(("jl", "j.l")):
            roles.append((found, "past"))
            continue
        clause = re.split(r"[,;:]", sentence[: found.start])[-1]
        opener = next(reversed(list(_OTHER_EVENT.finditer(clause))), None)
        # "Na het overleg in mei informeer ik u in september": the second phrase follows the
        # actor again, so it belongs to the delivery.
        other = opener is not None and not _DELIVERY_PARTY.search(clause[opener.end() :])
        roles.append((found, "other event" if other else "delivery"))
    return roles


def _future_deadline(
    sentence: str, reference: dt.date, recesses: RecessCalendar | None
) -> Deadline | None:
    """The time phrase that governs the promised delivery: of the phrases ahead (not "4 december
    2018", not "12 maart jl.") outside a clause about another event, the one with the earliest
    date; failing those, the earliest of the others."""
    roles = time_phrases(sentence, reference, recesses)
    for role in ("delivery", "other event"):
        chosen = [found for found, found_role in roles if found_role == role]
        if chosen:
            # "In de loop van 2025 …, uiterlijk medio 2025": the earliest date binds.
            return min(chosen, key=lambda found: (found.date, found.start))
    return None


def _phrase(deadline: Deadline) -> str:
    """The phrase as the clerk will see it beside the date: "na het zomerreces", also when it
    opens the sentence."""
    phrase = deadline.phrase
    if deadline.start == 0 and phrase[:1].isupper() and phrase[1:2].islower():
        return phrase[:1].lower() + phrase[1:]
    return phrase


def _vague_phrase(sentence: str) -> str | None:
    """A time phrase that names no period; kept so that the clerk sees it."""
    match = re.search(
        r"\b(de komende (?:tijd|periode|maanden|weken)|binnenkort|op korte termijn|"
        r"zo spoedig mogelijk|zo snel mogelijk)\b",
        sentence,
        re.IGNORECASE,
    )
    return match.group(1) if match else None


def _fulfilment_reason(first: Sentence, last: Sentence, kind: str, reasons: list[str]) -> str:
    """One reason for the clerk: the pair's, or that of the first rule of the item's kind."""
    if first is not last:
        return "de eerste zin noemt een eerdere toezegging, de tweede komt haar na"
    given = next((reason for reason in reasons if reason), "")
    if kind == "reported":
        return f"{given} (de brief komt haar niet na)" if given else ""
    return given


def _general_reason(reading: FulfilReading, kind: str) -> str:
    """What the general reading found, in Dutch for the clerk: "noemt een eerdere toezegging
    (‘toegezegd’); levert nu (‘hierbij’)"."""
    words = list(reading.found)
    parts = []
    if reading.mention and words:
        what = "een eerdere toezegging" if reading.mention == "promise" else "een motie of verzoek"
        parts.append(f"noemt {what} (‘{words.pop(0)}’)")
    if kind == "fulfilled" and reading.now and words:
        parts.append(f"levert nu (‘{words[0]}’)")
    return "; ".join(parts)


#: A delivery this short that names nothing of its own continues the sentence before …
_BARE_DELIVERY = 80
#: … unless it says it is about something else as well, or names a subject of its own ("In deze
#: brief ga ik in op de voortgang van …", "… informeer ik u over …").
_ADDITIVE = re.compile(
    r"\b(?:ook|tevens|daarnaast|verder|eveneens|bovendien|voorts|over|op)\b", re.IGNORECASE
)


def _continues(text: str, previous: str, reading: FulfilReading) -> bool:
    """``text`` is about what ``previous`` named: it refers back ("die toezegging", "daarvan"),
    names a thing of it ("Het overzicht …"), or is short and names nothing of its own
    ("Bijgaand treft u de peiling aan", not "In deze brief ga ik ook in op …"). A sentence that
    names a promise of its own ("Daarmee is de toezegging over X afgedaan") stands alone."""
    if reading.mention is not None and not reading.refers_back:
        return False
    return (
        reading.refers_back
        or names_from(text, previous)
        or (len(text) <= _BARE_DELIVERY and not _ADDITIVE.search(text))
    )


#: A heading: a short line without a full stop ("Reactie van de minister", "Toezeggingen").
_HEADING = re.compile(r"^[^.!?:;]{1,80}$")
#: A heading over the letter's enclosures ("Bijlagen:"): a promise named in the list under it
#: is delivered with the letter.
_ENCLOSURES = re.compile(
    r"^(?:bijlagen?|bijgevoegde stukken|meegezonden stukken)\s*:?(?:\s*(?:\d{1,2}|[a-z])[.)])?$",
    re.IGNORECASE,
)
#: A list item's number on a line of its own ("1."): passed over like a heading.
_ITEM_NUMBER = re.compile(r"^(?:\d{1,2}|[a-z])[.)]$")


def _section(text: str, reading: FulfilReading, rules: RuleSet) -> str | None:
    """What a heading opens: ``enclosures`` ("Bijlagen:"), ``promises`` (a heading that names
    promises: "Overzicht van toezeggingen", "Stand van de moties"), or None."""
    if _ENCLOSURES.match(text):
        return "enclosures"
    signals = rules.signals
    if signals is not None and any(
        rules.grammar.lemma(word) in signals.words for word in re.findall(r"\w+", text)
    ):
        return "promises"
    return None


def _in_section(
    section: str | None, text: str, reading: FulfilReading, rules: RuleSet
) -> FulfilReading:
    """The reading of a list item under a heading: under "Bijlagen:" a promise it names is
    delivered now ("1. De toegezegde inventarisatie van …"); under "Overzicht van toezeggingen"
    an item that names no promise of its own but gives one's state ("Lid Nijboer, algemeen
    overleg …: afgedaan met paragraaf 3 van deze brief", "…: nog niet afgedaan") is about the
    promise the heading names, unless the government speaks in it ("Ik streef ernaar …")."""
    if section == "enclosures" and reading.mention and not (reading.pending or reading.done_before):
        return replace(reading, now=True, later=False, found=(*reading.found[:1], "Bijlagen"))
    if (
        section == "promises"
        and reading.mention is None
        and not reading.rejected
        and (reading.delivers or reading.done_before or reading.pending)
        and analyse(text, rules.grammar).clause.role != "government"
    ):
        return replace(
            reading, mention="promise", found=("overzicht van toezeggingen", *reading.found)
        )
    return reading


#: An anaphoric fulfilment longer than this names its own content and stands alone.
_ANAPHORIC_LENGTH = 160


def find_fulfilments(
    letter: CleanLetter, metadata: LetterMetadata, rules: RuleSet
) -> list[FulfilmentCandidate]:
    """Sentences about earlier promises: ``fulfilled`` when this letter delivers the promise,
    ``reported`` when it only mentions one. "Met deze brief kom ik die toezegging na" names no
    content: it is read together with the sentence before it, which says what was promised."""
    spans: list[tuple[Sentence, Sentence, str]] = []  # first, last sentence, kind
    reasons: dict[int, list[str]] = {}  # by the offset of the span's first sentence
    previous: Sentence | None = None
    section: str | None = None  # what the last heading opened: see _section
    for sentence in _body_sentences(letter, listed_only=False):
        text = sentence.text
        reading = rules.read_fulfilment(text)
        if _ENCLOSURES.match(text) or _ITEM_NUMBER.match(text):
            section = _section(text, reading, rules) or section
            continue
        if _HEADING.match(text) and reading.mention is None:
            section = _section(text, reading, rules)
            continue  # "Reactie van de minister": the sentence before it is still the previous
        reading = _in_section(section, text, reading, rules)
        matched = rules.fulfilment_rules(text) if rules.is_fulfilment(text) else []
        kinds = {rule.kind for rule in matched}
        # The sentence before mentions a promise (delivered or not: "Zoals toegezegd heb ik …
        # laten onderzoeken. Het rapport treft u bijgaand aan." is one delivery), or a request
        # of the Kamer.
        if reading.rejected:
            matched, kinds = [], set()
        anaphoric = "anaphoric" in kinds
        delivers = not reading.later and (
            reading.delivers or rules.delivers_now.search(text) is not None
        )
        if (
            previous is not None
            and len(text) <= _ANAPHORIC_LENGTH
            and delivers
            and (
                anaphoric
                or (
                    # The sentence before mentions a promise (delivered or not: "Zoals
                    # toegezegd heb ik … laten onderzoeken. Het rapport treft u bijgaand aan."
                    # is one delivery), or a request of the Kamer …
                    ((bool(spans) and spans[-1][1] is previous) or rules.asks(previous.text))
                    # … and this one continues it.
                    and _continues(text, previous.text, reading)
                )
            )
        ):
            # "Met deze brief kom ik die toezegging na", "Dat overzicht treft u hieronder":
            # delivered here, the promise named in the sentence before.
            if spans and spans[-1][1] is previous:
                spans[-1] = (spans[-1][0], sentence, "fulfilled")
            else:
                spans.append((previous, sentence, "fulfilled"))
            reasons.setdefault(spans[-1][0].start, []).append(_general_reason(reading, "fulfilled"))
        elif reading.kind is not None or matched:
            kind = reading.kind or (
                # a rule that reads a promise kept, where nothing is delivered now
                "reported" if kinds == {"reported"} or reading.later else "fulfilled"
            )
            spans.append((sentence, sentence, kind))
            wanted = {"reported"} if kind == "reported" else {"fulfilled", "anaphoric"}
            given = [rule.reason for rule in matched if rule.kind in wanted]
            if reading.kind is not None:
                given.insert(0, _general_reason(reading, kind))
            reasons.setdefault(sentence.start, []).extend(given)
        previous = sentence
    found: list[FulfilmentCandidate] = []
    for first, last, kind in spans:
        text = (
            first.text if first is last else " ".join(letter.text[first.start : last.end].split())
        )
        meeting, meeting_date = _meeting(text, metadata.date)
        references = [
            f"kst-{match.group(1).replace(' ', '')}-{match.group(2)}"
            for match in _KAMERSTUK_REFERENCE.finditer(text)
        ]
        candidate = FulfilmentCandidate(
            text,
            first.start,
            last.end,
            meeting,
            meeting_date,
            references,
            [],
            kind,
            _fulfilment_reason(first, last, kind, reasons.get(first.start, [])),
        )
        candidate.matches = rank_matches(candidate, metadata, rules.matching)
        found.append(candidate)
    return found


def _meeting(sentence: str, letter_date: dt.date | None) -> tuple[str | None, dt.date | None]:
    match = _MEETING.search(sentence)
    if not match:
        return None, None
    year = int(match.group(4)) if match.group(4) else (letter_date.year if letter_date else None)
    if year is None:
        return match.group(1), None
    try:
        day = dt.date(year, MONTHS[match.group(3).lower()], int(match.group(2)))
    except ValueError:
        return match.group(1), None
    if letter_date and day > letter_date and not match.group(4):
        day = day.replace(year=year - 1)
    return match.group(1), day


def _words(text: str, weights: MatchWeights) -> set[str]:
    """The telling words of ``text``, cut to their stems."""
    words = re.findall(rf"[a-zà-ÿ]{{{weights.word_length},}}", text.lower())
    return {w[: weights.word_stem] for w in words if w not in _STOPWORDS}


def _candidates(
    candidate: FulfilmentCandidate,
    dossiers: set[str],
    words: set[str],
    letter: sa.ScalarSelect[Any],
    weights: MatchWeights,
) -> set[int]:
    """The ids of the promises that can score at all, each set found through an index: the
    rest of the register is never read."""
    cited = set(dossiers)
    for kamerstuk in candidate.kamerstukken:
        with contextlib.suppress(ValueError):
            cited.add(Document.parse_kamerstuk_id(kamerstuk)[0])
    queries: list[sa.Select[Any]] = [
        sa.select(Commitment.id).where(Commitment.fulfilled_by_id == letter)
    ]
    if cited:
        queries.append(
            sa.select(Commitment.id)
            .join(Document, Document.id == Commitment.source_document_id)
            .where(Document.dossier_number.in_(sorted(cited)))
        )
    if candidate.meeting_date:
        near = dt.timedelta(days=weights.meeting_days)
        first, last = candidate.meeting_date - near, candidate.meeting_date + near
        queries.append(sa.select(Commitment.id).where(Commitment.made_on.between(first, last)))
        queries.append(
            sa.select(Commitment.id).where(
                Commitment.activity_id.in_(
                    sa.select(Activity.id).where(Activity.date.between(first, last))
                )
            )
        )
    telling = [word for word in words if word[:5] not in _COMMON_STEMS]
    chosen = sorted(telling, key=lambda word: (-len(word), word))[: weights.search_words]
    if chosen:
        dialect = db.session.get_bind().dialect.name
        queries.append(best_matching_any_word(dialect, chosen, weights.candidates))
    found: set[int] = set()
    for query in queries:
        found.update(db.session.scalars(query))
    return found


def rank_matches(
    candidate: FulfilmentCandidate, metadata: LetterMetadata, weights: MatchWeights | None = None
) -> list[dict[str, Any]]:
    """The register's open promises this sentence most likely reports, best first.

    ``weights`` come from the ``[matching]`` table of the rules file unless given.
    """
    weights = weights or load_rules().matching
    letter = (
        sa.select(Document.id)
        .where(
            Document.dossier_number
            == (metadata.dossiers[0]["number"] if metadata.dossiers else ""),
            Document.ondernummer == (metadata.ondernummer or ""),
        )
        .scalar_subquery()
    )
    # Plain rows, not ORM objects: a dossier can hold hundreds of candidates.
    statement = (
        sa.select(
            Commitment.number,
            Commitment.title,
            Commitment.text,
            Commitment.made_on,
            Ministry.code,
            Document.dossier_number,
            Document.ondernummer,
            Activity.date,
        )
        .join(Ministry, Ministry.id == Commitment.ministry_id)
        .outerjoin(Document, Document.id == Commitment.source_document_id)
        .outerjoin(Activity, Activity.id == Commitment.activity_id)
        .where(
            # Open promises, and those already recorded as fulfilled by this very letter.
            sa.or_(
                Commitment.status.in_(OUTSTANDING_STATUSES), Commitment.fulfilled_by_id == letter
            )
        )
    )
    if metadata.date:
        # Made before the letter: what it promises itself (in the register once it was read
        # before) is never what it delivers.
        statement = statement.where(Commitment.made_on < metadata.date)
    sentence_words = _words(candidate.sentence + " " + (metadata.subject or ""), weights)
    dossiers = {d["number"] for d in metadata.dossiers}
    ids = _candidates(candidate, dossiers, sentence_words, letter, weights)
    statement = statement.where(Commitment.id.in_(sorted(ids)))
    scored: list[dict[str, Any]] = []
    for (
        number,
        title,
        text,
        made_on,
        ministry,
        dossier,
        ondernummer,
        activity_day,
    ) in db.session.execute(statement):
        score = 0.0
        if dossier and kamerstuk_id(dossier, ondernummer) in candidate.kamerstukken:
            score += weights.kamerstuk
        if dossier and dossier in dossiers:
            score += weights.dossier
        if ministry in metadata.ministries:
            score += weights.ministry
        meeting_day = activity_day or made_on
        if (
            candidate.meeting_date
            and abs((meeting_day - candidate.meeting_date).days) <= weights.meeting_days
        ):
            score += weights.meeting
        promise_words = _words(title + " " + text, weights)
        if promise_words and sentence_words:
            overlap = len(promise_words & sentence_words) / len(promise_words | sentence_words)
            score += min(weights.words_maximum, overlap * weights.words)
        if score >= weights.minimum:
            scored.append({"number": number, "title": title, "score": round(min(score, 1.0), 2)})
    scored.sort(key=lambda match: (-match["score"], match["number"]))
    return scored[: weights.options]


def read_letter(
    raw_text: str, recesses: RecessCalendar | None = None, today: dt.date | None = None
) -> LetterReading:
    """Everything the system can tell from a letter's text; stores nothing."""
    letter = clean(raw_text)
    metadata = read_metadata(raw_text, letter)
    rules = load_rules()
    reference = metadata.date or today or dt.datetime.now(dt.UTC).date()
    return LetterReading(
        letter=letter,
        metadata=metadata,
        promises=find_promises(letter, reference, rules, recesses),
        fulfilments=find_fulfilments(letter, metadata, rules),
    )


def explain_promise(reading: LetterReading, text: str) -> str:
    """Why the reader did not propose ``text`` as a promise: for the evaluation's list of misses."""
    rules = load_rules()
    wanted = " ".join(text.split())
    body = _body_sentences(reading.letter)
    sentence = next((s for s in body if wanted in s.text or s.text in wanted), None)
    if sentence is None:
        return "niet als zin in de hoofdtekst gelezen"
    if len(sentence.text) < rules.promises.min_sentence_length:
        return "zin te kort"
    if rules.is_fulfilment(sentence.text):
        return "gelezen als nakoming van een eerdere toezegging"
    score, matched = rules.promise_score(sentence.text, previous_was_promise=False, complete=True)
    return f"score {score} < {rules.threshold}; regels: {', '.join(matched) or 'geen'}"
