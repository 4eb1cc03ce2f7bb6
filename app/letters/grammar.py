"""A light reading of a Dutch sentence for the letter rules: the lemma of each word (simplemma),
and of the main clause its subject, finite verb, main verb, tense and negation.

Dutch puts the finite verb second in a main clause: "Ik zal u informeren", "Na de zomer stuur ik
…", "De gemeenten zullen …". The reader finds that verb among the forms the rules file lists
(``[grammar]``) or the verbs its rules name, takes the words before it as the subject when the
sentence starts with one, else the words right after it (inversion), and joins a separable
particle at the end of the clause to the verb ("zegde … toe" is ``toezeggen``, "voer ik de motie
uit" is ``uitvoeren``). That is enough to tell "De minister zal …" from "De gemeenten zullen …"
and "Ik heb toegezegd" from "Ik zeg toe" without listing every form of every verb.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import simplemma

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: A leading clause that is not the main one: "Zodra het advies er is, …", "Zoals toegezegd, …".
_SUBORDINATE_OPENERS = frozenset(
    """zodra wanneer nadat als indien omdat hoewel voordat terwijl mocht mochten zoals tenzij
    aangezien doordat zolang nu""".split()  # noqa: SIM905
)
#: Words that end the main clause: what follows is a clause of its own.
_CLAUSE_END = re.compile(
    r"[,;:()]|\s(?:dat|om|waarin|waarmee|waarbij|zodat|omdat|waarna|wanneer|zodra|nadat|"
    r"indien|als|terwijl|hoewel|want|maar|en)\s",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(
    r"^(?:(?:toe|aan|na|in|uit|op|mee|voor|terug|over|af|bij|door|vast|weg|tegemoet)?ge\w{2,}"
    r"|(?:be|ver|ont|her|er)\w+(?:d|t|en))$"
)
#: Particles that are never prepositions; the others ("na", "uit", "op" …) count only at the end
#: of the clause ("kom ik die toezegging na", not "na de zomer").
_ONLY_PARTICLES = frozenset({"toe", "gestand", "terug", "mee", "tegemoet"})
_PAST = re.compile(r"\w{2,}(?:de|te|den|ten)$")
#: Words that open a noun phrase: a subject starts with one, and no finite verb follows one.
_DETERMINERS = frozenset(
    """de het een deze dit die dat mijn onze uw zijn haar hun elk elke ieder alle""".split()  # noqa: SIM905
)


@lru_cache(maxsize=50_000)
def _plain(word: str) -> str:
    """Lower case without diaeresis or accents: "geïnformeerd" → "geinformeerd"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Grammar:
    """The word lists the analysis needs, from the ``[grammar]`` table of the rules file."""

    #: Finite forms of auxiliaries and common verbs ("zal", "heeft", "wordt" …).
    finite_forms: frozenset[str]
    #: Irregular past forms ("was", "werd", "zei" …).
    past_forms: frozenset[str]
    #: Separable particles that join the finite verb at the end of the clause.
    particles: frozenset[str]
    #: Subjects by role: lemmas of the words that make a subject the government, the Kamer …
    government: frozenset[str]
    kamer: frozenset[str]
    others: frozenset[str]
    #: Lemmas simplemma gets wrong for letters ("sturen" is not the noun "stuur"), as pairs.
    overrides: tuple[tuple[str, str], ...]
    #: Endings that make a compound one of the others too ("havenbedrijf", "energieleverancier").
    suffixes: tuple[str, ...] = ()
    #: Verb lemmas the rules name: any form of them can be the finite verb.
    verbs: frozenset[str] = frozenset()
    #: Words that negate the clause, and phrases with them that do not ("niet later dan").
    negations: frozenset[str] = frozenset({"niet", "geen", "nooit"})

    def lemma(self, word: str) -> str:
        plain = _plain(word)
        for form, lemma in self.overrides:
            if form == plain:
                return lemma
        return _lemma(plain)


@lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    lemma = simplemma.lemmatize(word, lang="nl")
    if lemma == word and word.startswith("ge") and len(word) > 6:
        # A participle simplemma does not know: "geinformeerd" from "informeren".
        stem = word[2:-1] if word.endswith(("d", "t")) else word[2:]
        guess = simplemma.lemmatize(stem, lang="nl")
        if guess != stem:
            lemma = guess
    return _plain(lemma).replace("_", "")


