"""Forms for logging in and for managing accounts."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.models import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, Role
from app.forms import Form, choices

REQUIRED = "Dit veld is verplicht."


class LoginForm(Form):
    email = EmailField("E-mailadres", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(REQUIRED)])


class UserForm(Form):
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired(REQUIRED),
            Email("Dit is geen geldig e-mailadres.", check_deliverability=False),
        ],
    )
    name = StringField("Naam", validators=[DataRequired(REQUIRED), Length(max=200)])
    role = SelectField(
        "Rol", choices=choices((role.value, role.label) for role in Role), default=Role.CLERK.value
    )
    ministry = SelectField("Ministerie", choices=[], validate_choice=False)
    active = BooleanField("Actief", default=True)


class SetPasswordForm(Form):
    password = PasswordField(
        "Nieuw wachtwoord",
        validators=[
            DataRequired(REQUIRED),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=PASSWORD_MAX_LENGTH,
                message=f"Kies een wachtwoord van {PASSWORD_MIN_LENGTH} tot "
                f"{PASSWORD_MAX_LENGTH} tekens.",
            ),
        ],
    )
    confirm = PasswordField(
        "Herhaal het wachtwoord",
        validators=[EqualTo("password", "De wachtwoorden zijn niet gelijk.")],
    )
