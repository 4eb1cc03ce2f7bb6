"""The forms of /beheer/import (DESIGN §13)."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import InputRequired, Length

from app.forms import Form, _l


class SheetUploadForm(Form):
    sheet = FileField(
        _l("Spreadsheet (.xlsx of .csv)"),
        validators=[
            FileRequired(_l("Kies een spreadsheet om in te lezen.")),
            FileAllowed(["xlsx", "csv", "txt"], _l("Alleen .xlsx en .csv worden gelezen.")),
        ],
        render_kw={"accept": ".xlsx,.csv,text/csv"},
    )


class SheetConfirmForm(Form):
    #: Names the uploaded sheet kept on the server between the preview and the import.
    token = HiddenField(validators=[InputRequired(), Length(max=64)])
