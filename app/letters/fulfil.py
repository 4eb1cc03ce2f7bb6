"""A general reading of what a sentence says about an earlier promise (issue 22).

The ``[[fulfilment]]`` rules recognise the wordings they were written for; this reading recognises
the *parts* every such sentence is built from, so that new wordings are read too:

- a **mention** of an earlier promise: a word whose lemma is one of the promise words
  (``toezegging``, ``toezeggen``, ``beloven`` …) or, weaker, of a request from the Kamer (``motie``,
  ``verzoek``), or an announcement of something the government would do ("In mijn brief van …
  heb ik aangegeven u … te informeren");
- a signal that the letter **delivers now** ("hierbij", "met deze brief", "bijgaand", "in de
  bijlage", "hiermee" …), or a verb of delivering (sturen, informeren, ingaan, voldoen, uitvoeren,
  beantwoorden … in any form, separable particles joined: "ga ik … in op") in the present tense
  next to "ik" or "wij";
- a signal that the delivery is **later or elsewhere** ("zal", a time ahead, "kom ik op terug",
  "staat nog open", "pas na de zomer");
- a **reference back** ("die toezegging", "dat overzicht", "daarvan", "hieraan"): the sentence
  names what was promised only through the sentence before it.

A mention with a delivery now is ``fulfilled``; a mention of a promise without one is
``reported`` (a request without one is not about an earlier promise: "Op het verzoek van de
commissie kom ik na de zomer terug" promises anew); a delivery now that refers back to a
sentence mentioning a promise is read with that sentence. What each part found is kept, in Dutch,
as the reason the clerk sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.letters.grammar import Analysis, Grammar

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SUBJECTS = frozenset({"ik", "wij", "we", "u"})
_PAST = re.compile(r"(?:de|te|den|ten)$")
#: A participle: "toegezegd", "gevraagd", "beloofd", "verzocht".
_DONE = re.compile(r"^(?:\w{0,8}ge\w{2,}[dt]|(?:be|ver|ont)\w+[dt])$")
_DETERMINERS = frozenset({"de", "het", "een", "die", "deze", "dit", "dat", "mijn", "uw", "onze"})


@dataclass(frozen=True)
class FulfilSignals:
    """The word lists and patterns of the reading, from the ``[fulfilments]`` table."""

    #: Lemmas that name a promise made earlier: "toezegging", "toegezegd", "beloofd" …
    promise_lemmas: frozenset[str]
    #: Lemmas that name a request from the Kamer: "motie", "verzoek".
    request_lemmas: frozenset[str]
    #: A promise named without those words: "heb ik aangegeven u … te informeren".
    announced: re.Pattern[str]
    #: A word or phrase that says the letter delivers now: "hierbij", "met deze brief" …
    now: re.Pattern[str]
    #: The sentence opens with the promise as its frame ("Zoals ik heb toegezegd, …", "Ter
    #: uitvoering van de motie …"): what the main clause reports is the promise kept.
    frame: re.Pattern[str]
    #: Lemmas of the verbs of delivering, in the present tense next to ik/wij/u.
    delivery_verbs: frozenset[str]
    #: Forms simplemma reads as nouns that are verbs here ("licht" in "licht ik toe").
    verb_forms: tuple[tuple[str, str], ...]
    #: A time ahead or "zal": outweighs a verb of delivering, not an explicit "hierbij".
    later: re.Pattern[str]
    #: The promise is not kept yet: "staat nog open", "kom ik op terug", "pas na de zomer".
    not_yet: re.Pattern[str]
    #: The promise is named only through the sentence before: "die toezegging", "daarvan".
    refers_back: re.Pattern[str]
    #: The Kamer asked for something ("Uw Kamer heeft gevraagd …"): a sentence that refers
    #: back to it and delivers now is read with it.
    asked: re.Pattern[str]


@dataclass(frozen=True)
class FulfilReading:
    #: ``promise`` (an earlier promise is named), ``request`` (a motion or request), or None.
    mention: str | None
    #: The letter delivers something now (an explicit word or a verb of delivering) …
    now: bool
    #: … unless it is not kept yet, or only a verb of delivering says so and a time ahead
    #: follows.
    later: bool
    refers_back: bool
    #: The words that made each part, for the reason.
    found: tuple[str, ...] = ()

    @property
    def kind(self) -> str | None:
        """``fulfilled``, ``reported``, or None when the sentence is not about an earlier
        promise on its own."""
        if self.mention is None:
            return None
        if self.now and not self.later:
            return "fulfilled"
        return "reported" if self.mention == "promise" else None

    @property
    def delivers(self) -> bool:
        """The sentence delivers something now: with a mention before it, a fulfilment."""
        return self.now and not self.later


def _particles(words: list[str]) -> list[str]:
    return [w for w in words if w in {"in", "na", "uit", "toe", "aan", "tegemoet", "gestand"}]


@lru_cache(maxsize=2048)
def read_fulfilment(
    sentence: str, analysis: Analysis, grammar: Grammar, signals: FulfilSignals
) -> FulfilReading:
    clause = analysis.clause
    found: list[str] = []
    words = _WORD.findall(sentence)
    plain = [w.lower() for w in words]
    forms = dict(signals.verb_forms)
    lemmas = [forms.get(w) or grammar.lemma(w) for w in plain]

    mention: str | None = None
    # Someone else promised or asked ("De VNG heeft toegezegd", "Het lid vroeg om een
    # toezegging"), or the government promises anew ("Ik zeg toe"): no earlier promise of its own.
    others = clause.role == "others"
    new_promise = (
        "toezeggen" in clause.verbs
        and clause.tense in {"present", "future"}
        and clause.role == "government"
    )
    refused = clause.negated and not re.search(r"\bnog\s+(?:niet|geen)\b", sentence, re.I)
    if not (others or new_promise or refused):
        promise = _named(plain, lemmas, signals.promise_lemmas) or _separable(
            plain, lemmas, signals.promise_lemmas
        )
        if promise is None:
            announced = signals.announced.search(sentence)
            promise = announced.group(0) if announced else None
        request = _named(plain, lemmas, signals.request_lemmas)
        if promise:
            mention = "promise"
            found.append(promise)
        elif request:
            mention = "request"
            found.append(request)

    now_match = signals.now.search(sentence)
    now = now_match is not None
    frame = mention is not None and signals.frame.search(sentence) is not None
    if now_match:
        found.append(now_match.group(0).strip())
    elif frame:
        now = True
        found.append(sentence.split(None, 1)[0].lower())
    else:
        verb = _present_delivery(plain, lemmas, signals)
        if verb:
            now = True
            found.append(verb)
    later = signals.not_yet.search(sentence) is not None or (
        not now_match
        and (signals.later.search(sentence) is not None or clause.tense == "future")
    )
    refers_back = signals.refers_back.search(sentence) is not None
    return FulfilReading(mention, now, later, refers_back, tuple(found))


_STEM = 6


def names_from(sentence: str, previous: str, signals: FulfilSignals | None = None) -> bool:
    """``sentence`` names a thing of ``previous`` with a determiner: "Het overzicht treft u in de
    bijlage aan" after "… toegezegd een overzicht van X te sturen" (not the promise itself: "de
    toezegging over X" names its own content)."""
    own = {"toezeg", "toegez", "belofte", "beloof", "motie", "verzoe", "brief"}
    before = {
        stem
        for w in _WORD.findall(previous)
        if len(w) >= 5 and (stem := w.lower()[:_STEM]) not in own
    }
    for match in re.finditer(
        r"\b(?:de|het|die|deze|dit|dat)\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?", sentence, re.I
    ):
        if any(
            word and len(word) >= 5 and word.lower()[:_STEM] in before
            for word in match.groups()
        ):
            return True
    return False


