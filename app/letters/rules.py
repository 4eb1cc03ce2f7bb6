"""The promise and fulfilment rules and the numbers the reader scores with, loaded from
data/promise_rules.toml."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.letters.fulfil import FulfilReading, FulfilSignals, load_signals, read_fulfilment
from app.letters.grammar import Analysis, Grammar, analyse

RULES_FILE = Path(__file__).resolve().parent / "data" / "promise_rules.toml"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    weight: int
    #: Extra weight when the sentence before was a promise ("Dit geldt ook voor …").
    follows_promise: int = 0
    #: The construction a promise rule recognises ("intention", "uitstel" …); for a fulfilment
    #: rule ``reported`` (an earlier promise is mentioned), ``fulfilled`` (this letter delivers
    #: it) or ``anaphoric`` (delivers it, but names it only as "die toezegging": the promise is
    #: in the sentence before).
    kind: str = ""
    #: ``future``: the rule counts only in a sentence that also names a time ahead (the
    #: ``[future]`` pattern): "Na de zomer stuur ik …" promises, "Ik stuur u hierbij …" does not;
    #: ``no-future``: only in a sentence that names none.
    requires: str = ""
    #: Conditions on the sentence's grammar (``grammar.py``), each left out when empty: a
    #: word with one of these lemmas anywhere ("toezegging", "motie") …
    lemmas: frozenset[str] = frozenset()
    #: … the main clause's subject in one of these roles ("government", "kamer", "others") …
    subject: frozenset[str] = frozenset()
    #: … one of these verb lemmas in the main clause, in any form ("informeren" matches
    #: "informeer", "informeerde", "geïnformeerd"; "toezeggen" matches "zegde … toe") …
    verbs: frozenset[str] = frozenset()
    #: … in one of these tenses ("present", "past", "perfect", "future") …
    tense: frozenset[str] = frozenset()
    #: … and the main clause negated (True) or not (False).
    negated: bool | None = None
    #: Dutch words for the clerk: why a sentence this rule matched was proposed.
    reason: str = ""

    @property
    def needs_grammar(self) -> bool:
        return bool(self.lemmas or self.subject or self.verbs or self.tense) or (
            self.negated is not None
        )

    def holds(self, analysis: Analysis) -> bool:
        """The rule's grammar conditions hold for the analysed sentence."""
        clause = analysis.clause
        return (
            (not self.lemmas or bool(self.lemmas & analysis.lemmas))
            and (not self.subject or clause.role in self.subject)
            and (not self.verbs or bool(self.verbs & clause.verbs))
            and (not self.tense or clause.tense in self.tense)
            and (self.negated is None or clause.negated == self.negated)
        )


class _Lazy:
    """The analysis of one sentence, made only when a rule needs it."""

    def __init__(self, sentence: str, grammar: Grammar) -> None:
        self.sentence, self.grammar = sentence, grammar
        self._analysis: Analysis | None = None

    def __call__(self) -> Analysis:
        if self._analysis is None:
            self._analysis = analyse(self.sentence, self.grammar)
        return self._analysis


@dataclass(frozen=True)
class PromiseSettings:
    """How sure the reader is of a proposed promise (the ``[promises]`` table)."""

    min_sentence_length: int
    confidence_base: float
    confidence_per_point: float
    confidence_maximum: float
    preselect_confidence: float


@dataclass(frozen=True)
class MatchWeights:
    """How a fulfilment sentence is matched to promises in the register (``[matching]``)."""

    kamerstuk: float
    dossier: float
    ministry: float
    meeting: float
    meeting_days: int
    words: float
    words_maximum: float
    word_length: int
    word_stem: int
    minimum: float
    options: int
    preselect: float
    #: How many promises the full-text index offers as candidates for one sentence …
    candidates: int
    #: … asked for at most this many of the sentence's telling words (the longest).
    search_words: int


