"""Forms for recording and keeping promises. Every message is Dutch and sits next to its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import HiddenInput

from app.formatting import DATE_HELP, parse_date
from app.forms import (
    DATE_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    Form,
    _l,
    choices,
    column_length,
    max_length,
)
from app.inputs import choice_id
from app.register.models import (
    DOCUMENT_KIND_LABELS,
    NOTE_MAX_LENGTH,
    STATUS_LABELS,
    TEXT_MAX_LENGTH,
    Commitment,
    CommitmentStatus,
    Document,
    DocumentKind,
)

REQUIRED = _l("Dit veld is verplicht.")


class DutchDateField(StringField):
    """A date typed as ``30-06-2019`` or ``2019-06-30``; shown back as the user typed it."""

    widget_input_type = "text"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"maxlength": DATE_MAX_LENGTH})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw:
            self.data = parse_date(self.raw)

    def _value(self) -> str:
        if getattr(self, "raw", None):
            return str(self.raw)
        return self.data.strftime("%d-%m-%Y") if isinstance(self.data, dt.date) else ""


def kamerstuk_reference(form: Any, field: Field) -> None:
    if field.data:
        try:
            Document.parse_reference(field.data)
        except ValueError:
            raise ValidationError(
                _l("Schrijf een Kamerstuk als 32 735, nr. 243 of kst-32735-243.")
            ) from None


class CommitmentForm(Form):
    """A new promise, or the ordinary fields of an existing one."""

    text = TextAreaField(
        _l("Tekst van de toezegging"),
        validators=[DataRequired(REQUIRED), max_length(TEXT_MAX_LENGTH)],
        description=_l("De woorden van de bewindspersoon, letterlijk uit de brief of het verslag."),
    )
    title = StringField(
        _l("Titel"),
        validators=[Optional(), max_length(column_length(Commitment.title))],
        description=_l("Laat leeg om een titel uit de tekst voor te stellen."),
    )
    made_on = DutchDateField(
        _l("Gedaan op"), validators=[InputRequired(REQUIRED)], description=DATE_HELP
    )
    ministry = SelectField(_l("Ministerie"), coerce=choice_id, validate_choice=True)
    source = StringField(
        _l("Bron (Kamerstuk)"),
        validators=[Optional(), max_length(REFERENCE_MAX_LENGTH), kamerstuk_reference],
        description=_l(
            "Bijvoorbeeld 32 735, nr. 243. Staat het nog niet in het register, "
            "vul dan ook titel en datum van het nieuwe Kamerstuk in."
        ),
    )
    source_title = StringField(
        _l("Titel van het nieuwe Kamerstuk"),
        validators=[Optional(), max_length(column_length(Document.title))],
    )
    source_date = DutchDateField(_l("Datum van het nieuwe Kamerstuk"), validators=[Optional()])
    source_kind = SelectField(
        _l("Soort document"),
        choices=choices((kind.value, DOCUMENT_KIND_LABELS[kind]) for kind in DocumentKind),
        default=DocumentKind.LETTER.value,
    )
    activity = SelectField(
        _l("Activiteit (debat of overleg)"), coerce=choice_id, validate_choice=False
    )
    responsible_official = SelectField(
        _l("Bewindspersoon"), coerce=choice_id, validate_choice=False
    )
    owner = SelectField(_l("Eigenaar"), coerce=choice_id, validate_choice=False)
    requested_by = StringField(
        _l("Op verzoek van"),
        validators=[Optional(), max_length(column_length(Commitment.requested_by))],
        description=_l("Kamerlid en fractie, bijvoorbeeld Kuiken (PvdA)."),
    )
    committee = SelectField(_l("Commissie"), coerce=choice_id, validate_choice=False)
    deadline_phrase = StringField(
        _l("Deadline zoals verwoord"),
        validators=[Optional(), max_length(column_length(Commitment.deadline_phrase))],
        description=_l('Bijvoorbeeld "voor de zomer"; de datum wordt dan berekend.'),
    )
    deadline = DutchDateField(
        _l("Deadline (datum)"),
        validators=[Optional()],
        description=_l(
            "Laat leeg om de datum uit de woorden te berekenen. "
            "Bijvoorbeeld 30-06-2019 of 2019-06-30."
        ),
    )
    internal_note = TextAreaField(
        _l("Interne notitie"),
        validators=[Optional(), max_length(NOTE_MAX_LENGTH)],
        description=_l("Alleen zichtbaar binnen het ministerie."),
    )
    note = StringField(
        _l("Toelichting bij deze wijziging"), validators=[Optional(), max_length(NOTE_MAX_LENGTH)]
    )
    #: The version the form was filled from; empty for a new promise.
    version = HiddenField(validators=[max_length(10)])
    preview = SubmitField(_l("Datum berekenen"))
    save = SubmitField(_l("Opslaan"))


class StatusForm(Form):
    status = SelectField(
        _l("Nieuwe status"),
        choices=choices((status.value, STATUS_LABELS[status]) for status in CommitmentStatus),
    )
    kamer_status = StringField(
        _l("Status in de woorden van de Kamer"),
        validators=[Optional(), max_length(column_length(Commitment.kamer_status))],
        description=_l("Bijvoorbeeld Afgedaan of Deels voldaan; mag leeg."),
    )
    note = TextAreaField(
        _l("Toelichting"),
        validators=[
            DataRequired(_l("Geef bij een statuswijziging een toelichting.")),
            max_length(NOTE_MAX_LENGTH),
        ],
    )
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class DeadlineForm(Form):
    deadline_phrase = StringField(
        _l("Deadline zoals verwoord"),
        validators=[Optional(), max_length(column_length(Commitment.deadline_phrase))],
    )
    deadline = DutchDateField(_l("Nieuwe deadline"), validators=[Optional()], description=DATE_HELP)
    note = TextAreaField(_l("Toelichting"), validators=[Optional(), max_length(NOTE_MAX_LENGTH)])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class FulfilForm(Form):
    document = StringField(
        _l("Brief die de toezegging nakomt (Kamerstuk)"),
        validators=[DataRequired(REQUIRED), max_length(REFERENCE_MAX_LENGTH), kamerstuk_reference],
        description=_l("Bijvoorbeeld 32 735, nr. 243."),
    )
    document_title = StringField(
        _l("Titel van het nieuwe Kamerstuk"),
        validators=[Optional(), max_length(column_length(Document.title))],
    )
    document_date = DutchDateField(_l("Datum van het nieuwe Kamerstuk"), validators=[Optional()])
    fulfilled_on = DutchDateField(
        _l("Voldaan op"), validators=[Optional()], description=_l("Leeg: de datum van de brief.")
    )
    partially = BooleanField(_l("Slechts deels voldaan"))
    note = TextAreaField(_l("Toelichting"), validators=[Optional(), max_length(NOTE_MAX_LENGTH)])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())
