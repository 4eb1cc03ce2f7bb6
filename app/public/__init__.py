"""Public pages, files, feeds and the JSON API: read-only, no login, nothing internal."""

import hashlib

from flask import Blueprint, Response, request

from app.public import cache

bp = Blueprint("public", __name__, template_folder="templates")
bp.record_once(lambda state: cache.install(state.app))
bp.before_request(cache.serve_kept_page)


@bp.after_request
def conditional(response: Response) -> Response:
    """ETag and Last-Modified on every page, file and feed; 304 when the client is current.

    The ETag is a hash of the body, so it changes with anything the page shows (language,
    who is logged in); Last-Modified is the register's last change. A page served from the
    page cache carries both from when it was rendered. Streamed answers (the CSV and iCalendar
    files) are passed by: their body is not known before it is sent. The Excel file, sent from
    a temporary file, sets its own (exports.export_xlsx).
    """
    if request.method not in {"GET", "HEAD"} or response.status_code != 200:
        return response
    if response.direct_passthrough or response.is_streamed:
        return response
    if cache.served_from_cache():
        response.make_conditional(request)
        return response
    from app.register.queries import last_change

    changed = last_change()
    if changed is not None:
        response.last_modified = changed
    # The body hash, without the CSRF tokens in forms: they change every second and would
    # make every page look new. A weak ETag says so.
    body = cache.with_csrf_tokens(response.get_data(), b"")
    response.set_etag(hashlib.sha1(body, usedforsecurity=False).hexdigest(), weak=True)
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    cache.keep(response)
    response.make_conditional(request)
    return response


from app.public import api, exports, openapi, routes  # noqa: E402,F401
