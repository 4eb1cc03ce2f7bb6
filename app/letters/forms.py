"""The letter screens' forms: the upload, and the review of what the reader proposes.

The review form carries only what the clerk decides (which promises to take over, their titles,
deadlines and owners, which earlier promise a sentence fulfils); what the reader found in the
letter is read again on the server from the letter's text, so that the options offered and the
sentences stored are never taken from the browser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import wtforms
from flask_babel import gettext
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError

from app.formatting import parse_date
from app.forms import (
    DATE_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    Form,
    _l,
    choices,
    column_length,
    max_length,
)
from app.inputs import parse_id, without_invalid_characters
from app.letters.review import MAX_PROPOSALS, NEW_PROMISE, LetterProposals
from app.letters.text import MAX_TEXT_CHARS, READABLE_SUFFIXES
from app.register import queries
from app.register.models import Commitment, Document, Ministry, Official

if TYPE_CHECKING:
    from app.auth.models import User

REQUIRED = _l("Dit veld is verplicht.")

#: The longest letter text the review takes back: no longer than the reader reads a letter.
LETTER_TEXT_MAX_LENGTH = MAX_TEXT_CHARS


class LetterUploadForm(Form):
    letter = FileField(
        _l("Kamerbrief (.pdf, .docx of .txt)"),
        validators=[
            FileRequired(_l("Kies een brief om te uploaden.")),
            FileAllowed(
                READABLE_SUFFIXES,
                _l("Onbekend bestandstype: alleen .txt, .pdf en .docx worden gelezen."),
            ),
        ],
        render_kw={"accept": ".pdf,.docx,.txt,application/pdf,text/plain"},
    )


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


#: What a value that is no id becomes: no choice has it, so the field's own message answers.
NOT_A_CHOICE = 0


def _optional_int(value: Any) -> int | None:
    """A choice's id, None for "— geen —", and NOT_A_CHOICE for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    found = parse_id(value)
    return NOT_A_CHOICE if found is None else found


def _clean_letter(value: Any) -> Any:
    """The letter's text without characters no text may hold, as the reader reads it."""
    return without_invalid_characters(value) if isinstance(value, str) else value


class LetterDateField(StringField):
    """A date typed as ``2019-06-30`` or ``30-06-2019``, shown as ISO; kept as typed on error."""

    raw: str = ""
    data: dt.date | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"maxlength": DATE_MAX_LENGTH})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = str(valuelist[0] if valuelist else "").strip()
        self.data = parse_date(self.raw) if self.raw else None

    def _value(self) -> str:
        if self.raw:
            return self.raw
        return self.data.isoformat() if isinstance(self.data, dt.date) else ""


def date_required(form: Any, field: LetterDateField) -> None:
    """Required, but an unreadable date keeps its own message ("'gisteren' is geen datum")."""
    if field.data is None and not field.process_errors:
        raise StopValidation(str(REQUIRED))


class _SubForm(wtforms.Form):
    """One proposal in a list; the messages follow the user's language as in every form."""

    class Meta(Form.Meta):
        pass


class PromiseProposalForm(_SubForm):
    """What the clerk decides about one proposed promise."""

    accept = BooleanField(_l("Overnemen als toezegging"))
    title = StringField(
        _l("Titel"),
        filters=[_strip],
        validators=[Optional(), max_length(column_length(Commitment.title))],
    )
    phrase = StringField(
        _l("Deadline zoals verwoord"),
        filters=[_strip],
        validators=[Optional(), max_length(column_length(Commitment.deadline_phrase))],
    )
    deadline = LetterDateField(_l("Deadline (datum)"), validators=[Optional()])
    owner = SelectField(
        _l("Eigenaar"),
        coerce=_optional_int,
        choices=[],
        invalid_choice_message=_l("Kies een eigenaar van het gekozen ministerie."),
    )
    requested_by = StringField(
        _l("Gevraagd door"),
        filters=[_strip],
        validators=[Optional(), max_length(column_length(Commitment.requested_by))],
    )


def registered_number(form: Any, field: Field) -> None:
    """A promise number the clerk typed must be in the register."""
    if field.data and queries.commitment_by_number(field.data) is None:
        raise ValidationError(_l("%(number)s staat niet in het register.", number=field.data))


class FulfilmentProposalForm(_SubForm):
    """Which earlier promise, if any, one sentence of the letter fulfils."""

    choice = RadioField(
        _l("Voldaan"),
        choices=[],
        default="",
        invalid_choice_message=_l("Kies een van de voorgestelde toezeggingen, of geen."),
    )
    #: Another promise than those ranked: the clerk looks it up in the register and types its
    #: number; it wins over the choice.
    other = StringField(
        _l("Of een ander nummer uit het register"),
        filters=[_strip, lambda value: value.upper() if isinstance(value, str) else value],
        validators=[Optional(), Length(max=20), registered_number],
    )


class BoundedFieldList(FieldList):
    """A FieldList that builds at most ``max_entries`` entries (WTForms drops the rest) and
    remembers that more were posted, so that validation can say so instead."""

    too_many = False

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.too_many = False
        if formdata:
            seen: set[int] = set()
            for index in self._extract_indices(self.name, formdata):
                seen.add(index)
                if len(seen) > self.max_entries:
                    self.too_many = True
                    break
        super().process(formdata, data, extra_filters)


def _bounded(form_class: type[_SubForm]) -> BoundedFieldList:
    return BoundedFieldList(FormField(form_class), max_entries=MAX_PROPOSALS)


