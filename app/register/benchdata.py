"""`flask bench-data`: fill an empty database with a realistic register, for measurements.

The register it makes looks like the real one at scale: all ministries with their ministers and
state secretaries per cabinet, the Tweede Kamer's committees, Kamerstukken in dossiers,
debates and their reports, clerks who own promises, and promises worded the way Kamerbrieven
and debate reports word them, over 2015–2026. Words repeat as in real text: every list is drawn
with a Zipf-like weight, so a few words (:data:`COMMON_WORD`) occur in about a third of all
promises and most are rare. Deadline phrases are turned into dates by
:mod:`app.register.deadlines`; statuses depend on a promise's age (old ones mostly fulfilled,
recent ones open, some overdue, a few withdrawn or partially fulfilled); a share of the promises
has a moved deadline in its history.

Rows are written in bulk, never through the ORM one by one: SQLAlchemy Core ``insert()`` with
lists of rows (``executemany``) on SQLite, where the FTS5 index is built once at the end (see
:class:`SqliteWriter`), and ``COPY`` on PostgreSQL, where the stored search vector and its
index follow by themselves. Ids are assigned here, so a batch needs no round trip; afterwards
PostgreSQL's id sequences are moved past them and ``commitment_number_sequence`` holds each
year's last number, so ``services.create_commitment`` goes on where the data ends. Everything
is one transaction: a failure leaves the database empty.

The same ``--seed`` gives the same register, with one exception: the users' session tokens
are random, as they must be.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Any, Generic, TypeVar

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from app.extensions import db
from app.register import benchvocabulary as words
from app.register.cli import NO_TABLES
from app.register.deadlines import resolve_phrase
from app.register.models import (
    OUTSTANDING_STATUSES,
    Commitment,
    CommitmentDeadlineTally,
    CommitmentStatus,
    CommitmentTally,
    DocumentKind,
    EventKind,
    RegisterState,
)
from app.register.recesses import RecessCalendar, default_calendar
from app.register.search import FTS_TABLE

#: The most frequent content word of the generated texts: a search for it finds about a third
#: of the register (``make bench`` searches for it).
COMMON_WORD = "voortgang"

#: Promises are made between these days (working days only).
FIRST_DAY = dt.date(2015, 1, 5)
LAST_DAY = dt.date(2026, 10, 30)
#: The day statuses and histories are reckoned to: nothing happens after it.
STATUS_DAY = dt.date(2026, 11, 1)

#: Promises per written batch (with their documents, activities and history).
BATCH_SIZE = 5_000

#: Tables bench-data fills, in the order foreign keys need.
TABLES = (
    "ministry",
    "committee",
    "official",
    "user_account",
    "document",
    "activity",
    "commitment",
    "commitment_event",
)

#: The Kamer's word for each status, kept beside promises that carry a Kamer number.
KAMER_WORDS = {
    CommitmentStatus.OPEN: "Openstaand",
    CommitmentStatus.PARTIALLY_FULFILLED: "Deels voldaan",
    CommitmentStatus.FULFILLED: "Voldaan",
    CommitmentStatus.WITHDRAWN: "Vervallen",
}

PUBLICATION_URL = "https://zoek.officielebekendmakingen.nl/{id}.html"
SYSTEM_ACTOR = "Systeem"  # as services.SYSTEM_ACTOR

T = TypeVar("T")
Row = dict[str, Any]


class BenchDataError(Exception):
    """The database cannot be filled; the message is one Dutch line for the user."""


class Zipf(Generic[T]):
    """Draws from ``items`` with weight 1 / rank ** exponent: the first is the most frequent."""

    def __init__(self, items: Sequence[T], exponent: float = 1.0) -> None:
        if not items:
            raise ValueError("Zipf needs at least one item")
        self.items = list(items)
        total = 0.0
        self.cumulative: list[float] = []
        for rank in range(1, len(self.items) + 1):
            total += 1 / rank**exponent
            self.cumulative.append(total)

    def draw(self, rng: Random) -> T:
        index = bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


@dataclass
class _Official:
    id: int
    name: str
    function: str
    active_from: dt.date
    active_to: dt.date | None
    is_minister: bool


@dataclass
class _User:
    id: int
    name: str


@dataclass
class _Ministry:
    id: int
    data: words.MinistryData
    committee_ids: list[int]
    topics: Zipf[words.Topic]
    officials: list[_Official] = field(default_factory=list)
    users: list[_User] = field(default_factory=list)
    owners: Zipf[_User] | None = None

    def officials_on(self, day: dt.date) -> list[_Official]:
        return [
            official
            for official in self.officials
            if official.active_from <= day
            and (official.active_to is None or day < official.active_to)
        ]


@dataclass
class Batch:
    """Rows for one write, per table, in foreign-key order."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in TABLES})
    promises: int = 0


