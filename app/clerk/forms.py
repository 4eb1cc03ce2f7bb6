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
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from app.forms import Form, choices
from app.register.models import CommitmentStatus, Document, DocumentKind

REQUIRED = "Dit veld is verplicht."
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
DATE_HELP = "Bijvoorbeeld 30-06-2019 of 2019-06-30."


def parse_date(raw: str) -> dt.date:
    """``30-06-2019``, ``2019-06-30``, ``30/06/2019`` or ``30.06.2019``; ValueError otherwise."""
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"{raw.strip()!r} is geen datum. {DATE_HELP}")


class DutchDateField(StringField):
    """A date typed as ``30-06-2019`` or ``2019-06-30``; shown back as the user typed it."""

    widget_input_type = "text"

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
                "Schrijf een Kamerstuk als 32 735, nr. 243 of kst-32735-243."
            ) from None


class CommitmentForm(Form):
    """A new promise, or the ordinary fields of an existing one."""

    text = TextAreaField(
        "Tekst van de toezegging",
        validators=[DataRequired(REQUIRED)],
        description="De woorden van de bewindspersoon, letterlijk uit de brief of het verslag.",
    )
    title = StringField(
        "Titel",
        validators=[Optional(), Length(max=200, message="Hoogstens 200 tekens.")],
        description="Laat leeg om een titel uit de tekst voor te stellen.",
    )
    made_on = DutchDateField(
        "Gedaan op", validators=[InputRequired(REQUIRED)], description=DATE_HELP
    )
    ministry = SelectField("Ministerie", coerce=int, validate_choice=True)
    source = StringField(
        "Bron (Kamerstuk)",
        validators=[Optional(), kamerstuk_reference],
        description="Bijvoorbeeld 32 735, nr. 243. Staat het nog niet in het register, "
        "vul dan ook titel en datum van het nieuwe Kamerstuk in.",
    )
    source_title = StringField("Titel van het nieuwe Kamerstuk", validators=[Optional()])
    source_date = DutchDateField("Datum van het nieuwe Kamerstuk", validators=[Optional()])
    source_kind = SelectField(
        "Soort document",
        choices=choices((kind.value, kind.label) for kind in DocumentKind),
        default=DocumentKind.LETTER.value,
    )
    activity = SelectField("Activiteit (debat of overleg)", coerce=int, validate_choice=False)
    responsible_official = SelectField("Bewindspersoon", coerce=int, validate_choice=False)
    owner = SelectField("Eigenaar", coerce=int, validate_choice=False)
    requested_by = StringField(
        "Op verzoek van",
        validators=[Optional(), Length(max=200, message="Hoogstens 200 tekens.")],
        description="Kamerlid en fractie, bijvoorbeeld Kuiken (PvdA).",
    )
    committee = SelectField("Commissie", coerce=int, validate_choice=False)
    deadline_phrase = StringField(
        "Deadline zoals verwoord",
        validators=[Optional(), Length(max=200, message="Hoogstens 200 tekens.")],
        description='Bijvoorbeeld "voor de zomer"; de datum wordt dan berekend.',
    )
    deadline = DutchDateField(
        "Deadline (datum)",
        validators=[Optional()],
        description="Laat leeg om de datum uit de woorden te berekenen. " + DATE_HELP,
    )
    internal_note = TextAreaField(
        "Interne notitie", description="Alleen zichtbaar binnen het ministerie."
    )
    note = StringField("Toelichting bij deze wijziging", validators=[Optional()])
    version = HiddenField()
    preview = SubmitField("Datum berekenen")
    save = SubmitField("Opslaan")


class StatusForm(Form):
    status = SelectField(
        "Nieuwe status",
        choices=choices((status.value, status.label) for status in CommitmentStatus),
    )
    kamer_status = StringField(
        "Status in de woorden van de Kamer",
        validators=[Optional(), Length(max=60)],
        description="Bijvoorbeeld Afgedaan of Deels voldaan; mag leeg.",
    )
    note = TextAreaField(
        "Toelichting", validators=[DataRequired("Geef bij een statuswijziging een toelichting.")]
    )
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class DeadlineForm(Form):
    deadline_phrase = StringField(
        "Deadline zoals verwoord", validators=[Optional(), Length(max=200)]
    )
    deadline = DutchDateField("Nieuwe deadline", validators=[Optional()], description=DATE_HELP)
    note = TextAreaField("Toelichting", validators=[Optional()])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class FulfilForm(Form):
    document = StringField(
        "Brief die de toezegging nakomt (Kamerstuk)",
        validators=[DataRequired(REQUIRED), kamerstuk_reference],
        description="Bijvoorbeeld 32 735, nr. 243.",
    )
    document_title = StringField("Titel van het nieuwe Kamerstuk", validators=[Optional()])
    document_date = DutchDateField("Datum van het nieuwe Kamerstuk", validators=[Optional()])
    fulfilled_on = DutchDateField(
        "Voldaan op", validators=[Optional()], description="Leeg: de datum van de brief."
    )
    partially = BooleanField("Slechts deels voldaan")
    note = TextAreaField("Toelichting", validators=[Optional()])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())
