"""Helpers shared by every package's forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations as wtforms_translations
from wtforms.meta import DefaultMeta
from wtforms.validators import Length, ValidationError
from wtforms.widgets import HiddenInput

from app.inputs import has_invalid_characters, one_line

#: Marks text for translation where it is defined (labels, messages); translated when shown.
_l = lazy_gettext

__all__ = [
    "DATE_MAX_LENGTH",
    "INVALID_CHARACTERS_MESSAGE",
    "REFERENCE_MAX_LENGTH",
    "TOO_LONG",
    "Form",
    "_l",
    "choices",
    "column_length",
    "gettext",
    "max_length",
    "render_form",
]

INVALID_CHARACTERS_MESSAGE = _l("Dit veld bevat ongeldige tekens.")
TOO_LONG = _l("Hoogstens %(max)d tekens.")

#: The longest Kamerstuk reference anyone writes: "Kamerstukken 36 200-XVI, nr. 12345678".
REFERENCE_MAX_LENGTH = 60
#: Every date format the register reads is ten characters: 30-06-2019, 2019-06-30 …
DATE_MAX_LENGTH = 10


def column_length(attribute: Any) -> int:
    """The length of a model's String(n) column, so that a form's bound follows the model."""
    length: int = attribute.type.length
    return length


def max_length(limit: int) -> Length:
    """At most ``limit`` characters, said in Dutch; the input gets ``maxlength`` as well
    (WTForms renders a Length validator's maximum on text inputs and text areas)."""
    return Length(max=limit, message=TOO_LONG)


def render_form(template: str, *, status: int | None = None, **context: Any) -> ResponseReturnValue:
    """Show a form page: 200 when it is first shown, 400 when a submission comes back to the user.

    Views redirect after a successful POST, so a POST that ends here did not go through; the
    form re-renders with the user's input and the errors beside the fields. A POST that only
    asks for a preview passes ``status=200``.
    """
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render_template(template, **context), status


def choices(pairs: Iterable[tuple[object, str | LazyString]]) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs. A label made with ``_l`` stays lazy:
    choices made once, on a form class, are shown in each request's language."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def valid_characters(form: Any, field: Field) -> None:
    """No control characters (other than tab and line breaks) or other characters that a
    database or an XML file cannot hold (app.inputs.INVALID_CHARACTERS)."""
    values = [field.data] if isinstance(field.data, str) else (field.raw_data or [])
    if any(isinstance(value, str) and has_invalid_characters(value) for value in values):
        raise ValidationError(str(INVALID_CHARACTERS_MESSAGE))


def _on_one_line(value: Any) -> Any:
    return one_line(value) if isinstance(value, str) else value


def is_single_line(field: Field) -> bool:
    """A text input of one line: what a browser strips line breaks from."""
    return (
        isinstance(field, StringField)
        and not isinstance(field, TextAreaField | HiddenField | PasswordField)
        and not isinstance(field.widget, HiddenInput)
    )


class Form(FlaskForm):
    """The base of every form: WTForms' own messages ("Not a valid choice") in the user's
    language, Dutch unless English was chosen; and every text field checked for characters no
    text may hold (passwords excepted: they are only hashed), single-line fields with their
    tabs and line breaks turned into spaces. A field that cleans such characters itself
    (a filter with app.inputs.without_invalid_characters) passes the check."""

    class Meta(DefaultMeta):
        def get_translations(self, form: Any) -> Any:
            return wtforms_translations([str(get_locale() or "nl")])

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField) and not isinstance(field, PasswordField):
                field.validators = [valid_characters, *field.validators]
            if is_single_line(field):
                field.filters = [_on_one_line, *field.filters]
            return field
