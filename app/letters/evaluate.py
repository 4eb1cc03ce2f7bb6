"""Score the letter reader against a labelled corpus (issue 16): `flask letters evaluate DIR`.

A corpus file is a letter with one sentence a line; a line may start with a label in braces
(tests/letters/corpus/README.md has the format). The evaluator takes the labels off, reads the
letter as the review screen would, and compares what the reader proposes with the labels:

- **promises**: recall per construction kind (the label's), precision per kind (the kind the
  reader gives its proposal), every miss with the rules that did match and the score they reached,
  every false positive with its label (a past action, what others do …) and the rules that fired;
- **deadlines**: a promise found with a labelled deadline is right when the reader's date is within
  ``DEADLINE_DAYS`` of the label's (or both have none);
- **fulfilments**: an earlier promise reported (``reported``) or delivered (``fulfilled``) is right
  when a fulfil item of the same kind holds its sentence, and the sentence before it when the label
  says ``with=prev``.

Runs can be saved as JSON and compared: figures side by side, and each sentence whose outcome
changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.letters.extract import LetterReading, explain_promise, letter_date, read_letter
from app.register.deadlines import MONTHS, resolve_phrase
from app.register.recesses import RecessCalendar

#: A deadline within this many days of the label's counts as right.
DEADLINE_DAYS = 7
PROMISE = "promise"
FULFIL_LABELS = ("reported", "fulfilled")
_LABEL = re.compile(r"^\{([^}]*)\}\s*")


@dataclass
class Gold:
    """One labelled sentence."""

    letter: str
    line: int
    text: str
    label: str  # promise | reported | fulfilled | none
    kind: str  # construction kind of a promise, reason of a negative
    deadline: dt.date | None = None
    #: False when the label says nothing about the deadline (not scored).
    deadline_scored: bool = False
    with_previous: str | None = None

    @property
    def key(self) -> str:
        return f"{self.letter}:{self.line}"


@dataclass
class CorpusLetter:
    name: str
    text: str
    gold: list[Gold]
    #: Every sentence line of the letter, labelled or not, with its line number.
    lines: list[tuple[int, str]]


class CorpusError(ValueError):
    """A corpus file that does not follow the format."""


def parse_letter(path: Path, recesses: RecessCalendar | None = None) -> CorpusLetter:
    """The letter's text without comments and labels, and its labels."""
    kept: list[str] = []
    gold: list[Gold] = []
    lines: list[tuple[int, str]] = []
    pending: list[tuple[int, str, str]] = []
    previous_text: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.startswith("#"):
            continue
        match = _LABEL.match(raw)
        text = raw[match.end() :] if match else raw
        kept.append(text)
        if text.strip():
            lines.append((number, text.strip()))
        if match:
            pending.append((number, match.group(1), text.strip()))
            if "with=prev" in match.group(1) and previous_text is None:
                raise CorpusError(f"{path.name}:{number}: with=prev zonder zin ervoor")
            gold.append(_gold(path.name, number, match.group(1), text.strip(), previous_text))
        previous_text = text.strip() or previous_text
    letter_text = "\n".join(kept) + "\n"
    letter_date = _letter_date(letter_text)
    for item, (number, label, _text) in zip(gold, pending, strict=True):
        _resolve_deadline(item, label, letter_date, recesses, f"{path.name}:{number}")
    return CorpusLetter(path.name, letter_text, gold, lines)


def _gold(letter: str, line: int, label: str, text: str, previous: str | None) -> Gold:
    try:
        parts = shlex.split(label)
    except ValueError as error:
        raise CorpusError(f"{letter}:{line}: {error}") from None
    head, _, kind = parts[0].partition(":")
    if head not in {PROMISE, "none", *FULFIL_LABELS}:
        raise CorpusError(f"{letter}:{line}: onbekend label {head!r}")
    options = dict(part.split("=", 1) for part in parts[1:])
    return Gold(
        letter=letter,
        line=line,
        text=text,
        label=head,
        kind=kind or ("other" if head == "none" else head),
        with_previous=previous if options.get("with") == "prev" else None,
    )