@dataclass
class Summary:
    """What a run wrote, for the closing lines and for tests."""

    rows: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    common_word: int = 0
    years: dict[int, int] = field(default_factory=dict)


class Generator:
    """Makes the rows; deterministic for a seed. Call :meth:`reference` before :meth:`batches`."""

    def __init__(self, count: int, seed: int, recesses: RecessCalendar | None = None) -> None:
        self.count = count
        self.rng = Random(seed)  # noqa: S311 - made-up data, the same again for a seed
        self.recesses = recesses or default_calendar()
        self.summary = Summary()
        self.ministries: list[_Ministry] = []
        self._ids: Counter[str] = Counter()
        self._ondernummers: Counter[str] = Counter()
        self._numbers: Counter[int] = Counter()
        self._kamer_numbers: Counter[str] = Counter()
        self._deadline_cache: dict[tuple[str, dt.date], dt.date | None] = {}
        self._aspects = Zipf(words.ASPECTS, 1.3)
        self._documents = Zipf(words.DOCUMENTS, 1.1)
        self._partners = Zipf(words.PARTNERS, 1.0)
        self._details = Zipf(words.DETAILS, 1.0)
        self._triggers = Zipf(words.TRIGGERS, 1.0)
        self._additions = Zipf(words.ADDITIONS, 0.8)
        self._letter_forms = Zipf(words.LETTER_FORMS, 0.7)
        self._debate_forms = Zipf(words.DEBATE_FORMS, 0.7)
        self._phrases = Zipf(words.DEADLINE_PHRASES, 0.9)
        self._parties = Zipf(words.PARTIES, 0.8)
        self._surnames = Zipf(words.SURNAMES, 0.5)
        self._occasion_kinds = [kind for kind, *_ in words.OCCASIONS]
        self._occasion_weights = [share for _, share, *_ in words.OCCASIONS]
        self._occasion_sizes = {kind: (low, high) for kind, _, low, high in words.OCCASIONS}
        self._written = 0

    def _next_id(self, table: str) -> int:
        self._ids[table] += 1
        return self._ids[table]

    # Reference data ---------------------------------------------------------------------

    def reference(self) -> dict[str, list[Row]]:
        """Ministries, committees, officials and users."""
        rows: dict[str, list[Row]] = {name: [] for name in TABLES}
        committee_ids: dict[str, int] = {}
        for name, abbreviation in words.COMMITTEES:
            committee_ids[abbreviation] = self._next_id("committee")
            rows["committee"].append(
                {"id": committee_ids[abbreviation], "name": name, "abbreviation": abbreviation}
            )
        used_names: set[str] = set()
        emails: set[str] = set()
        clerks = max(3, min(40, self.count // 4_000))
        for data in words.MINISTRIES:
            ministry = _Ministry(
                id=self._next_id("ministry"),
                data=data,
                committee_ids=[committee_ids[data.committee]]
                + [committee_ids[c] for c in words.SIDE_COMMITTEES.get(data.code, ())],
                topics=Zipf(data.topics, 0.9),
            )
            self.ministries.append(ministry)
            rows["ministry"].append({"id": ministry.id, "code": data.code, "name": data.name})
            for official in self._officials(ministry, used_names):
                ministry.officials.append(official)
                rows["official"].append(
                    {
                        "id": official.id,
                        "name": official.name,
                        "function": official.function,
                        "ministry_id": ministry.id,
                        "active_from": official.active_from,
                        "active_to": official.active_to,
                    }
                )
            for number in range(clerks + 2):
                user = _User(self._next_id("user_account"), self._person_name())
                ministry.users.append(user)
                email = self._email(user.name, data.code, emails)
                rows["user_account"].append(
                    {
                        "id": user.id,
                        "email": email,
                        "name": user.name,
                        "role": "coordinator" if number < 2 else "clerk",
                        "ministry_id": ministry.id,
                        "active": True,
                        "password_hash": None,
                        "session_token": secrets.token_urlsafe(24),
                        "last_login_at": None,
                        "created_at": _moment(FIRST_DAY, 8, 0),
                    }
                )
            ministry.owners = Zipf(ministry.users[2:] or ministry.users, 0.6)
        for table, table_rows in rows.items():
            self.summary.rows[table] += len(table_rows)
        return rows

    def _officials(self, ministry: _Ministry, used: set[str]) -> Iterator[_Official]:
        data = ministry.data
        for _cabinet, start, end in words.CABINETS:
            if end is not None and end <= data.founded:
                continue
            begins = max(start, data.founded)
            functions = [("Minister van " + data.portfolio, True)]
            if data.code == "AZ":
                functions = [("Minister-president, Minister van Algemene Zaken", True)]
            for extra in data.extra_ministers:
                if self.rng.random() < 0.6:
                    functions.append(("Minister voor " + extra, True))
            secretaries = self.rng.choice((0, 1, 1, 2)) if data.code != "AZ" else 0
            functions += [("Staatssecretaris van " + data.portfolio, False)] * secretaries
            for function, is_minister in functions:
                name = self._official_name(used)
                yield _Official(self._next_id("official"), name, function, begins, end, is_minister)

    def _official_name(self, used: set[str]) -> str:
        while True:
            initials = "".join(
                f"{self.rng.choice(words.INITIALS)}." for _ in range(self.rng.choice((1, 2, 2, 3)))
            )
            name = f"{initials} {self.rng.choice(words.SURNAMES)}"
            if name not in used:
                used.add(name)
                return name

    def _person_name(self) -> str:
        return f"{self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.SURNAMES)}"

    @staticmethod
    def _email(name: str, code: str, used: set[str]) -> str:
        local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isalnum() or ch == ".")
        local = local.replace("ö", "o")
        domain = f"{code.lower()}.ministerie.example"
        email, number = f"{local}@{domain}", 1
        while email in used:
            number += 1
            email = f"{local}{number}@{domain}"
        used.add(email)
        return email

    # Promises ---------------------------------------------------------------------------

    def batches(self, batch_size: int = BATCH_SIZE) -> Iterator[Batch]:
        """The promises in order of the day they were made, ``batch_size`` (or a few more)
        at a time, each batch with the documents, activities and history it needs."""
        batch = Batch()
        while self._written < self.count:
            self._occasion(batch)
            if batch.promises >= batch_size:
                yield batch
                batch = Batch()
        if batch.promises:
            yield batch

    def sequence_rows(self) -> list[Row]:
        """``commitment_number_sequence``: each year's last number handed out."""
        return [{"year": year, "last_number": last} for year, last in sorted(self._numbers.items())]

    def _day(self, index: int) -> dt.date:
        """The day promise number ``index`` was made: spread evenly, on working days."""
        span = (LAST_DAY - FIRST_DAY).days
        day = FIRST_DAY + dt.timedelta(days=index * span // self.count)
        return day - dt.timedelta(days=max(0, day.weekday() - 4))  # Saturday, Sunday → Friday

    def _ministry_on(self, day: dt.date) -> _Ministry:
        existing = [m for m in self.ministries if m.data.founded <= day]
        return self.rng.choices(existing, weights=[m.data.weight for m in existing])[0]

    def _occasion(self, batch: Batch) -> None:
        """One letter or meeting, and the promises made in it."""
        rng = self.rng
        day = self._day(self._written)
        kind = rng.choices(self._occasion_kinds, weights=self._occasion_weights)[0]
        low, high = self._occasion_sizes[kind]
        size = min(rng.randint(low, high), self.count - self._written)
        ministry = self._ministry_on(day)
        topic = ministry.topics.draw(rng)
        officials = ministry.officials_on(day) or ministry.officials
        official = next((o for o in officials if o.is_minister), officials[0])
        if rng.random() < 0.45:
            official = rng.choice(officials)
        rows = batch.rows
        activity_id: int | None = None
        committee_id: int | None = ministry.committee_ids[0]
        first_person = kind in {"Kamerbrief", "Schriftelijk overleg"}
        if kind == "Kamerbrief":
            source_id = self._document(rows, DocumentKind.LETTER, topic, day, official)
        elif kind == "Plenair debat":
            report_id = self._proceedings(rows, topic, day)
            source_id = report_id
            activity_id = self._activity(
                rows, kind, f"Debat over {topic.short}", day, None, report_id
            )
            committee_id = committee_id if rng.random() < 0.7 else None
        else:
            if len(ministry.committee_ids) > 1 and rng.random() < 0.2:
                committee_id = rng.choice(ministry.committee_ids[1:])
            report_id = self._document(
                rows, DocumentKind.REPORT, topic, day + dt.timedelta(days=rng.randint(14, 45)),
                official, title=f"Verslag van een {kind.lower()} over {topic.dossier_title}",
            )  # fmt: skip
            source_id = report_id
            activity_id = self._activity(
                rows, kind, topic.dossier_title, day, committee_id, report_id
            )
        fulfilling: tuple[int, str, dt.date] | None = None
        for _ in range(size):
            if rng.random() > 0.7:
                topic = ministry.topics.draw(rng)
            fulfilling = self._promise(
                rows,
                day=day,
                ministry=ministry,
                official=official,
                topic=topic,
                first_person=first_person,
                debate=not first_person,
                source_id=source_id,
                activity_id=activity_id,
                committee_id=committee_id,
                fulfilling=fulfilling,
            )
            batch.promises += 1

    def _document(
        self,
        rows: dict[str, list[Row]],
        kind: DocumentKind,
        topic: words.Topic,
        day: dt.date,
        official: _Official,
        *,
        title: str | None = None,
    ) -> int:
        self._ondernummers[topic.dossier] += 1
        ondernummer = str(self._ondernummers[topic.dossier])
        kamerstuk = f"kst-{topic.dossier.replace(' ', '')}-{ondernummer}"
        document_id = self._next_id("document")
        function = official.function[0].lower() + official.function[1:]
        rows["document"].append(
            {
                "id": document_id,
                "kind": kind.value,
                "dossier_number": topic.dossier,
                "ondernummer": ondernummer,
                "title": title or f"Brief van de {function} over {topic.short}",
                "date": min(day, STATUS_DAY),
                "url": PUBLICATION_URL.format(id=kamerstuk),
            }
        )
        return document_id

    def _proceedings(self, rows: dict[str, list[Row]], topic: words.Topic, day: dt.date) -> int:
        """The Handelingen of a plenary debate: a document outside any dossier."""
        session_year = day.year if day >= dt.date(day.year, 9, 15) else day.year - 1
        sitting = 1 + (day - dt.date(session_year, 9, 15)).days // 3
        item = self.rng.randint(2, 30)
        document_id = self._next_id("document")
        rows["document"].append(
            {
                "id": document_id,
                "kind": DocumentKind.PROCEEDINGS.value,
                "dossier_number": None,
                "ondernummer": None,
                "title": f"Handelingen II {session_year}/{session_year + 1 - 2000:02d}, "
                f"nr. {sitting}, item {item}: debat over {topic.short}",
                "date": day + dt.timedelta(days=1),
                "url": PUBLICATION_URL.format(
                    id=f"h-tk-{session_year}{session_year + 1}-{sitting}-{item}"
                ),
            }
        )
        return document_id

    def _activity(
        self,
        rows: dict[str, list[Row]],
        kind: str,
        title: str,
        day: dt.date,
        committee_id: int | None,
        report_id: int,
    ) -> int:
        activity_id = self._next_id("activity")
        rows["activity"].append(
            {
                "id": activity_id,
                "kind": kind,
                "title": title,
                "date": day,
                "committee_id": committee_id,
                "report_id": report_id,
            }
        )
        return activity_id

    def _member(self) -> str:
        surname = self._surnames.draw(self.rng)
        return surname[0].upper() + surname[1:]

    def _text(
        self, *, first_person: bool, official: _Official, topic: words.Topic, when: str
    ) -> tuple[str, str]:
        """(text, title) of one promise."""
        rng = self.rng
        aspect, aspect_title = self._aspects.draw(rng)
        document, document_title = self._documents.draw(rng)
        subject = f"{aspect} van {topic.phrase}" if rng.random() < 0.85 else topic.phrase
        form = (self._letter_forms if first_person else self._debate_forms).draw(rng)
        role = "minister" if official.is_minister else "staatssecretaris"
        if official.function.startswith("Minister-president"):
            role = "minister-president"
        elif rng.random() < 0.25:
            role = official.function[0].lower() + official.function[1:]
        text = form.format(
            when=when,
            doc=document,
            subject=subject,
            partner=self._partners.draw(rng),
            role=role,
            member=self._member(),
        )
        if rng.random() < 0.3:
            text += " " + self._additions.draw(rng).format(
                detail=self._details.draw(rng),
                trigger=self._triggers.draw(rng).format(member=self._member()),
            )
        text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".")
        if "{doc}" in form and rng.random() < 0.4:
            title = f"{document_title} over {topic.short}"
        elif subject != topic.phrase and rng.random() < 0.7:
            title = f"{aspect_title} {topic.short}"
        else:
            title = f"Informeren over {topic.short}"
        return text, title[0].upper() + title[1:]

    def _resolve(self, phrase: str, day: dt.date) -> dt.date | None:
        key = (phrase, day)
        if key not in self._deadline_cache:
            self._deadline_cache[key] = resolve_phrase(phrase, day, self.recesses)
        return self._deadline_cache[key]

    def _deadline(self, day: dt.date) -> tuple[str | None, dt.date | None]:
        """(phrase, date): most promises name a period, some only a date, some nothing."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.68:
            month = words.MONTHS[(day.month - 1 + rng.randint(1, 5)) % 12]
            phrase = self._phrases.draw(rng).format(
                year=day.year if day.month <= 4 else day.year + 1, next=day.year + 1, month=month
            )
            date = self._resolve(phrase, day)
            if date is not None and date < day:
                date = None
            return phrase, date
        if draw < 0.74:
            phrase = rng.choice(words.VAGUE_PHRASES)
            if rng.random() < 0.4:
                return phrase, _end_of_month(day + dt.timedelta(days=rng.randint(60, 180)))
            return phrase, None
        if draw < 0.90:
            return None, _end_of_month(day + dt.timedelta(days=rng.randint(30, 400)))
        return None, None

    def _status(self, day: dt.date) -> CommitmentStatus:
        age = (STATUS_DAY - day).days / 365.25
        draw = self.rng.random()
        if draw < 0.035:
            return CommitmentStatus.WITHDRAWN
        if draw < 0.075:
            return CommitmentStatus.PARTIALLY_FULFILLED
        fulfilled_share = min(0.93, 0.1 + 0.4 * age)
        if draw < 0.075 + 0.925 * fulfilled_share:
            return CommitmentStatus.FULFILLED
        return CommitmentStatus.OPEN

    def _number(self, day: dt.date) -> str:
        self._numbers[day.year] += 1
        return f"TZ-{day.year}-{self._numbers[day.year]:04d}"

    def _kamer_number(self, day: dt.date) -> str:
        month = f"{day.year}{day.month:02d}"
        self._kamer_numbers[month] += 1
        return f"TZ{month}-{self._kamer_numbers[month]:03d}"

    def _promise(
        self,
        rows: dict[str, list[Row]],
        *,
        day: dt.date,
        ministry: _Ministry,
        official: _Official,
        topic: words.Topic,
        first_person: bool,
        debate: bool,
        source_id: int,
        activity_id: int | None,
        committee_id: int | None,
        fulfilling: tuple[int, str, dt.date] | None,
    ) -> tuple[int, str, dt.date] | None:
        """Add one promise and its history; returns the fulfilling letter, for the next one
        of the same occasion to share."""
        rng = self.rng
        commitment_id = self._next_id("commitment")
        phrase, deadline = self._deadline(day)
        text, title = self._text(
            first_person=first_person, official=official, topic=topic, when=phrase or ""
        )
        status = self._status(day)
        assert ministry.owners is not None
        owner = ministry.owners.draw(rng) if rng.random() < 0.85 else None

        def actor() -> _User | None:
            draw = rng.random()
            if draw < 0.1:
                return None
            return owner if owner is not None and draw < 0.8 else rng.choice(ministry.users)

        created = _moment(
            min(day + dt.timedelta(days=rng.randint(0, 10)), STATUS_DAY - dt.timedelta(days=1)),
            rng.randint(7, 16),
            rng.randint(0, 59),
        )
        events: list[tuple[EventKind, list[dict[str, Any]], str | None, dt.datetime]] = [
            (
                EventKind.CREATED,
                [
                    _change("title", None, title),
                    _change("status", None, CommitmentStatus.OPEN.value),
                    _change("deadline", None, deadline),
                    _change("deadline_phrase", None, phrase),
                ],
                "Overgenomen uit de brief." if first_person and rng.random() < 0.5 else None,
                created,
            )
        ]
        # When the status changed, if it did.
        fulfilled_by: int | None = None
        fulfilled_on: dt.date | None = None
        status_day: dt.date | None = None
        if status is not CommitmentStatus.OPEN:
            if status is CommitmentStatus.WITHDRAWN:
                status_day = day + dt.timedelta(days=rng.randint(60, 900))
            elif fulfilling is not None and rng.random() < 0.6:
                fulfilled_by, _label, status_day = fulfilling
            elif deadline is not None:
                status_day = deadline + dt.timedelta(days=rng.randint(-45, 150))
            else:
                status_day = day + dt.timedelta(days=rng.randint(30, 500))
            status_day = max(day, min(status_day, STATUS_DAY - dt.timedelta(days=1)))
        # A moved deadline, for a share of the dated promises.
        final_deadline, final_phrase = deadline, phrase
        if deadline is not None and rng.random() < 0.15:
            latest = min(deadline + dt.timedelta(days=20), STATUS_DAY - dt.timedelta(days=2))
            if status_day is not None:
                latest = min(latest, status_day - dt.timedelta(days=1))
            earliest = created.date() + dt.timedelta(days=1)
            if earliest <= latest:
                moved_on = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
                final_deadline = deadline + dt.timedelta(days=rng.randint(30, 270))
                final_phrase = None
                if rng.random() < 0.5:
                    final_phrase = (
                        f"uiterlijk {final_deadline.day} {words.MONTHS[final_deadline.month - 1]} "
                        f"{final_deadline.year}"
                    )
                changes = [_change("deadline", deadline, final_deadline)]
                if final_phrase != phrase:
                    changes.append(_change("deadline_phrase", phrase, final_phrase))
                events.append(
                    (
                        EventKind.DEADLINE_CHANGED,
                        changes,
                        rng.choice(words.DEADLINE_NOTES),
                        _moment(moved_on, rng.randint(7, 16), rng.randint(0, 59)),
                    )
                )
        if status_day is not None:
            moment = max(
                _moment(status_day, rng.randint(7, 16), rng.randint(0, 59)),
                events[-1][3] + dt.timedelta(hours=1),
            )
            if status is CommitmentStatus.WITHDRAWN:
                events.append(
                    (
                        EventKind.STATUS_CHANGED,
                        [_change("status", "open", status.value)],
                        rng.choice(words.WITHDRAWN_NOTES),
                        moment,
                    )
                )
            else:
                if fulfilled_by is None:
                    fulfilled_by = self._document(
                        rows, DocumentKind.LETTER, topic, status_day, official
                    )
                    ondernummer = rows["document"][-1]["ondernummer"]
                    fulfilling = (fulfilled_by, f"{topic.dossier}, nr. {ondernummer}", status_day)
                assert fulfilling is not None
                fulfilled_on, label = status_day, fulfilling[1]
                events.append(
                    (
                        EventKind.FULFILLED,
                        [
                            _change("status", "open", status.value),
                            _change("fulfilled_by", None, label),
                            _change("fulfilled_on", None, fulfilled_on),
                        ],
                        f"Voldaan met Kamerstuk {label}.",
                        moment,
                    )
                )
        kamer_number = self._kamer_number(day) if debate and rng.random() < 0.45 else None
        rows["commitment"].append(
            {
                "id": commitment_id,
                "number": self._number(day),
                "kamer_number": kamer_number,
                "title": title,
                "text": text,
                "made_on": day,
                "source_document_id": source_id,
                "activity_id": activity_id,
                "ministry_id": ministry.id,
                "responsible_official_id": official.id,
                "owner_id": owner.id if owner else None,
                "requested_by": (
                    f"{self._member()} ({self._parties.draw(rng)})"
                    if rng.random() < (0.7 if debate else 0.1)
                    else None
                ),
                "committee_id": committee_id,
                "deadline": final_deadline,
                "deadline_phrase": final_phrase,
                "status": status.value,
                "kamer_status": KAMER_WORDS[status] if kamer_number else None,
                "fulfilled_by_id": fulfilled_by,
                "fulfilled_on": fulfilled_on,
                "internal_note": (
                    rng.choice(words.INTERNAL_NOTES) if rng.random() < 0.08 else None
                ),
                "version": len(events),
                "created_at": created,
                "updated_at": events[-1][3],
            }
        )
        for kind, changes, note, moment in events:
            person = actor()
            rows["commitment_event"].append(
                {
                    "id": self._next_id("commitment_event"),
                    "commitment_id": commitment_id,
                    "occurred_at": moment,
                    "kind": kind.value,
                    "actor_id": person.id if person else None,
                    "actor_name": person.name if person else SYSTEM_ACTOR,
                    "changes": changes,
                    "note": note,
                }
            )
        self._written += 1
        self.summary.statuses[status.value] += 1
        if COMMON_WORD in text.lower() or COMMON_WORD in title.lower():
            self.summary.common_word += 1
        return fulfilling


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def _end_of_month(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _change(field: str, old: Any, new: Any) -> dict[str, Any]:
    """A history change as services._change writes it: values as text, dates in ISO form."""

    def text(value: Any) -> str | None:
        if value is None:
            return None
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return {"field": field, "old": text(old), "new": text(new)}


# Writing ----------------------------------------------------------------------------------


class Writer:
    """Writes rows with SQLAlchemy Core: one ``executemany`` per table and batch."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def start(self) -> None:
        """Called before the first row, in the load's transaction."""

    def write(self, table: sa.Table, rows: list[Row]) -> None:
        if rows:
            self.connection.execute(table.insert(), rows)

    def finish(self, tables: Sequence[sa.Table]) -> None:
        """Called after the last row, in the same transaction."""


class SqliteWriter(Writer):
    """SQLite: Core ``executemany``, with the search index and the tallies (per status and per
    deadline month) built once at the end.

    The migrations' triggers index each row as it is inserted, count it in the tallies and
    raise the register's version; for a load, doing each once afterwards is several times
    faster. The triggers are dropped at the start and created again from their own stored SQL
    at the end, all inside the load's transaction: if the load fails, the rollback brings them
    back unchanged.
    """

    def start(self) -> None:
        self.triggers = list(
            self.connection.execute(
                sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).tuples()
        )
        for name, _sql in self.triggers:
            self.connection.exec_driver_sql(f'DROP TRIGGER "{name}"')

    def finish(self, tables: Sequence[sa.Table]) -> None:
        rebuild = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"  # noqa: S608
        self.connection.exec_driver_sql(rebuild)
        counted = sa.select(Commitment.ministry_id, Commitment.status, sa.func.count())
        self.connection.execute(sa.delete(CommitmentTally))
        self.connection.execute(
            sa.insert(CommitmentTally).from_select(
                ["ministry_id", "status", "total"],
                counted.group_by(Commitment.ministry_id, Commitment.status),
            )
        )
        # The outstanding, visible promises per ministry and deadline month, as the migration
        # e2bddd17fbaf counts them (SQLite's first day of the month).
        month = sa.func.date(Commitment.deadline, "start of month")
        self.connection.execute(sa.delete(CommitmentDeadlineTally))
        self.connection.execute(
            sa.insert(CommitmentDeadlineTally).from_select(
                ["ministry_id", "month", "total"],
                sa.select(Commitment.ministry_id, month, sa.func.count())
                .where(
                    Commitment.status.in_(OUTSTANDING_STATUSES),
                    Commitment.hidden.is_(False),
                    Commitment.deadline.is_not(None),
                )
                .group_by(Commitment.ministry_id, month),
            )
        )
        self.connection.execute(sa.update(RegisterState).values(version=RegisterState.version + 1))
        for _name, sql in self.triggers:
            self.connection.exec_driver_sql(sql)


class CopyWriter(Writer):
    """PostgreSQL: ``COPY … FROM STDIN`` through psycopg, then id sequences past the ids used."""

    def write(self, table: sa.Table, rows: list[Row]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
        driver = self.connection.connection.driver_connection
        assert driver is not None
        names = ", ".join(columns)
        statement = f"COPY {table.name} ({names}) FROM STDIN"  # names from the models
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[c], ensure_ascii=False) if c in json_columns else row[c]
                        for c in columns
                    ]
                )

    def finish(self, tables: Sequence[sa.Table]) -> None:
        for table in tables:
            if "id" not in table.columns:
                continue
            # Table names from the models, never from input.
            statement = (
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
            self.connection.exec_driver_sql(statement)


def table(name: str) -> sa.Table:
    """A table of the app's metadata; the user table belongs to app.auth, a layer above."""
    return db.metadata.tables[name]


def rows_present(connection: sa.Connection) -> dict[str, int]:
    """How many rows the tables bench-data fills already hold (only those that hold some)."""
    counts = {}
    for name in TABLES:
        count = connection.scalar(sa.select(sa.func.count()).select_from(table(name))) or 0
        if count:
            counts[name] = count
    return counts


def fill(
    count: int,
    seed: int,
    *,
    progress: Callable[[str], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> Summary:
    """Fill the app's (empty, migrated) database with ``count`` promises; commits once."""
    say = progress or (lambda _line: None)
    engine = db.engine
    dialect = engine.dialect.name
    generator = Generator(count, seed)
    started = time.perf_counter()
    with engine.connect() as connection:
        if dialect == "sqlite":
            # A page cache that holds the indexes being filled (256 MB; default 2 MB), so that
            # the load does not spill pages and read them back; for this connection only.
            connection.exec_driver_sql("PRAGMA cache_size=-262144")
        try:
            present = rows_present(connection)
        except (sa.exc.OperationalError, sa.exc.ProgrammingError):
            raise BenchDataError(NO_TABLES) from None
        connection.rollback()
        if present:
            described = ", ".join(f"{name}: {number}" for name, number in present.items())
            raise BenchDataError(
                f"De database is niet leeg ({described}); bench-data vult alleen een lege, "
                "gemigreerde database."
            )
        writer = CopyWriter(connection) if dialect == "postgresql" else SqliteWriter(connection)
        with connection.begin():
            writer.start()
            say(f"Testgegevens maken: {_dutch(count)} toezeggingen (seed {seed}) in {dialect}.")
            reference = generator.reference()
            for name in TABLES:
                writer.write(table(name), reference[name])
            say(
                f"  referentiegegevens: {len(reference['ministry'])} ministeries, "
                f"{len(reference['committee'])} commissies, "
                f"{len(reference['official'])} bewindspersonen, "
                f"{len(reference['user_account'])} gebruikers"
            )
            written, step = 0, max(1, count // 10)
            next_report = step
            for batch in generator.batches(batch_size):
                for name in TABLES:
                    writer.write(table(name), batch.rows[name])
                    generator.summary.rows[name] += len(batch.rows[name])
                written += batch.promises
                if written >= next_report or written == count:
                    elapsed = time.perf_counter() - started
                    say(
                        f"  {written * 100 // count:3d}%: {_dutch(written)} toezeggingen "
                        f"({_dutch(round(written / elapsed))}/s)"
                    )
                    while next_report <= written:
                        next_report += step
            writer.write(table("commitment_number_sequence"), generator.sequence_rows())
            writer.finish([table(name) for name in TABLES])
        if dialect == "postgresql":
            # Fresh statistics, as autovacuum would gather them shortly after a load.
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            for name in TABLES:
                autocommit.exec_driver_sql(f"VACUUM ANALYZE {name}")
        else:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return generator.summary


def _dutch(number: int) -> str:
    """12345 → 12.345, as Dutch text writes thousands."""
    return f"{number:,}".replace(",", ".")


@click.command("bench-data")
@click.option("--count", type=click.IntRange(min=1), required=True, help="Aantal toezeggingen.")
@click.option("--seed", type=int, default=1, show_default=True, help="Zelfde seed, zelfde data.")
@with_appcontext
def bench_data_command(count: int, seed: int) -> None:
    """Vul een lege, gemigreerde database met COUNT realistische toezeggingen, om te meten."""
    started = time.perf_counter()
    try:
        summary = fill(count, seed, progress=click.echo)
    except BenchDataError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    elapsed = time.perf_counter() - started
    rows = summary.rows
    seconds = f"{elapsed:.1f}".replace(".", ",")
    click.echo(
        f"Klaar in {seconds} s ({_dutch(round(count / elapsed))} toezeggingen/s): "
        f"{_dutch(rows['commitment'])} toezeggingen, {_dutch(rows['document'])} documenten, "
        f"{_dutch(rows['activity'])} activiteiten, "
        f"{_dutch(rows['commitment_event'])} geschiedenisregels, "
        f"{_dutch(rows['user_account'])} gebruikers."
    )
    labels = {status.value: status.label.lower() for status in CommitmentStatus}
    shares = ", ".join(
        f"{labels[status]} {100 * number / count:.0f}%"
        for status, number in summary.statuses.most_common()
    )
    outstanding = sum(summary.statuses[s.value] for s in OUTSTANDING_STATUSES)
    click.echo(f"Status: {shares} ({_dutch(outstanding)} nog openstaand of deels voldaan).")
    click.echo(
        f'Veelvoorkomend zoekwoord "{COMMON_WORD}": in {100 * summary.common_word / count:.0f}% '
        "van de toezeggingen."
    )
