"""Schemathesis against the API's own description (/api/openapi.json, DESIGN §6): requests made
from the description, valid and invalid, sent to the app through WSGI on a seeded register.

Every answer must pass Schemathesis' checks: no server error, a status code and content type
the description lists, a body that fits its schema, invalid input refused with a 4xx and valid
input accepted. Where the two disagreed, the description was fixed when the app was right and
the app when it was wrong (issue 11).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from app.auth.models import User
from app.extensions import db
from tests.conftest import PASSWORD

#: Seconds per form and backend: `make test` runs these, `make test-fast` leaves them out.
pytestmark = pytest.mark.slow

#: As in tests/test_properties.py: ``PROPERTY_EXAMPLES=500`` searches deeper with fresh seeds.
EXAMPLES = os.environ.get("PROPERTY_EXAMPLES")
API = settings(
    max_examples=int(EXAMPLES or 40),
    deadline=None,
    derandomize=EXAMPLES is None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# A cursor (after, before) is valid only as the API gave it out, for the order it was made for
# and without page: no schema can say that, so valid requests carry an empty one (the same as
# none). Invalid ones are still sent in the "invalid" run; tests/test_api.py walks real ones.
schemathesis.openapi.format("cursor", st.just(""))


def session_cookie(app: Flask) -> dict[str, str]:
    """The session cookie of a clerk who logged in through the login form."""
    clerk = User(email="fuzz@ministerie.example", name="Fuzz", role="clerk")
    clerk.set_password(PASSWORD)
    db.session.add(clerk)
    db.session.commit()
    client = app.test_client()
    response = client.post("/beheer/inloggen", data={"email": clerk.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    return {"session": cookie.value}


@pytest.mark.parametrize(
    ("mode", "logged_in"),
    [
        (GenerationMode.POSITIVE, False),
        (GenerationMode.NEGATIVE, False),
        (GenerationMode.POSITIVE, True),
    ],
    ids=["valid", "invalid", "valid-logged-in"],
)
def test_the_api_keeps_to_its_description(seeded, mode, logged_in):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", seeded)
    cookies = session_cookie(seeded) if logged_in else None

    @API
    @given(case=schema.as_strategy(mode))
    def call(case):
        response = case.call(cookies=cookies)
        case.validate_response(response)

    call()