def _resolve_deadline(
    item: Gold,
    label: str,
    letter_date: dt.date | None,
    recesses: RecessCalendar | None,
    where: str,
) -> None:
    options = dict(part.split("=", 1) for part in shlex.split(label)[1:])
    if "deadline" in options:
        item.deadline_scored = True
        value = options["deadline"]
        item.deadline = None if value == "none" else dt.date.fromisoformat(value)
    elif "phrase" in options:
        if letter_date is None:
            raise CorpusError(f"{where}: phrase= vraagt een brief met een datum")
        item.deadline_scored = True
        item.deadline = resolve_phrase(options["phrase"], letter_date, recesses)
        if item.deadline is None:
            raise CorpusError(f"{where}: {options['phrase']!r} geeft geen datum")


_DEBATE_DATE = re.compile(
    rf"\bop (\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}}) overleg gevoerd", re.IGNORECASE
)


def _letter_date(text: str) -> dt.date | None:
    """The day the labels' phrases count from: the letter's date, or a debate's day."""
    debate = _DEBATE_DATE.search(text)
    if debate:
        return dt.date(int(debate.group(3)), MONTHS[debate.group(2).lower()], int(debate.group(1)))
    return letter_date(text)


def load_corpus(directory: Path, recesses: RecessCalendar | None = None) -> list[CorpusLetter]:
    files = sorted(directory.glob("*.txt"))
    if not files:
        raise CorpusError(f"{directory}: geen brieven (*.txt)")
    return [parse_letter(path, recesses) for path in files]


def _normal(text: str) -> str:
    return " ".join(text.split())


def _same(found: str, gold: str) -> bool:
    """The reader's sentence is the labelled one (or holds it, when it was joined to another)."""
    found, gold = _normal(found), _normal(gold)
    return gold in found or (len(found) > 20 and found in gold)


@dataclass
class Outcome:
    key: str
    kind: str
    result: str  # hit | miss | false_positive | deadline_wrong | fulfil_wrong …
    text: str
    reason: str = ""


@dataclass
class Tally:
    hits: int = 0
    total: int = 0

    def share(self) -> float | None:
        return round(self.hits / self.total, 3) if self.total else None


@dataclass
class Report:
    part: str
    letters: int = 0
    labelled: int = 0
    promises: Tally = field(default_factory=Tally)  # recall
    proposed: Tally = field(default_factory=Tally)  # precision
    deadlines: Tally = field(default_factory=Tally)
    fulfilments: Tally = field(default_factory=Tally)
    recall_by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    precision_by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    deadlines_by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    fulfilments_by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    false_positives_by_label: Counter[str] = field(default_factory=Counter)
    outcomes: list[Outcome] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        def shares(tallies: dict[str, Tally]) -> dict[str, Any]:
            return {k: [t.hits, t.total, t.share()] for k, t in sorted(tallies.items())}

        return {
            "part": self.part,
            "letters": self.letters,
            "labelled": self.labelled,
            "recall": self.promises.share(),
            "precision": self.proposed.share(),
            "deadlines": self.deadlines.share(),
            "fulfilments": self.fulfilments.share(),
            "counts": {
                "promises": [self.promises.hits, self.promises.total],
                "proposed": [self.proposed.hits, self.proposed.total],
                "deadlines": [self.deadlines.hits, self.deadlines.total],
                "fulfilments": [self.fulfilments.hits, self.fulfilments.total],
            },
            "recall_by_kind": shares(self.recall_by_kind),
            "precision_by_kind": shares(self.precision_by_kind),
            "deadlines_by_kind": shares(self.deadlines_by_kind),
            "fulfilments_by_kind": shares(self.fulfilments_by_kind),
            "false_positives_by_label": dict(sorted(self.false_positives_by_label.items())),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "figures": self.figures(),
            "outcomes": {_outcome_key(o): o.result for o in self.outcomes},
        }


_ASPECTS = {
    "hit": "promise",
    "miss": "promise",
    "false_positive": "proposed",
    "deadline_right": "deadline",
    "deadline_wrong": "deadline",
    "fulfil_right": "fulfil",
    "fulfil_miss": "fulfil",
    "fulfil_wrong": "fulfil",
    "fulfil_false_positive": "fulfil_proposed",
}


def _outcome_key(outcome: Outcome) -> str:
    key = outcome.key
    if key.endswith(":?"):  # an unlabelled sentence: named by its beginning
        key += " " + _normal(outcome.text)[:40]
    return f"{key}/{_ASPECTS[outcome.result]}"


