"""Headers every response carries: what may run, what may be cached, how to connect."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

#: Only this site's own scripts, styles and forms; nothing may frame it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
#: A year; browsers that once reached the site over HTTPS never try plain HTTP again.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


#: What a browser may do with the API from another website: read, never change.
CORS_METHODS = "GET, HEAD, OPTIONS"
#: Request headers a script on another website may send to the API.
CORS_REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
#: Response headers such a script may read beyond the safelisted ones.
CORS_EXPOSED_HEADERS = "ETag, X-Request-Id"
#: How long, in seconds, a browser may remember a preflight's answer.
CORS_MAX_AGE = "86400"


def init_app(app: Flask) -> None:
    app.after_request(security_headers)
    app.after_request(cross_origin_reads)


def cross_origin_reads(response: Response) -> Response:
    """Any website may read the API (``/api/``) with GET and HEAD, without credentials: the
    data is public. A ``*`` origin never lets a browser send cookies along, and staff pages
    and the rest of the site get no CORS headers at all."""
    if not request.path.startswith("/api/"):
        return response
    # The API's language follows Accept-Language as well as lang (app.extensions).
    response.vary.add("Accept-Language")
    if request.method not in {"GET", "HEAD", "OPTIONS"}:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
    return response


def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if request.path.startswith("/beheer/") or _logged_in():
        # Staff pages, and anything a logged-in user sees (owners' e-mail addresses in the API),
        # stay out of shared and browser caches: no back button into them after logging out.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("ETag", None)
        response.headers.pop("Last-Modified", None)
    return response


def _logged_in() -> bool:
    """Whether a user is logged in, without loading one for requests that never asked."""
    return request.endpoint != "static" and bool(current_user.is_authenticated)
