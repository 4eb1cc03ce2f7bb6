"""The JSON API: ``/api/v1/commitments`` (DESIGN §6); app.errors answers its errors as JSON."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import db
from app.formatting import today
from app.public import bp
from app.public.filters import API_PARAMETERS, FilterError, parse_filters, parse_page
from app.public.serializers import commitment_to_json
from app.register.queries import commitment_by_number, commitments_query


@bp.get("/api/v1/commitments")
def api_commitments() -> ResponseReturnValue:
    try:
        filters = parse_filters(request.args, API_PARAMETERS)
        page = parse_page(request.args)
        per_page = parse_page(
            request.args,
            "per_page",
            current_app.config["PER_PAGE"],
            maximum=current_app.config["MAX_PER_PAGE"],
            clamp=True,
        )
    except FilterError as error:
        abort(400, description=str(error))
    current_day = today()
    pagination = db.paginate(
        commitments_query(filters, current_day), page=page, per_page=per_page, error_out=False
    )
    return jsonify(
        items=[
            commitment_to_json(item, today=current_day, for_staff=_clerk())
            for item in pagination.items
        ],
        total=pagination.total,
        page=page,
        per_page=per_page,
    )


@bp.get("/api/v1/commitments/<number>")
def api_commitment(number: str) -> ResponseReturnValue:
    commitment = commitment_by_number(number)
    if commitment is None:
        abort(404, description=f"Geen toezegging met nummer {number}.")
    return jsonify(commitment_to_json(commitment, today=today(), for_staff=_clerk()))


def _clerk() -> bool:
    """Owners are named for logged-in staff only (DESIGN §6 and §10)."""
    return bool(current_user.is_authenticated)