def evaluate(
    letters: Iterable[CorpusLetter],
    part: str,
    recesses: RecessCalendar | None = None,
    today: dt.date | None = None,
) -> Report:
    report = Report(part)
    for letter in letters:
        report.letters += 1
        report.labelled += len(letter.gold)
        reading = read_letter(letter.text, recesses, today=today)
        _score_letter(report, letter, reading)
    return report


def _gold_for(letter: CorpusLetter, sentence: str) -> Gold | None:
    return next((g for g in letter.gold if _same(sentence, g.text)), None)


def _score_letter(report: Report, letter: CorpusLetter, reading: LetterReading) -> None:
    promises = reading.promises
    for gold in letter.gold:
        if gold.label != PROMISE:
            continue
        report.promises.total += 1
        report.recall_by_kind[gold.kind].total += 1
        found = next((p for p in promises if _same(p.sentence, gold.text)), None)
        if found is None:
            report.outcomes.append(
                Outcome(gold.key, gold.kind, "miss", gold.text, explain_promise(reading, gold.text))
            )
            continue
        report.promises.hits += 1
        report.recall_by_kind[gold.kind].hits += 1
        report.outcomes.append(Outcome(gold.key, gold.kind, "hit", gold.text))
        if gold.deadline_scored:
            report.deadlines.total += 1
            report.deadlines_by_kind[gold.kind].total += 1
            if _deadline_right(found.deadline, gold.deadline):
                report.deadlines.hits += 1
                report.deadlines_by_kind[gold.kind].hits += 1
                report.outcomes.append(Outcome(gold.key, gold.kind, "deadline_right", gold.text))
            else:
                took = (
                    f"'{found.deadline_phrase}' → {found.deadline.isoformat()}"
                    if found.deadline
                    else f"'{found.deadline_phrase or ''}' zonder datum"
                )
                expected = gold.deadline.isoformat() if gold.deadline else "geen datum"
                report.outcomes.append(
                    Outcome(
                        gold.key,
                        gold.kind,
                        "deadline_wrong",
                        gold.text,
                        f"nam {took}, verwacht {expected}",
                    )
                )
    for promise in promises:
        kind = promise.kind or "?"
        report.proposed.total += 1
        report.precision_by_kind[kind].total += 1
        labelled = _gold_for(letter, promise.sentence)
        if labelled is not None and labelled.label == PROMISE:
            report.proposed.hits += 1
            report.precision_by_kind[kind].hits += 1
            continue
        label = f"{labelled.label}:{labelled.kind}" if labelled else "none:other"
        key = labelled.key if labelled else f"{letter.name}:?"
        report.false_positives_by_label[label] += 1
        report.outcomes.append(
            Outcome(
                key,
                label,
                "false_positive",
                promise.sentence,
                f"{label}; regels: {', '.join(promise.rules)}",
            )
        )
    _score_fulfilments(report, letter, reading)


def _deadline_right(found: dt.date | None, expected: dt.date | None) -> bool:
    if found is None or expected is None:
        return found is None and expected is None
    return abs((found - expected).days) <= DEADLINE_DAYS


def _score_fulfilments(report: Report, letter: CorpusLetter, reading: LetterReading) -> None:
    items = reading.fulfilments
    used: set[int] = set()
    for gold in letter.gold:
        if gold.label not in FULFIL_LABELS:
            continue
        report.fulfilments.total += 1
        report.fulfilments_by_kind[gold.label].total += 1
        index, item = next(
            ((i, f) for i, f in enumerate(items) if _same(f.sentence, gold.text)), (-1, None)
        )
        if item is None:
            reason = "niet gevonden"
            if any(_same(p.sentence, gold.text) for p in reading.promises):
                reason = "als nieuwe toezegging gelezen"
            report.outcomes.append(Outcome(gold.key, gold.label, "fulfil_miss", gold.text, reason))
            continue
        used.add(index)
        problems = []
        if item.kind != gold.label:
            problems.append(f"soort {item.kind}, verwacht {gold.label}")
        if gold.with_previous and _normal(gold.with_previous) not in _normal(item.sentence):
            problems.append("zonder de zin ervoor (wat werd toegezegd)")
        if problems:
            report.outcomes.append(
                Outcome(gold.key, gold.label, "fulfil_wrong", gold.text, "; ".join(problems))
            )
            continue
        report.fulfilments.hits += 1
        report.fulfilments_by_kind[gold.label].hits += 1
        report.outcomes.append(Outcome(gold.key, gold.label, "fulfil_right", gold.text))
    for index, item in enumerate(items):
        if index in used:
            continue
        other = _gold_for(letter, item.sentence)
        label = f"{other.label}:{other.kind}" if other else "none:other"
        report.outcomes.append(
            Outcome(
                other.key if other else f"{letter.name}:?",
                label,
                "fulfil_false_positive",
                item.sentence,
                label,
            )
        )