@dataclass(frozen=True)
class Clause:
    """What the main clause of a sentence says about who acts."""

    subject: str | None
    #: ``government`` (ik, het kabinet, de minister, mijn voorganger …), ``kamer`` (u, uw
    #: Kamer), ``others`` (de gemeenten, de Europese Commissie …), ``thing`` (de evaluatie) or
    #: ``unknown`` (none found: "In de brief is toegezegd …").
    role: str | None
    finite: str | None
    #: The lemmas of the clause's verbs, separable particles joined: {"hebben", "toezeggen"}.
    verbs: frozenset[str]
    #: ``present``, ``past``, ``perfect`` (heb … toegezegd) or ``future`` (zal …).
    tense: str | None
    negated: bool

    def describe(self) -> str:
        """The analysis in a few Dutch words, for the clerk: "onderwerp ‘ik’, werkwoord
        ‘informeren’ (toekomend)"."""
        parts = []
        if self.subject:
            subject = self.subject
            if subject.lower() in {"ik", "wij", "we", "u"}:
                subject = subject.lower()
            parts.append(f"onderwerp ‘{subject}’")
        main = sorted(self.verbs - {"zullen", "hebben", "zijn", "worden", "willen", "kunnen"})
        if main:
            parts.append(f"werkwoord ‘{main[0]}’")
        if self.tense:
            parts.append(_TENSES[self.tense])
        if self.negated:
            parts.append("ontkennend")
        return ", ".join(parts)


_TENSES = {
    "present": "tegenwoordige tijd",
    "past": "verleden tijd",
    "perfect": "voltooide tijd",
    "future": "toekomende tijd",
}


@dataclass(frozen=True)
class Analysis:
    lemmas: frozenset[str]
    clause: Clause


@lru_cache(maxsize=2048)
def analyse(sentence: str, grammar: Grammar) -> Analysis:
    """The lemmas and main clause of ``sentence``; kept for the sentences read last, since the
    promise and the fulfilment rules both ask."""
    words = _WORD.findall(sentence)
    lemmas = frozenset(grammar.lemma(word) for word in words)
    return Analysis(lemmas, main_clause(sentence, grammar))


def _main_part(sentence: str) -> str:
    """The sentence without a leading subordinate clause ("Zodra het advies er is, …")."""
    first = _WORD.match(sentence.lstrip())
    if first and first.group().lower() in _SUBORDINATE_OPENERS and "," in sentence:
        return sentence.split(",", 1)[1]
    return sentence


#: Words that can stand right before "ik" without being the finite verb ("dat ik", "zoals ik").
_NOT_VERBS_BEFORE_SUBJECT = frozenset(
    """dat of als die wat zodat omdat toen wanneer waarmee waarin waarop hoe waar en maar want
    dan zoals nadat voordat zodra terwijl indien tenzij hoewel doordat opdat mits ook nu dus toch
    wel zo alleen zelf""".split()  # noqa: SIM905
)


def _is_finite(word: str, previous: str | None, following: str | None, grammar: Grammar) -> bool:
    plain = _plain(word)
    if word[:1].isupper() or previous in _DETERMINERS or previous == "te":
        return False
    if plain in grammar.finite_forms or plain in grammar.past_forms:
        return True
    if _PARTICIPLE.match(plain):
        return False
    if following in {"ik", "wij", "we"} and plain not in _NOT_VERBS_BEFORE_SUBJECT:
        # Inversion puts the finite verb right before the subject: "Die toezegging los ik in".
        return True
    return grammar.lemma(plain) in grammar.verbs


def main_clause(sentence: str, grammar: Grammar) -> Clause:
    text = _main_part(sentence)
    spans = list(_WORD.finditer(text))
    words = [m.group() for m in spans]
    finite_at = None
    for index, word in enumerate(words):
        previous = _plain(words[index - 1]) if index else None
        following = _plain(words[index + 1]) if index + 1 < len(words) else None
        if _is_finite(word, previous, following, grammar):
            finite_at = index
            break
    if finite_at is None:
        return Clause(None, None, None, frozenset(), None, False)
    finite = words[finite_at]
    end = _CLAUSE_END.search(text, spans[finite_at].end())
    clause_words = [m.group() for m in spans if not end or m.start() < end.start()]
    rest = clause_words[finite_at + 1 :]
    subject = _subject(words[:finite_at], rest, grammar)
    finite_lemma = grammar.lemma(finite)
    verbs = {finite_lemma}
    participle = False
    for index, word in enumerate(rest):
        plain = _plain(word)
        following = _plain(rest[index + 1]) if index + 1 < len(rest) else None
        if plain in grammar.particles and (following is None or plain in _ONLY_PARTICLES):
            verbs.add(plain + finite_lemma)
        lemma = grammar.lemma(plain)
        if _PARTICIPLE.match(plain) and lemma != plain:
            participle = True
            verbs.add(lemma)
        elif lemma in grammar.verbs:
            verbs.add(lemma)
    plain_finite = _plain(finite)
    if finite_lemma == "zullen":
        tense = "future"
    elif finite_lemma in {"hebben", "zijn"} and participle:
        tense = "perfect"
    elif plain_finite in grammar.past_forms or (
        _PAST.match(plain_finite) and finite_lemma != plain_finite
    ):
        tense = "past"
    else:
        tense = "present"
    negated = _negated(clause_words[finite_at:], grammar)
    return Clause(
        " ".join(subject) if subject else None,
        _role(subject, grammar),
        finite,
        frozenset(verbs),
        tense,
        negated,
    )