@dataclass(frozen=True)
class RuleSet:
    threshold: int
    promise: tuple[Rule, ...]
    not_promise: tuple[Rule, ...]
    fulfilment: tuple[Rule, ...]
    #: A sentence whose fulfilment score reaches this reports a kept promise.
    fulfilment_threshold: int
    promises: PromiseSettings
    matching: MatchWeights
    grammar: Grammar
    #: A sentence that delivers now ("Hierbij ontvangt u …", "Met deze brief doe ik dat") after
    #: one that reports an earlier promise: the two are one fulfilment.
    delivers_now: re.Pattern[str] = re.compile(r"(?!)")
    #: A time ahead or a moment to come ("in het voorjaar", "zodra …"): see ``Rule.requires``.
    future: re.Pattern[str] = re.compile(r"(?!)")
    #: The general reading of sentences about earlier promises (``fulfil.py``).
    signals: FulfilSignals | None = None

    def is_promise(self, score: int, sentence: str) -> bool:
        """A promise: enough promise weight, and not a report of an earlier promise kept."""
        return score >= self.threshold and not self.is_fulfilment(sentence)

    def is_fulfilment(self, sentence: str) -> bool:
        """About an earlier promise: the ``[[fulfilment]]`` rules say so, or the general reading
        finds a mention of one (delivered or not)."""
        reading = self.read_fulfilment(sentence)
        if reading.rejected:
            return False
        return (
            reading.kind is not None or self.fulfilment_score(sentence) >= self.fulfilment_threshold
        )

    def asks(self, sentence: str) -> bool:
        """The sentence names a request of the Kamer or a motion without delivering it: a
        sentence after it that refers back and delivers is read with it."""
        if self.signals is None:
            return False
        return self.read_fulfilment(sentence).mention == "request" or bool(
            self.signals.asked.search(sentence)
        )

    def read_fulfilment(self, sentence: str) -> FulfilReading:
        if self.signals is None:
            return FulfilReading(None, False, False, False)
        return read_fulfilment(sentence, self.grammar, self.signals)

    def confidence(self, score: int) -> float:
        settings = self.promises
        return min(
            settings.confidence_maximum,
            settings.confidence_base + settings.confidence_per_point * (score - self.threshold),
        )

    def promise_score(
        self, sentence: str, previous_was_promise: bool, complete: bool = False
    ) -> tuple[int, list[str]]:
        """The sentence's score and the rules that matched. The ``not_promise`` rules only take
        weight away, so they are not tried when the promise rules alone stay below the
        threshold (most sentences of a letter), unless ``complete`` asks for every rule."""
        score, matched = 0, []
        future: bool | None = None
        analysis = _Lazy(sentence, self.grammar)
        for index, rule in enumerate((*self.promise, *self.not_promise)):
            if index == len(self.promise) and score < self.threshold and not complete:
                break
            if not self._matches(rule, sentence, analysis):
                continue
            if rule.requires in {"future", "no-future"}:
                if future is None:
                    future = bool(self.future.search(sentence))
                if future != (rule.requires == "future"):
                    continue
            score += rule.weight + (rule.follows_promise if previous_was_promise else 0)
            matched.append(rule.name)
        return score, matched

    def promise_kind(self, matched: list[str]) -> str | None:
        """The construction of the heaviest promise rule that matched."""
        rules = [rule for rule in self.promise if rule.name in matched and rule.kind]
        return max(rules, key=lambda rule: rule.weight).kind if rules else None

    def fulfilment_score(self, sentence: str) -> int:
        return sum(rule.weight for rule in self.fulfilment_rules(sentence))

    def fulfilment_kinds(self, sentence: str) -> set[str]:
        """The kinds of the fulfilment rules that match ``sentence``."""
        return {rule.kind for rule in self.fulfilment_rules(sentence)}

    def fulfilment_rules(self, sentence: str) -> list[Rule]:
        analysis = _Lazy(sentence, self.grammar)
        return [rule for rule in self.fulfilment if self._matches(rule, sentence, analysis)]

    def analyse(self, sentence: str) -> Analysis:
        return analyse(sentence, self.grammar)

    def reasons(self, sentence: str, matched: list[str]) -> str:
        """Why the reader proposed ``sentence``, in Dutch for the clerk: the reasons of the
        rules that matched, and the subject and verb it read."""
        by_name = {rule.name: rule for rule in (*self.promise, *self.fulfilment)}
        given = [by_name[name].reason for name in matched if name in by_name]
        text = "; ".join(dict.fromkeys(reason for reason in given if reason))
        grammar = self.analyse(sentence).clause.describe()
        if grammar:
            text = f"{text} ({grammar})" if text else grammar
        return text

    @staticmethod
    def _matches(rule: Rule, sentence: str, analysis: Callable[[], Analysis]) -> bool:
        if not rule.pattern.search(sentence):
            return False
        return not rule.needs_grammar or rule.holds(analysis())


def _words(entry: dict[str, object], key: str) -> frozenset[str]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{entry.get('name')}: {key} moet een lijst zijn")
    return frozenset(str(word) for word in value)


def _rules(entries: list[dict[str, object]], actor: str) -> tuple[Rule, ...]:
    rules = []
    for entry in entries:
        negated = entry.get("negated")
        rules.append(
            Rule(
                name=str(entry["name"]),
                pattern=re.compile(
                    str(entry.get("pattern", "")).replace("{actor}", actor), re.IGNORECASE
                ),
                weight=int(entry["weight"]),  # type: ignore[call-overload]
                follows_promise=int(entry.get("follows_promise", 0)),  # type: ignore[call-overload]
                kind=str(entry.get("kind", "")),
                requires=str(entry.get("requires", "")),
                lemmas=_words(entry, "lemmas"),
                subject=_words(entry, "subject"),
                verbs=_words(entry, "verbs"),
                tense=_words(entry, "tense"),
                negated=None if negated is None else bool(negated),
                reason=str(entry.get("reason", "")),
            )
        )
    return tuple(rules)


def _grammar(data: dict[str, object], rules: tuple[Rule, ...]) -> Grammar:
    table = data["grammar"]
    assert isinstance(table, dict)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(word) for word in table.get(key, []))

    return Grammar(
        finite_forms=words("finite_forms"),
        past_forms=words("past_forms"),
        particles=words("particles"),
        government=words("government"),
        kamer=words("kamer"),
        others=words("others"),
        overrides=tuple((str(k), str(v)) for k, v in table.get("lemmas", {}).items()),
        suffixes=tuple(str(word) for word in table.get("other_endings", [])),
        verbs=words("verbs").union(*(rule.verbs for rule in rules)),
    )


@cache
def load_rules(path: Path = RULES_FILE) -> RuleSet:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    actor = data["actors"]["pattern"]
    promise = _rules(data.get("promise", []), actor)
    not_promise = _rules(data.get("not_promise", []), actor)
    fulfilment = _rules(data.get("fulfilment", []), actor)
    return RuleSet(
        threshold=int(data["threshold"]),
        promise=promise,
        not_promise=not_promise,
        fulfilment=fulfilment,
        fulfilment_threshold=int(data["fulfilments"]["threshold"]),
        promises=PromiseSettings(**data["promises"]),
        matching=MatchWeights(**data["matching"]),
        grammar=_grammar(data, promise + not_promise + fulfilment),
        delivers_now=re.compile(data["fulfilments"]["delivers_now"], re.IGNORECASE),
        future=re.compile(data["future"]["pattern"], re.IGNORECASE),
        signals=load_signals(data["fulfilments"]),
    )