def _acts_now(plain: list[str], index: int) -> bool:
    """The word is a verb in the present tense: "ik beloof", "verzoek ik", "de minister zegt …
    toe" (a new promise or request, not one made earlier); not a participle or past form
    ("toegezegd", "beloofde") and not a noun ("toezegging", "het verzoek")."""
    word = plain[index]
    if _DONE.match(word) or _PAST.search(word) or word.endswith(("ing", "ie")):
        return False
    before = plain[index - 1] if index else ""
    after = plain[index + 1] if index + 1 < len(plain) else ""
    if before in _DETERMINERS:
        return False
    return bool({before, after} & _SUBJECTS) or word.endswith("t")


def _named(plain: list[str], lemmas: list[str], wanted: frozenset[str]) -> str | None:
    """The first word with one of the ``wanted`` lemmas that names something done before: a
    noun ("toezegging", "motie"), a participle or past form ("toegezegd", "beloofde"); not a verb
    in the present tense ("Ik beloof u", "Hierbij verzoek ik uw Kamer")."""
    return next(
        (
            plain[index]
            for index, lemma in enumerate(lemmas)
            if lemma in wanted and not _acts_now(plain, index)
        ),
        None,
    )


def _separable(plain: list[str], lemmas: list[str], wanted: frozenset[str]) -> str | None:
    """A separable verb split by the clause ("zegde ik toe", "kom ik … na"): the lemma of a word
    joined to a particle later in the sentence, in the past ("zegde … toe", not "zegt … toe")."""
    for index, lemma in enumerate(lemmas):
        if not _PAST.search(plain[index]):
            continue
        for particle in _particles(plain[index + 2 :]):
            if particle + lemma in wanted:
                return f"{plain[index]} … {particle}"
    return None


def _present_delivery(plain: list[str], lemmas: list[str], signals: FulfilSignals) -> str | None:
    """A verb of delivering in the present tense right before or after "ik", "wij" or "u" ("stuur
    ik u", "ik informeer", "ga ik … in op", "treft u … aan"), its particle joined when it comes
    later in the sentence."""
    for index, (word, lemma) in enumerate(zip(plain, lemmas)):
        before = plain[index - 1] if index else ""
        after = plain[index + 1] if index + 1 < len(plain) else ""
        if before not in _SUBJECTS and after not in _SUBJECTS:
            continue
        if word in _SUBJECTS or word.endswith(("de", "te", "den", "ten")) or word.startswith("ge"):
            continue
        if lemma in signals.delivery_verbs:
            return word
        for particle in _particles(plain[index + 2 :]):
            if particle + lemma in signals.delivery_verbs:
                return f"{word} … {particle}"
    return None


def load_signals(table: dict[str, object]) -> FulfilSignals:
    def words(key: str) -> frozenset[str]:
        value = table.get(key, [])
        assert isinstance(value, list)
        return frozenset(str(word) for word in value)

    def pattern(key: str) -> re.Pattern[str]:
        return re.compile(str(table.get(key, "(?!)")), re.IGNORECASE)

    forms = table.get("verb_forms", {})
    assert isinstance(forms, dict)
    return FulfilSignals(
        promise_lemmas=words("promise_lemmas"),
        request_lemmas=words("request_lemmas"),
        announced=pattern("announced"),
        now=pattern("now"),
        frame=pattern("frame"),
        delivery_verbs=words("delivery_verbs"),
        verb_forms=tuple((str(k), str(v)) for k, v in forms.items()),
        later=pattern("later"),
        not_yet=pattern("not_yet"),
        refers_back=pattern("refers_back"),
        asked=pattern("asked"),
    )