# Printing ------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "  –  " if value is None else f"{value:5.2f}"


def format_report(report: Report, details: bool = True) -> list[str]:
    figures = report.figures()
    counts = figures["counts"]
    lines = [
        f"Deel: {report.part} — {report.letters} brieven, {report.labelled} gelabelde zinnen",
        f"  recall       {_percent(figures['recall'])}  ({counts['promises'][0]}/{counts['promises'][1]} toezeggingen gevonden)",  # noqa: E501
        f"  precisie     {_percent(figures['precision'])}  ({counts['proposed'][0]}/{counts['proposed'][1]} voorstellen juist)",  # noqa: E501
        f"  termijnen    {_percent(figures['deadlines'])}  ({counts['deadlines'][0]}/{counts['deadlines'][1]} binnen {DEADLINE_DAYS} dagen, van de gevonden toezeggingen)",  # noqa: E501
        f"  nakomingen   {_percent(figures['fulfilments'])}  ({counts['fulfilments'][0]}/{counts['fulfilments'][1]} juist: soort en zin)",  # noqa: E501
        "",
        "  per soort          recall        precisie      termijnen",
    ]
    kinds = sorted(set(report.recall_by_kind) | set(report.precision_by_kind))
    for kind in kinds:
        recall = report.recall_by_kind.get(kind, Tally())
        precision = report.precision_by_kind.get(kind, Tally())
        deadlines = report.deadlines_by_kind.get(kind, Tally())
        lines.append(f"  {kind:<16} {_cell(recall)}  {_cell(precision)}  {_cell(deadlines)}")
    for kind in FULFIL_LABELS:
        tally = report.fulfilments_by_kind.get(kind, Tally())
        lines.append(f"  nakoming {kind:<9} {_cell(tally)}")
    if report.false_positives_by_label:
        lines.append(
            "  onterecht voorgesteld: "
            + ", ".join(f"{k} {v}" for k, v in sorted(report.false_positives_by_label.items()))
        )
    if details:
        for title, results in (
            ("Gemist", {"miss"}),
            ("Onterecht voorgesteld", {"false_positive"}),
            ("Verkeerde termijn", {"deadline_wrong"}),
            ("Nakomingen fout", {"fulfil_miss", "fulfil_wrong", "fulfil_false_positive"}),
        ):
            chosen = [o for o in report.outcomes if o.result in results]
            if not chosen:
                continue
            lines.append("")
            lines.append(f"{title} ({len(chosen)}):")
            for outcome in chosen:
                lines.append(f"- [{outcome.key}] ({outcome.kind}) {outcome.text}")
                if outcome.reason:
                    lines.append(f"    reden: {outcome.reason}")
    return lines


def _cell(tally: Tally) -> str:
    if not tally.total:
        return "      –     "
    return f"{tally.share():4.2f} ({tally.hits:>2}/{tally.total:<2})"


def compare(report: Report, earlier: dict[str, Any], details: bool = True) -> list[str]:
    """The figures beside a saved run's, and the sentences whose outcome changed."""
    now = report.figures()
    before = earlier["figures"]
    lines = ["", f"Vergeleken met de bewaarde run ({before.get('part', '?')}):"]
    for name in ("recall", "precision", "deadlines", "fulfilments"):
        old, new = before.get(name), now.get(name)
        delta = f"{new - old:+.2f}" if old is not None and new is not None else "  ? "
        lines.append(f"  {name:<12} {_percent(old)} → {_percent(new)}  ({delta})")
    if details:
        old_outcomes: dict[str, str] = earlier.get("outcomes", {})
        new_outcomes = report.as_json()["outcomes"]
        changed = sorted(
            key
            for key in set(old_outcomes) | set(new_outcomes)
            if old_outcomes.get(key) != new_outcomes.get(key)
        )
        for key in changed:
            lines.append(f"  {key}: {old_outcomes.get(key, '–')} → {new_outcomes.get(key, '–')}")
    return lines


def save(report: Report, path: Path) -> None:
    path.write_text(
        json.dumps(report.as_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
