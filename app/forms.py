"""Helpers shared by every package's forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class Form(FlaskForm):
    """The base of every form: WTForms' own messages ("Not a valid choice") in Dutch."""

    class Meta:
        locales = ("nl",)

        def get_translations(self, form: Any) -> Any:
            return DefaultMeta.get_translations(self, form)
