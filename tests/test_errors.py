"""One place for errors: Dutch pages for people, JSON under /api/, for every status the app uses."""

from __future__ import annotations

import json

import pytest
from flask import Blueprint, Flask, abort
from werkzeug.exceptions import HTTPException

from app import create_app
from config import TestConfig

#: Status → a Dutch heading the page must show when the code gave no reason of its own.
HEADINGS = {
    400: "Onjuist verzoek",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Niet toegestaan",
    409: "Tegelijk gewijzigd",
    413: "Bestand te groot",
    429: "Te veel verzoeken",
    500: "Er ging iets mis",
    503: "Tijdelijk niet beschikbaar",
}


@pytest.fixture(scope="module")
def failing_app() -> Flask:
    """An app with routes that fail in each way; no database is touched."""
    config = type("ErrorTestConfig", (TestConfig,), {"MAX_CONTENT_LENGTH": 1024})
    application = create_app(config)
    application.config["PROPAGATE_EXCEPTIONS"] = False  # answer a crash as a real server does
    failing = Blueprint("failing", __name__)

    @failing.route("/proef/<int:code>", methods=["GET", "POST"])
    @failing.route("/api/proef/<int:code>", methods=["GET", "POST"])
    def fail(code: int) -> str:
        if code == 500:
            raise RuntimeError("boom")
        abort(code)

    @failing.post("/proef/upload")
    def upload() -> str:
        from flask import request

        return str(len(request.get_data()))

    @failing.get("/proef/reden")
    def with_reason() -> str:
        abort(404, description="Er is geen toezegging met nummer TZ-2019-9999.")

    application.register_blueprint(failing)
    return application


@pytest.mark.parametrize("code", sorted(HEADINGS))
def test_every_error_is_a_dutch_page(failing_app, code):
    response = failing_app.test_client().get(f"/proef/{code}")
    assert response.status_code == code
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"<h1>{HEADINGS[code]}</h1>" in page
    assert "Naar alle toezeggingen" in page
    assert "Traceback" not in page
    assert "boom" not in page


@pytest.mark.parametrize("code", sorted(HEADINGS))
def test_every_error_under_api_is_json(failing_app, code):
    response = failing_app.test_client().get(f"/api/proef/{code}")
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = json.loads(response.get_data(as_text=True))
    assert body["status"] == code
    assert body["error"]
    assert "boom" not in body["error"]


def test_the_codes_own_reason_is_shown(failing_app):
    page = failing_app.test_client().get("/proef/reden").get_data(as_text=True)
    assert "Er is geen toezegging met nummer TZ-2019-9999." in page


def test_english_when_chosen(failing_app):
    page = failing_app.test_client().get("/proef/404?lang=en").get_data(as_text=True)
    assert "<h1>Not found</h1>" in page


def test_unknown_pages_and_methods(failing_app):
    client = failing_app.test_client()
    assert "Niet gevonden" in client.get("/bestaat-niet").get_data(as_text=True)
    assert client.get("/api/v1/bestaat-niet").json == {
        "error": "Deze pagina bestaat niet (meer). Controleer het adres of zoek de toezegging op.",
        "status": 404,
    }
    wrong_method = client.put("/proef/upload")
    assert wrong_method.status_code == 405
    assert "POST" in wrong_method.headers["Allow"]


def test_too_large_a_body_is_refused_in_dutch(failing_app):
    response = failing_app.test_client().post("/proef/upload", data=b"x" * 2048)
    assert response.status_code == 413
    assert "Bestand te groot" in response.get_data(as_text=True)


def test_a_crash_is_logged_with_its_traceback(failing_app, caplog):
    failing_app.test_client().get("/proef/500")
    crash = next(record for record in caplog.records if record.name == "app.errors")
    assert crash.exc_info is not None
    assert isinstance(crash.exc_info[1], RuntimeError)
    assert not isinstance(crash.exc_info[1], HTTPException)


@pytest.mark.parametrize("code", [404, 429, 500])
def test_error_answers_carry_the_security_headers(failing_app, code):
    for path in (f"/proef/{code}", f"/api/proef/{code}"):
        headers = failing_app.test_client().get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "object-src 'none'" in policy
        assert "base-uri 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
