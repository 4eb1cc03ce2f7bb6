"""Helpers shared by every package's forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations as wtforms_translations
from wtforms.meta import DefaultMeta

#: Marks text for translation where it is defined (labels, messages); translated when shown.
_l = lazy_gettext

__all__ = ["Form", "_l", "choices", "gettext", "render_form"]


def render_form(template: str, *, status: int | None = None, **context: Any) -> ResponseReturnValue:
    """Show a form page: 200 when it is first shown, 400 when a submission comes back to the user.

    Views redirect after a successful POST, so a POST that ends here did not go through; the
    form re-renders with the user's input and the errors beside the fields. A POST that only
    asks for a preview passes ``status=200``.
    """
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render_template(template, **context), status


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class Form(FlaskForm):
    """The base of every form: WTForms' own messages ("Not a valid choice") in the user's
    language, Dutch unless English was chosen."""

    class Meta(DefaultMeta):
        def get_translations(self, form: Any) -> Any:
            return wtforms_translations([str(get_locale() or "nl")])