def _subject(before: list[str], after: list[str], grammar: Grammar) -> list[str]:
    """Who acts: the words right after the finite verb when they are the government ("In maart
    stuur ik", "Het verslag stuurt het kabinet uw Kamer …"), else the words before it when the
    sentence starts with its subject ("De gemeenten zullen"), else those after it."""
    inverted = _inverted_subject(after, grammar)
    if inverted and _role(inverted, grammar) == "government":
        return inverted
    if before and _starts_subject(before, grammar):
        return before
    return inverted


def _inverted_subject(after: list[str], grammar: Grammar) -> list[str]:
    if not after:
        return []
    first = _plain(after[0])
    if first in {"ik", "wij", "we", "u", "zij", "hij", "ze", "men"}:
        return after[:1]
    if first in _DETERMINERS or first in grammar.government or first in grammar.kamer:
        taken = after[:1]
        for word in after[1:4]:
            taken.append(word)
            if not word[:1].isupper() and not _plain(word).endswith("e"):
                break
        return taken
    return []


def _starts_subject(before: list[str], grammar: Grammar) -> bool:
    first = _plain(before[0])
    if first in {"ik", "wij", "we", "u", "zij", "hij", "ze", "men", "nederland"}:
        return True
    if first in _DETERMINERS:
        return True
    if grammar.lemma(first) in grammar.others | grammar.government | grammar.kamer:
        return True
    return _is_name(before)


def _is_name(words: list[str]) -> bool:
    """A name: "Schiphol heeft beloofd …", "ProRail zal …"; not "Tijdens het debat heb ik …",
    "Daarbij …": capitalised words that Dutch does not know as words."""
    first = _plain(words[0])
    return (
        len(words) <= 3
        and all(word[:1].isupper() for word in words)
        and first not in _OPENERS
        and not first.startswith(("daar", "hier", "waar"))
        and not simplemma.is_known(first, lang="nl")
    )


#: Words that open a sentence without being its subject.
_OPENERS = frozenset(
    """in op tijdens na voor bij met door over uit aan naar tot om sinds vanaf volgens namens
    ook daarnaast verder eerder daarom dan toen nu hierbij hiermee daarmee bijgaand graag
    inmiddels vervolgens tevens tot slot eveneens voorts volledigheidshalve ondertussen evenzeer
    ditmaal evenmin""".split()  # noqa: SIM905
)
#: Words after which a subject goes on about something else: its head comes before them ("De
#: antwoorden op de vragen van het lid …" is about the answers, not the member).
_HEAD_END = frozenset(
    """van op voor over met in uit bij aan door naar tot om of dat die en zoals""".split()  # noqa: SIM905
)


def _role(subject: list[str], grammar: Grammar) -> str:
    if not subject:
        return "unknown"
    words = [_plain(word) for word in subject]
    cut = next((i for i, word in enumerate(words) if i and word in _HEAD_END), len(words))
    words = words[:cut]
    lemmas = [grammar.lemma(word) for word in words]
    if words[0] in {"u", "uw"}:
        return "kamer"
    # "Nederland" makes the subject the government only at its head: not "Netbeheer Nederland"
    # or "Bouwend Nederland", organisations named after the country.
    if words[0] in {"ik", "wij", "we"} or any(
        lemma in grammar.government and (lemma != "nederland" or index == 0)
        for index, lemma in enumerate(lemmas)
    ):
        return "government"
    if any(lemma in grammar.others or lemma.endswith(grammar.suffixes) for lemma in lemmas):
        return "others"
    if any(lemma in grammar.kamer for lemma in lemmas):
        return "kamer"
    if _is_name(subject[:cut]):
        return "others"  # an organisation or a person, not the government
    return "thing"


def _negated(clause: list[str], grammar: Grammar) -> bool:
    """A "niet", "geen" or "nooit" that negates the clause itself: not "niet alleen", "niet
    later dan", "geen later moment dan"."""
    words = [_plain(word) for word in clause]
    for index, word in enumerate(words):
        if word not in grammar.negations:
            continue
        following = words[index + 1 : index + 3]
        if following[:1] == ["alleen"] or following[1:2] == ["dan"]:
            continue
        return True
    return False
