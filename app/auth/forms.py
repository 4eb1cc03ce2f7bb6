"""Forms for logging in and for managing accounts."""

from __future__ import annotations

from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.models import (
    AUDIT_KIND_LABELS,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    ROLE_LABELS,
    AuditKind,
    Role,
    User,
)
from app.forms import Form, _l, choices, column_length, max_length

REQUIRED = _l("Dit veld is verplicht.")


class LoginForm(Form):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(REQUIRED), max_length(column_length(User.email))],
    )
    password = PasswordField(
        _l("Wachtwoord"), validators=[DataRequired(REQUIRED), max_length(PASSWORD_MAX_LENGTH)]
    )


class UserForm(Form):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(REQUIRED),
            max_length(column_length(User.email)),
            Email(_l("Dit is geen geldig e-mailadres."), check_deliverability=False),
        ],
    )
    name = StringField(
        _l("Naam"), validators=[DataRequired(REQUIRED), max_length(column_length(User.name))]
    )
    role = SelectField(
        _l("Rol"),
        choices=choices((role.value, ROLE_LABELS[role]) for role in Role),
        default=Role.CLERK.value,
    )
    ministry = SelectField(_l("Ministerie"), choices=[])
    active = BooleanField(_l("Actief"), default=True)


class SetPasswordForm(Form):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[
            DataRequired(REQUIRED),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=PASSWORD_MAX_LENGTH,
                message=_l(
                    "Kies een wachtwoord van %(min)s tot %(max)s tekens.",
                    min=PASSWORD_MIN_LENGTH,
                    max=PASSWORD_MAX_LENGTH,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[EqualTo("password", _l("De wachtwoorden zijn niet gelijk."))],
    )


class AuditFilterForm(Form):
    """The audit log's filters; a GET form, so its values live in the URL."""

    class Meta(Form.Meta):
        csrf = False

    kind = SelectField(_l("Soort"), default="", validate_choice=True)
    email = StringField(
        _l("Account"),
        validators=[Optional(), Length(max=254, message=_l("Hoogstens 254 tekens."))],
        description=_l("Een e-mailadres of een deel ervan."),
    )
    since = DateField(_l("Vanaf"), format=["%Y-%m-%d", "%d-%m-%Y"], validators=[Optional()])
    until = DateField(_l("Tot en met"), format=["%Y-%m-%d", "%d-%m-%Y"], validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(
            [("", _l("Alles")), *((kind.value, AUDIT_KIND_LABELS[kind]) for kind in AuditKind)]
        )
