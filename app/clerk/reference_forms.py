"""Forms for the register's reference data: ministries, ministers, committees, documents."""

from __future__ import annotations

from wtforms import SelectField, StringField, URLField
from wtforms.validators import DataRequired, Optional, Regexp

from app.clerk.forms import REQUIRED, DutchDateField, kamerstuk_reference
from app.forms import REFERENCE_MAX_LENGTH, Form, _l, choices, column_length, max_length
from app.inputs import choice_id
from app.register.models import (
    DOCUMENT_KIND_LABELS,
    Committee,
    Document,
    DocumentKind,
    Ministry,
    Official,
)


class MinistryForm(Form):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(REQUIRED),
            max_length(column_length(Ministry.code)),
            Regexp(r"^[A-Za-z&]+$", message=_l("Alleen letters, bijvoorbeeld JenV of BZ.")),
        ],
        description=_l("Zoals de Kamer het ministerie afkort, bijvoorbeeld JenV."),
    )
    name = StringField(
        _l("Naam"), validators=[DataRequired(REQUIRED), max_length(column_length(Ministry.name))]
    )


class OfficialForm(Form):
    name = StringField(
        _l("Naam"),
        validators=[DataRequired(REQUIRED), max_length(column_length(Official.name))],
        description=_l("Zoals onder brieven, bijvoorbeeld M.G.J. Harbers."),
    )
    function = StringField(
        _l("Functie"),
        validators=[DataRequired(REQUIRED), max_length(column_length(Official.function))],
        description=_l("Bijvoorbeeld Staatssecretaris van Justitie en Veiligheid."),
    )
    ministry = SelectField(_l("Ministerie"), coerce=choice_id)
    active_from = DutchDateField(_l("In functie sinds"), validators=[Optional()])
    active_to = DutchDateField(
        _l("In functie tot"), validators=[Optional()], description=_l("Leeg zolang in functie.")
    )


class CommitteeForm(Form):
    name = StringField(
        _l("Naam"), validators=[DataRequired(REQUIRED), max_length(column_length(Committee.name))]
    )
    abbreviation = StringField(
        _l("Afkorting"),
        validators=[Optional(), max_length(column_length(Committee.abbreviation))],
        description=_l("Bijvoorbeeld J&V."),
    )


class DocumentForm(Form):
    reference = StringField(
        _l("Kamerstuk"),
        validators=[DataRequired(REQUIRED), max_length(REFERENCE_MAX_LENGTH), kamerstuk_reference],
        description=_l("Bijvoorbeeld 32 735, nr. 243."),
    )
    kind = SelectField(
        _l("Soort document"),
        choices=choices((kind.value, DOCUMENT_KIND_LABELS[kind]) for kind in DocumentKind),
    )
    title = StringField(
        _l("Titel"), validators=[DataRequired(REQUIRED), max_length(column_length(Document.title))]
    )
    date = DutchDateField(_l("Datum"), validators=[Optional()])
    url = URLField(
        _l("Adres van de publicatie"),
        validators=[Optional(), max_length(column_length(Document.url))],
        description=_l("Leeg: het adres op officielebekendmakingen.nl."),
    )
