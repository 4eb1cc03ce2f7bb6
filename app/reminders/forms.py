"""Forms for following promises by e-mail."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, StringField
from wtforms.validators import DataRequired

from app.forms import Form, _l, column_length, max_length
from app.reminders.models import Follower


class FollowForm(Form):
    email = EmailField(
        _l("Uw e-mailadres"),
        validators=[
            DataRequired(_l("Vul uw e-mailadres in.")),
            max_length(column_length(Follower.email)),
        ],
    )
    #: What to follow, the one choice of the form: ``toezegging:<number>``,
    #: ``ministerie:<code>`` or ``commissie:<id>`` (a radio button, or hidden with one option).
    wat = StringField(validators=[max_length(80)])
    #: Before ``wat``, and still understood: "toezegging", "ministerie" or "commissie" …
    target = HiddenField(validators=[max_length(20)])
    #: … with the promise's number, the ministry's code or the committee's id.
    value = HiddenField(validators=[max_length(40)])
