"""Forms for following promises by e-mail."""

from __future__ import annotations

from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired, Length

from app.forms import Form, _l


class FollowForm(Form):
    email = EmailField(
        _l("Uw e-mailadres"),
        validators=[
            DataRequired(_l("Vul uw e-mailadres in.")),
            Length(max=254, message=_l("Hoogstens %(max)d tekens.")),
        ],
    )
    #: "toezegging", "ministerie" or "commissie".
    target = HiddenField()
    #: The promise's number, the ministry's code or the committee's id.
    value = HiddenField()
