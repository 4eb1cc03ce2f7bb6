"""The promise and fulfilment rules and the numbers the reader scores with, loaded from
data/promise_rules.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
    #: ``[future]`` pattern): "Na de zomer stuur ik …" promises, "Ik stuur u hierbij …" does not.
    requires: str = ""


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
    #: A time ahead or a moment to come ("in het voorjaar", "zodra …"): see ``Rule.requires``.
    future: re.Pattern[str] = re.compile(r"(?!)")

    def is_promise(self, score: int, sentence: str) -> bool:
        """A promise: enough promise weight, and not a report of an earlier promise kept."""
        return score >= self.threshold and not self.is_fulfilment(sentence)

    def is_fulfilment(self, sentence: str) -> bool:
        return self.fulfilment_score(sentence) >= self.fulfilment_threshold

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
        for index, rule in enumerate((*self.promise, *self.not_promise)):
            if index == len(self.promise) and score < self.threshold and not complete:
                break
            if not rule.pattern.search(sentence):
                continue
            if rule.requires == "future":
                if future is None:
                    future = bool(self.future.search(sentence))
                if not future:
                    continue
            score += rule.weight + (rule.follows_promise if previous_was_promise else 0)
            matched.append(rule.name)
        return score, matched

    def promise_kind(self, matched: list[str]) -> str | None:
        """The construction of the heaviest promise rule that matched."""
        rules = [rule for rule in self.promise if rule.name in matched and rule.kind]
        return max(rules, key=lambda rule: rule.weight).kind if rules else None

    def fulfilment_score(self, sentence: str) -> int:
        return sum(rule.weight for rule in self.fulfilment if rule.pattern.search(sentence))

    def fulfilment_kinds(self, sentence: str) -> set[str]:
        """The kinds of the fulfilment rules that match ``sentence``."""
        return {rule.kind for rule in self.fulfilment if rule.pattern.search(sentence)}


def _rules(entries: list[dict[str, object]], actor: str) -> tuple[Rule, ...]:
    return tuple(
        Rule(
            name=str(entry["name"]),
            pattern=re.compile(str(entry["pattern"]).replace("{actor}", actor), re.IGNORECASE),
            weight=int(entry["weight"]),  # type: ignore[call-overload]
            follows_promise=int(entry.get("follows_promise", 0)),  # type: ignore[call-overload]
            kind=str(entry.get("kind", "")),
            requires=str(entry.get("requires", "")),
        )
        for entry in entries
    )


@cache
def load_rules(path: Path = RULES_FILE) -> RuleSet:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    actor = data["actors"]["pattern"]
    return RuleSet(
        threshold=int(data["threshold"]),
        promise=_rules(data.get("promise", []), actor),
        not_promise=_rules(data.get("not_promise", []), actor),
        fulfilment=_rules(data.get("fulfilment", []), actor),
        fulfilment_threshold=int(data["fulfilments"]["threshold"]),
        promises=PromiseSettings(**data["promises"]),
        matching=MatchWeights(**data["matching"]),
        future=re.compile(data["future"]["pattern"], re.IGNORECASE),
    )
