"""One place for errors: a Dutch page for people, a JSON body for API clients.

Every HTTP error the app raises (``abort(404, description=…)``) and every unexpected exception
(as a 500) ends here. Under ``/api/`` the answer is ``{"error": …, "status": …}``; elsewhere it is
``error.html`` with a title and an explanation in the user's language.
"""

from __future__ import annotations

import logging
import sqlite3

import psycopg
import sqlalchemy as sa
from flask import Flask, abort, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from app.extensions import db
from app.inputs import has_invalid_characters

logger = logging.getLogger(__name__)

#: Per status: the page's heading and what it says when the code gave no reason of its own.
MESSAGES = {
    400: (_l("Onjuist verzoek"), _l("Het verzoek is niet te verwerken. Controleer wat u invulde.")),
    401: (_l("Niet ingelogd"), _l("Log in om verder te gaan.")),
    403: (_l("Geen toegang"), _l("U hebt geen rechten voor deze pagina.")),
    404: (
        _l("Niet gevonden"),
        _l("Deze pagina bestaat niet (meer). Controleer het adres of zoek de toezegging op."),
    ),
    405: (_l("Niet toegestaan"), _l("Deze pagina kan niet op deze manier worden opgevraagd.")),
    409: (
        _l("Tegelijk gewijzigd"),
        _l("Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw."),
    ),
    413: (
        _l("Bestand te groot"),
        _l("Het bestand is groter dan het register aanneemt. Kies een kleiner bestand."),
    ),
    429: (
        _l("Te veel verzoeken"),
        _l("U hebt te veel verzoeken gedaan. Wacht even en probeer het dan opnieuw."),
    ),
    500: (
        _l("Er ging iets mis"),
        _l("Er ging aan onze kant iets mis. Probeer het later opnieuw; de fout is vastgelegd."),
    ),
    503: (
        _l("Tijdelijk niet beschikbaar"),
        _l("Het register is even niet beschikbaar. Probeer het over een paar minuten opnieuw."),
    ),
}


#: How long a client should wait before asking again after a query took too long.
RETRY_AFTER_SECONDS = 30


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(sa.exc.OperationalError, handle_database_error)
    app.before_request(refuse_unreadable_addresses)


def refuse_unreadable_addresses() -> None:
    """An address holding a character that no text may hold (app.inputs), such as NUL, names
    nothing: 404 for the path, 400 for the query string. Nothing behind this sends such a
    value to the database (PostgreSQL refuses NUL) or into a feed or file."""
    if has_invalid_characters(request.path):
        abort(404)
    for name, value in request.args.items(multi=True):
        if has_invalid_characters(name) or has_invalid_characters(value):
            abort(400, description=str(_l("Het adres bevat ongeldige tekens.")))


def is_query_timeout(error: sa.exc.OperationalError) -> bool:
    """The database cancelled a query that ran past the request's limit (app.extensions)."""
    original = error.orig
    return isinstance(original, psycopg.errors.QueryCanceled) or (
        isinstance(original, sqlite3.OperationalError) and str(original) == "interrupted"
    )


def handle_database_error(error: sa.exc.OperationalError) -> ResponseReturnValue:
    """A query that took too long is a 503 saying so; any other database error is a 500."""
    db.session.rollback()
    if not is_query_timeout(error):
        raise error
    logger.warning("Query cancelled after the time limit on %s %s", request.method, request.path)
    unavailable = ServiceUnavailable(
        description=_l(
            "Deze zoekopdracht kost te veel tijd. Maak haar nauwer, met een filter of een "
            "specifieker woord, of probeer het later opnieuw."
        ),
        retry_after=RETRY_AFTER_SECONDS,
    )
    return handle_http_error(unavailable)


def describe(error: HTTPException) -> tuple[str, str]:
    """The heading and explanation for ``error``: the code's own reason, else ours in Dutch."""
    code = error.code or 500
    title, default = MESSAGES.get(code, (_l("Fout %(code)s", code=code), error.name))
    own_reason = error.description and error.description != type(error).description
    return str(title), str(error.description if own_reason else default)


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        logger.error(
            "Unhandled error on %s %s",
            request.method,
            request.path,
            exc_info=error.original_exception,
        )
        # The session may be unusable after the error (PostgreSQL aborts the transaction);
        # roll it back so that the error page, which reads the logged-in user, can show.
        db.session.rollback()
    title, message = describe(error)
    if request.path.startswith("/api/"):
        response = jsonify(error=message, status=code)
    else:
        response = make_response(
            render_template("error.html", code=code, title=title, message=message)
        )
    response.status_code = code
    # Headers the error carries, such as Allow on a 405 or Retry-After on a 429 or 503.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
