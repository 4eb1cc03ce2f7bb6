"""The JSON API: ``/api/v1/commitments`` (DESIGN §6); app.errors answers its errors as JSON."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.formatting import today
from app.public import bp
from app.public.filters import (
    API_PARAMETERS,
    FilterError,
    api_arguments,
    check_parameters,
    encode_cursor,
    link_arguments,
    parse_cursors,
    parse_filters,
    parse_page,
)
from app.public.serializers import CommitmentJson, commitment_to_json
from app.register.queries import commitment_by_number, effective_order, published_page
from app.urls import absolute_url

#: What the endpoints that take no filters accept.
LANGUAGE_ONLY = frozenset({"lang"})


@bp.get("/api/v1/commitments")
def api_commitments() -> ResponseReturnValue:
    try:
        args = api_arguments(request.args)
        filters = parse_filters(args, API_PARAMETERS)
        page = parse_page(args)
        per_page = parse_page(
            args,
            "per_page",
            current_app.config["PER_PAGE"],
            maximum=current_app.config["MAX_PER_PAGE"],
            clamp=True,
        )
        after, before = parse_cursors(args, API_PARAMETERS, effective_order(filters))
    except FilterError as error:
        abort(400, description=str(error))
    current_day = today()
    result = published_page(
        filters, current_day, per_page=per_page, page=page, after=after, before=before
    )
    next_cursor = encode_cursor(result.next) if result.next else None
    previous_cursor = encode_cursor(result.previous) if result.previous else None
    # The links keep the request's filters and page size, under their API names, and replace
    # its position.
    kept = link_arguments(args, API_PARAMETERS, "per_page")
    if next_cursor:
        next_url = absolute_url("public.api_commitments", **kept, after=next_cursor)
    elif result.next_page:
        next_url = absolute_url("public.api_commitments", **kept, page=result.next_page)
    else:
        next_url = None
    if previous_cursor:
        previous_url = absolute_url("public.api_commitments", **kept, before=previous_cursor)
    elif result.previous_page:
        previous_url = absolute_url("public.api_commitments", **kept, page=result.previous_page)
    else:
        previous_url = None
    position = link_arguments(args, API_PARAMETERS, "per_page", "page", "after", "before")
    return jsonify(
        items=list(map(CommitmentJson(today=current_day, for_staff=_clerk()), result.items)),
        total=result.total,
        total_complete=result.count.complete,
        ranked_newest=result.ranked_newest,
        page=result.page,
        per_page=per_page,
        next_cursor=next_cursor,
        prev_cursor=previous_cursor,
        next=next_url,
        prev=previous_url,
        links={
            "self": absolute_url("public.api_commitments", **position),
            "next": next_url,
            "prev": previous_url,
            "docs": absolute_url("public.api_docs"),
        },
    )


@bp.get("/api/v1/commitments/<number>")
def api_commitment(number: str) -> ResponseReturnValue:
    try:
        check_parameters(request.args, LANGUAGE_ONLY)
    except FilterError as error:
        abort(400, description=str(error))
    commitment = commitment_by_number(number)
    if commitment is None or (commitment.hidden and not _clerk()):
        abort(404, description=_("Geen toezegging met nummer %(number)s.", number=number))
    return jsonify(commitment_to_json(commitment, today=today(), for_staff=_clerk()))


def _clerk() -> bool:
    """Owners are named for logged-in staff only (DESIGN §6 and §10)."""
    return bool(current_user.is_authenticated)
