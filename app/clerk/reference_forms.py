"""Forms for the register's reference data: ministries, ministers, committees, documents."""

from __future__ import annotations

from wtforms import SelectField, StringField, URLField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.clerk.forms import REQUIRED, DutchDateField, kamerstuk_reference
from app.forms import Form, _l, choices
from app.register.models import DocumentKind

TOO_LONG = _l("Hoogstens %(max)d tekens.")


class MinistryForm(Form):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=16, message=TOO_LONG),
            Regexp(r"^[A-Za-z&]+$", message=_l("Alleen letters, bijvoorbeeld JenV of BZ.")),
        ],
        description=_l("Zoals de Kamer het ministerie afkort, bijvoorbeeld JenV."),
    )
    name = StringField(
        _l("Naam"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)]
    )


class OfficialForm(Form):
    name = StringField(
        _l("Naam"),
        validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)],
        description=_l("Zoals onder brieven, bijvoorbeeld M.G.J. Harbers."),
    )
    function = StringField(
        _l("Functie"),
        validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)],
        description=_l("Bijvoorbeeld Staatssecretaris van Justitie en Veiligheid."),
    )
    ministry = SelectField(_l("Ministerie"), coerce=int)
    active_from = DutchDateField(_l("In functie sinds"), validators=[Optional()])
    active_to = DutchDateField(
        _l("In functie tot"), validators=[Optional()], description=_l("Leeg zolang in functie.")
    )


class CommitteeForm(Form):
    name = StringField(
        _l("Naam"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)]
    )
    abbreviation = StringField(
        _l("Afkorting"),
        validators=[Optional(), Length(max=20, message=TOO_LONG)],
        description=_l("Bijvoorbeeld J&V."),
    )


class DocumentForm(Form):
    reference = StringField(
        _l("Kamerstuk"),
        validators=[DataRequired(REQUIRED), kamerstuk_reference],
        description=_l("Bijvoorbeeld 32 735, nr. 243."),
    )
    kind = SelectField(
        _l("Soort document"), choices=choices((kind.value, kind.label) for kind in DocumentKind)
    )
    title = StringField(
        _l("Titel"), validators=[DataRequired(REQUIRED), Length(max=500, message=TOO_LONG)]
    )
    date = DutchDateField(_l("Datum"), validators=[Optional()])
    url = URLField(
        _l("Adres van de publicatie"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
        description=_l("Leeg: het adres op officielebekendmakingen.nl."),
    )