def kamerstuk_reference(form: Any, field: Field) -> None:
    try:
        Document.parse_reference(field.data or "")
    except ValueError:
        raise ValidationError(
            _l("Schrijf een Kamerstuk als 32 735, nr. 243 of kst-32735-243.")
        ) from None


class LetterReviewForm(Form):
    """The review screen: the letter's facts, and a decision per proposal."""

    #: The letter's text as it was read; the proposals are read from it again on the server.
    text = HiddenField(
        # Characters no text may hold are left out, as they are when the file is read: a
        # letter is not refused for a stray control character in it.
        filters=[_clean_letter],
        validators=[
            InputRequired(_l("De tekst van de brief ontbreekt. Lees de brief opnieuw in.")),
            Length(
                max=LETTER_TEXT_MAX_LENGTH,
                message=_l("De brief is te lang om hier te beoordelen."),
            ),
        ],
    )
    kamerstuk = StringField(
        _l("Kamerstuk (als de brief al een nummer heeft)"),
        filters=[_strip],
        validators=[Optional(), max_length(REFERENCE_MAX_LENGTH), kamerstuk_reference],
    )
    title = StringField(
        _l("Titel"),
        filters=[_strip],
        validators=[Optional(), max_length(column_length(Document.title))],
    )
    date = LetterDateField(_l("Datum"), validators=[date_required])
    ministry = SelectField(
        _l("Ministerie"),
        coerce=_optional_int,
        choices=[],
        invalid_choice_message=_l("Kies een ministerie waarvoor u toezeggingen mag vastleggen."),
    )
    official = SelectField(
        _l("Bewindspersoon"),
        coerce=_optional_int,
        choices=[],
        invalid_choice_message=_l("Kies een bewindspersoon van het gekozen ministerie."),
    )
    promise = _bounded(PromiseProposalForm)
    fulfilment = _bounded(FulfilmentProposalForm)

    proposals: LetterProposals | None = None

    @classmethod
    def for_letter(
        cls, proposals: LetterProposals, ministry_id: int | None, official_id: int | None
    ) -> LetterReviewForm:
        """The form as the review screen first shows it: the reader's suggestions filled in."""
        return cls(
            formdata=None,
            data={
                "text": proposals.raw,
                "kamerstuk": proposals.kamerstuk,
                "title": proposals.title,
                "date": proposals.date,
                "ministry": ministry_id,
                "official": official_id,
                "promise": [
                    {
                        "accept": p.preselected,
                        "title": p.title,
                        "phrase": p.deadline_phrase or "",
                        "deadline": p.deadline,
                        "owner": None,
                        "requested_by": p.requested_by or "",
                    }
                    for p in proposals.promises
                ],
                "fulfilment": [
                    {"choice": f.preselected, "other": ""} for f in proposals.fulfilments
                ],
            },
        )

    def offer(
        self,
        proposals: LetterProposals,
        ministries: Sequence[Ministry],
        officials: Sequence[Official],
        owners: Sequence[User],
    ) -> None:
        """The choices the server allows, and the proposals the entries must belong to."""
        self.proposals = proposals
        none = ("", "— " + gettext("geen") + " —")
        self.ministry.choices = choices((m.id, m.name) for m in ministries)
        self.official.choices = choices(
            [none, *((o.id, f"{o.name}, {o.function}") for o in officials)]
        )
        for entry in self.promise:
            entry.form.owner.choices = choices([none, *((u.id, u.name) for u in owners)])
        for index, entry in enumerate(self.fulfilment):
            proposal = proposals.fulfilments[index] if index < len(proposals.fulfilments) else None
            matches = proposal.matches if proposal else []
            # The promises the reader ranked for this sentence, from the register: nothing else;
            # for a promise the letter only mentions, also "record it now".
            extra = [(NEW_PROMISE, gettext("Nieuw vastleggen"))]
            entry.form.choice.choices = choices(
                [
                    ("", gettext("Geen van deze")),
                    *((m["number"], m["title"]) for m in matches),
                    *(extra if proposal and proposal.kind == "reported" else []),
                ]
            )

    def validate_promise(self, field: BoundedFieldList) -> None:
        _one_entry_per_proposal(field, self.proposals.promises if self.proposals else None)

    def validate_fulfilment(self, field: BoundedFieldList) -> None:
        _one_entry_per_proposal(field, self.proposals.fulfilments if self.proposals else None)

    def messages(self) -> list[str]:
        """Every error in one list, for the summary above the form."""
        found: list[str] = []
        for name in ("text", "kamerstuk", "title", "date", "ministry", "official"):
            found.extend(str(error) for error in self[name].errors)
        for list_name, label in (
            ("promise", _l("Toezegging %(n)s: %(error)s")),
            ("fulfilment", _l("Zin %(n)s over een eerdere toezegging: %(error)s")),
        ):
            field = self[list_name]
            for index, entry in enumerate(field.entries, start=1):
                for errors in entry.form.errors.values():
                    found.extend(str(label) % {"n": index, "error": e} for e in errors)
            found.extend(str(e) for e in field.errors if isinstance(e, str))
        return found


def _one_entry_per_proposal(field: BoundedFieldList, proposals: Sequence[object] | None) -> None:
    """No more entries than the maximum, and (once offered) one per proposal of the letter."""
    if field.too_many:
        raise ValidationError(
            gettext("Ten hoogste %(max)s voorstellen per brief.", max=MAX_PROPOSALS)
        )
    if proposals is not None and len(field.entries) != len(proposals):
        raise ValidationError(
            gettext("De voorstellen passen niet meer bij de brief. Lees de brief opnieuw in.")
        )
