"""A general reading of what a sentence says about an earlier promise (issue 16).

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
- a signal that the delivery is **later or elsewhere**: not yet ("staat nog open", "pas na de
  zomer", "in uitvoering"), which no delivery outweighs; later ("zal", a time ahead, "kom ik op
  terug"), which outweighs a verb of delivering but not an explicit "hierbij" or "in deze brief";
  or done before ("afgedaan met mijn brief van 2 maart");
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
from typing import Any

from app.letters.grammar import Clause, Grammar, analyse

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SUBJECTS = frozenset({"ik", "wij", "we", "u"})
_PAST = re.compile(r"(?:de|te|den|ten)$")
#: Verbs by which a thing reaches the Kamer: "volgt", "verschijnt", "ontvangt u".
_ARRIVES = frozenset({"volgen", "verschijnen", "ontvangen", "krijgen", "komen", "toekomen"})
_PASSIVE = frozenset({"is", "zijn", "werd", "werden", "was", "waren", "wordt", "worden"})
#: A participle: "toegezegd", "gevraagd", "beloofd", "verzocht".
_DONE = re.compile(r"^(?:\w{0,8}ge\w{2,}[dt]|(?:be|ver|ont)\w+[dt])$")
#: Verbs by which the Kamer is told something: done before, they name an earlier delivery.
_TOLD = frozenset(
    {
        "informeren",
        "sturen",
        "toesturen",
        "zenden",
        "toezenden",
        "versturen",
        "berichten",
        "melden",
        "aangeven",
        "meedelen",
    }
)
#: Verbs by which a promise or motion is kept: in the perfect, the letter reports it done.
_KEPT = frozenset({"uitvoeren", "afdoen", "voldoen", "inlossen", "nakomen", "gestanddoen"})
#: … unless it was done earlier: "al", "eerder", "destijds".
_EARLIER = re.compile(r"\b(?:al|eerder|destijds|toen|reeds)\b", re.IGNORECASE)
_KAMER = re.compile(r"\b(?:u|uw kamer|de kamer)\b", re.IGNORECASE)
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
    #: The promise is not kept yet: "staat nog open", "in uitvoering", "pas na de zomer".
    not_yet: re.Pattern[str]
    #: The promise is named only through the sentence before: "die toezegging", "daarvan".
    refers_back: re.Pattern[str]
    #: Someone else's main clause, the government's promise after "dat": "De leden herinneren
    #: eraan dat de minister … heeft beloofd".
    theirs_ours: re.Pattern[str]
    #: Someone asks whether: "De leden vragen … of de minister zijn toezegging is nagekomen".
    asking: re.Pattern[str]
    #: Dealt with by an earlier letter: "afgedaan met mijn brief van 2 maart".
    done_before: re.Pattern[str]
    #: The Kamer asked for something ("Uw Kamer heeft gevraagd …"): a sentence that refers
    #: back to it and delivers now is read with it.
    asked: re.Pattern[str]
    #: Part is delivered now, the rest later ("voor een deel", "gedeeltelijk"): a ``not_yet``
    #: does not cancel the delivery.
    partial: re.Pattern[str] = re.compile("(?!)")

    @property
    def words(self) -> frozenset[str]:
        return self.promise_lemmas | self.request_lemmas


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
    #: The promise words name no earlier promise of the government: someone else's, a question,
    #: a refusal, a new promise, promises in general. No rule makes such a sentence a fulfilment.
    rejected: bool = False
    #: The earlier promise or motion was dealt with by an earlier letter ("afgedaan met mijn
    #: brief van 2 maart"): reported, not delivered here.
    done_before: bool = False
    #: Not kept yet: "staat nog open", "in uitvoering", "nog niet afgedaan".
    pending: bool = False

    @property
    def kind(self) -> str | None:
        """``fulfilled``, ``reported``, or None when the sentence is not about an earlier
        promise on its own."""
        if self.mention is None:
            return None
        if self.now and not self.later:
            return "fulfilled"
        # A motion or request counts as reported when its state is given: dealt with before,
        # or not yet ("in uitvoering").
        return "reported" if self.mention == "promise" or self.done_before or self.pending else None

    @property
    def delivers(self) -> bool:
        """The sentence delivers something now: with a mention before it, a fulfilment."""
        return self.now and not self.later


#: Separable particles a verb may leave at the end of its clause ("ga ik … in op", "leg ik u …
#: voor", "zegde … toe").
_PARTICLES = frozenset({"in", "na", "uit", "toe", "aan", "tegemoet", "gestand", "voor", "mee"})


def _particles(words: list[str]) -> list[str]:
    return [w for w in words if w in _PARTICLES]


class _LazyClause:
    """The main clause of the sentence, analysed only when asked for: most sentences of a letter
    name no promise and deliver nothing, and need no analysis."""

    def __init__(self, sentence: str, grammar: Grammar) -> None:
        self._sentence, self._grammar = sentence, grammar
        self._clause: Clause | None = None

    def __getattr__(self, name: str) -> Any:
        if self._clause is None:
            self._clause = analyse(self._sentence, self._grammar).clause
        return getattr(self._clause, name)


@lru_cache(maxsize=2048)
def read_fulfilment(sentence: str, grammar: Grammar, signals: FulfilSignals) -> FulfilReading:
    clause: Any = _LazyClause(sentence, grammar)
    found: list[str] = []
    words = _WORD.findall(sentence)
    plain = [w.lower() for w in words]
    forms = dict(signals.verb_forms)
    lemmas = [forms.get(w) or grammar.lemma(w) for w in plain]
    if not (
        signals.words & set(lemmas)
        or signals.announced.search(sentence)
        or _separable(plain, lemmas, signals.promise_lemmas)
        or signals.now.search(sentence)
        or _present_delivery(plain, lemmas, signals)
    ):
        # No promise named; its state is kept for a list item under a heading that names one
        # ("Overzicht van toezeggingen" … "Lid Sienot, …: nog niet afgedaan").
        return FulfilReading(
            None,
            False,
            False,
            signals.refers_back.search(sentence) is not None,
            done_before=signals.done_before.search(sentence) is not None,
            pending=signals.not_yet.search(sentence) is not None,
        )

    mention: str | None = None
    # Someone else promised or asks ("De VNG heeft toegezegd", "Het lid vraagt of de toezegging
    # is nagekomen"), unless what follows "dat" is the government's promise ("De leden herinneren
    # eraan dat de minister een reactie heeft beloofd"); the government promises anew ("Ik zeg
    # toe"); or refuses ("Die toezegging kan ik niet doen"); or a question is asked.
    ours = signals.theirs_ours.search(sentence) is not None
    # "In het debat is het lid Bikker een analyse toegezegd": the member is who was promised.
    passive = (clause.finite or "").lower() in _PASSIVE and bool(
        clause.verbs & signals.promise_lemmas
    )
    others = clause.role == "others" and not ours and not passive
    new_promise = (
        "toezeggen" in clause.verbs
        and clause.tense in {"present", "future"}
        and clause.role == "government"
    )
    refused = _refused(sentence, clause.negated) and not signals.not_yet.search(sentence)
    # "De gemeenten hebben toegezegd …": a promise made by a subject that is not the government
    # (nor left out, as in "Uw Kamer is toegezegd …").
    theirs = (
        bool(clause.verbs & signals.promise_lemmas)
        and clause.role == "thing"
        and clause.tense in {"perfect", "past"}
        # third person: "heeft", "hebben", not "heb" ("Antwoord 1 Ik heb … toegezegd")
        and (clause.finite or "").lower() not in {"heb", *_PASSIVE}
        and not ours
    )
    question = sentence.rstrip().endswith("?") or signals.asking.search(sentence) is not None
    rejected = others or theirs or new_promise or refused or question
    if not rejected:
        promise, general = _named(plain, lemmas, signals.promise_lemmas)
        promise = promise or _separable(plain, lemmas, signals.promise_lemmas)
        if promise is None:
            announced = signals.announced.search(sentence)
            promise = announced.group(0) if announced else None
        request, general_request = _named(plain, lemmas, signals.request_lemmas)
        if promise:
            mention = "promise"
            found.append(promise)
        elif request:
            mention = "request"
            found.append(request)
        elif asked := _asked_before(sentence, signals):
            # "Zoals verzocht door uw commissie …", "Uw Kamer heeft gevraagd om …": a request
            # named by its verb, made before (not "De leden vragen …", asking now).
            mention = "request"
            found.append(asked)
        else:
            rejected = general or general_request
    elif not any(lemma in signals.promise_lemmas | signals.request_lemmas for lemma in lemmas):
        rejected = False  # nothing about promises to reject
        # "Het lid Maatoug vroeg in het debat naar de kosten; die staan in de bijlage": the
        # member who asked is the subject, and what was asked is the request.
        asked = _asked_before(sentence, signals) if others and not question else None
        if asked:
            mention = "request"
            found.append(asked)

    now_match = signals.now.search(sentence)
    now = now_match is not None
    # "Zoals ik heb toegezegd, heb ik de regeling laten doorlichten": the promise is the frame,
    # and the main clause reports it done (not "Zoals toegezegd laat ik … onderzoeken": that is
    # still to come).
    frame = (
        mention is not None
        and signals.frame.search(sentence) is not None
        and _framed(sentence, found[0] if found else "")
        and clause.role in {"government", "unknown"}
        # "heb ik … laten doorlichten" is done too, though without a participle
        and (clause.tense in {"perfect", "past"} or grammar.lemma(clause.finite or "") == "hebben")
    )
    # "Op verzoek van het lid … heb ik uw Kamer op 3 december geïnformeerd": the frame's main
    # clause tells the Kamer was informed before, by another letter: reported, not delivered.
    told_before = (
        frame
        and clause.tense in {"perfect", "past"}
        and bool(clause.verbs & _TOLD)
        and _KAMER.search(sentence) is not None
    )
    # "Die motie is uitgevoerd: NS zet sinds 1 april …", "Met mijn inbreng in de Raad is de
    # motie-Geurts uitgevoerd": the main clause says the promise or motion is kept, and no
    # earlier letter did it; this letter reports it done.
    kept = (
        mention is not None
        and clause.tense == "perfect"
        and bool(clause.verbs & _KEPT)
        and clause.role in {"government", "unknown", "thing"}
        and not signals.done_before.search(sentence)
        and not _EARLIER.search(sentence)
    )
    if now_match:
        found.append(now_match.group(0).strip())
    elif told_before:
        frame = False
    elif kept:
        now = True
        found.append(next(iter(sorted(clause.verbs & _KEPT))))
    elif frame:
        now = True
        found.append(sentence.split(None, 1)[0].lower())
    else:
        verb = _present_delivery(plain, lemmas, signals)
        if verb:
            now = True
            found.append(verb)
    # "… kom ik voor een deel tegemoet: de cijfers staan in tabel 3, de analyse nog niet": what
    # is delivered now is delivered, though the rest is not yet.
    partly = now and signals.partial.search(sentence) is not None
    later = (signals.not_yet.search(sentence) is not None and not partly) or (
        not now_match and (signals.later.search(sentence) is not None or clause.tense == "future")
    )
    # "Over de toezegging aan het lid … kom ik na de zomer terug": the government promises
    # anew to act on an earlier promise, named as a noun; the promise rules read it.
    if (
        mention == "promise"
        and found
        and " " not in found[0]  # a word, not an announcement ("heeft laten weten …")
        # "de toezegging", or "de toegezegde brief" (a participle before its noun)
        and (_is_noun(found[0]) or found[0].endswith("e"))
        and (
            clause.role == "government"
            # "De toegezegde brief volgt na de zomer", "… ontvangt u voor het kerstreces"
            or (clause.role in {"kamer", "thing"} and bool(clause.verbs & _ARRIVES))
        )
        and clause.tense in {"present", "future"}
        and not now_match
        and not signals.not_yet.search(sentence)
        and (clause.tense == "future" or signals.later.search(sentence) is not None)
        and not signals.frame.search(sentence)
    ):
        mention, rejected = None, True
    refers_back = signals.refers_back.search(sentence) is not None
    done_before = signals.done_before.search(sentence) is not None or bool(told_before)
    pending = signals.not_yet.search(sentence) is not None
    return FulfilReading(
        mention,
        now,
        later or done_before,
        refers_back,
        tuple(found),
        rejected,
        done_before,
        pending,
    )


#: The verb of a request made before ("gevraagd", "verzocht", "vroeg"), or its noun with the
#: Kamer as who asked ("de wens van uw commissie", "de oproep van de leden").
_ASKED_BEFORE = re.compile(
    r"\b(?:gevraagd|verzocht|verzochten|vroeg|vroegen|verzoek|vraag|wens|oproep)\b", re.IGNORECASE
)


def _asked_before(sentence: str, signals: FulfilSignals) -> str | None:
    """The words by which the Kamer's request is named through its verb, in the past or as a
    participle ("Uw commissie heeft verzocht …", "vroeg het lid …", "Zoals verzocht door …"); a
    request in the present tense ("De leden vragen …") is asked in this very exchange."""
    match = signals.asked.search(sentence)
    if match is None or not _ASKED_BEFORE.search(match.group(0)):
        return None
    return match.group(0).strip()


def _framed(sentence: str, word: str) -> bool:
    """The promise word belongs to the opening frame, not to the main clause: a noun ("Naar
    aanleiding van de toezegging … heb ik …") or a verb form followed by a comma ("Zoals ik heb
    toegezegd, heb ik …"); not "Op verzoek van het lid is een overzicht toegezegd"."""
    if not word:
        return False
    if not (_DONE.match(word) or _PAST.search(word)):
        return True
    at = sentence.lower().find(word)
    return at >= 0 and "," in sentence[at:]


#: Where a subordinate clause starts: a "niet" after it negates that clause, not the main one
#: ("… een overzicht beloofd van de gemeenten die hun aandeel niet halen").
_SUBORDINATE = re.compile(
    r"\b(?:die|dat|welke|waar\w*|omdat|zodat|of|als|wanneer|indien|hoewel|terwijl)\b", re.I
)


def _refused(sentence: str, negated: bool) -> bool:
    if not negated:
        return False
    # The main clause: up to the first subordinate clause ("Die toezegging …" opens with a
    # demonstrative, not a clause).
    cut = next((m for m in _SUBORDINATE.finditer(sentence) if m.start() > 0), None)
    main = sentence[: cut.start()] if cut else sentence
    return re.search(r"\b(?:niet|geen|nooit)\b", main, re.IGNORECASE) is not None


def _stem(word: str) -> str:
    """The word without a plural or inflection ending: "overzichten" and "overzicht" agree,
    "voortgang" and "voortgangsbrief" do not."""
    word = word.lower()
    for ending in ("en", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def names_from(sentence: str, previous: str, signals: FulfilSignals | None = None) -> bool:
    """``sentence`` names a thing of ``previous`` with a determiner: "Het overzicht treft u in de
    bijlage aan" after "… toegezegd een overzicht van X te sturen" (not the promise itself: "de
    toezegging over X" names its own content)."""
    own = {"toezegging", "toegezegd", "belofte", "beloofd", "motie", "verzoek", "brief"}
    before = {
        stem for w in _WORD.findall(previous) if len(w) >= 5 and (stem := _stem(w)) not in own
    }
    for match in re.finditer(
        r"\b(?:de|het|die|deze|dit|dat)\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?", sentence, re.I
    ):
        if any(word and len(word) >= 5 and _stem(word) in before for word in match.groups()):
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


def _named(plain: list[str], lemmas: list[str], wanted: frozenset[str]) -> tuple[str | None, bool]:
    """The first word with one of the ``wanted`` lemmas that names something done before: a
    noun ("toezegging", "motie"), a participle or past form ("toegezegd", "beloofde"); not a verb
    in the present tense ("Ik beloof u", "Hierbij verzoek ik uw Kamer"), and not a noun that
    names promises in general ("de openstaande toezeggingen", "Een toezegging geldt als …").
    Also whether such a general noun was seen."""
    general = False
    for index, lemma in enumerate(lemmas):
        if lemma not in wanted or _acts_now(plain, index):
            continue
        word = plain[index]
        noun = _is_noun(word)
        if noun and _generic(plain, index):
            general = True
            continue
        return word, general
    return None, general


#: Words before a plural that make it certain promises ("twee toezeggingen"), and words after
#: one that say where they were made ("toezeggingen uit het debat").
_COUNTED = frozenset(
    """twee drie vier vijf zes zeven acht beide enkele deze die mijn onze zijn haar
    hun""".split()  # noqa: SIM905
)
_SOURCE = frozenset({"uit", "gedaan", "tijdens", "aan", "in", "die", "over"})


def _is_noun(word: str) -> bool:
    """A promise word that is no verb form: "toezegging", "belofte", not "toegezegd"."""
    return not (_DONE.match(word) or _PAST.search(word)) or word == "belofte"


def _generic(plain: list[str], index: int) -> bool:
    word = plain[index]
    before = plain[index - 1] if index else ""
    after = plain[index + 1] if index + 1 < len(plain) else ""
    if word.endswith(("en", "s")) and word not in {"verzoek"}:  # a plural
        # "De toezeggingen die ik … heb gedaan" are certain ones too.
        named = after == "die" and plain[index + 2 : index + 3] in (["ik"], ["wij"], ["we"])
        return before not in _COUNTED and after not in _SOURCE - {"die", "over"} and not named
    if before == "een":
        return "gedaan" not in plain
    return False


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
    for index, (word, lemma) in enumerate(zip(plain, lemmas, strict=True)):
        before = plain[index - 1] if index else ""
        after = plain[index + 1] if index + 1 < len(plain) else ""
        if before not in _SUBJECTS and after not in _SUBJECTS:
            continue
        if word in _SUBJECTS or word.endswith(("de", "te", "den", "ten")) or _participle(word):
            continue
        if word.endswith("en") and not {before, after} & {"wij", "we"}:
            continue  # an infinitive ("… u zal informeren"), finite only with wij
        if lemma in signals.delivery_verbs:
            return word
        for particle in _particles(plain[index + 2 :]):
            if particle + lemma in signals.delivery_verbs:
                return f"{word} … {particle}"
    return None


def _participle(word: str) -> bool:
    """A participle ("gestuurd", "gegeven", "geïnformeerd"), not a present form that starts like
    one ("geef ik uitvoering aan …", "geeft")."""
    return word.startswith("ge") and len(word) > 5 and word.endswith(("d", "t", "en"))


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
        theirs_ours=pattern("theirs_ours"),
        done_before=pattern("done_before"),
        asking=pattern("asking"),
        partial=pattern("partial"),
    )
