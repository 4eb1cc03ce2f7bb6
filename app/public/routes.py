"""The public status pages: overview, list and one promise."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.extensions import db
from app.formatting import today
from app.public import bp
from app.public.filters import PAGE_PARAMETERS, FilterError, parse_filters, parse_page
from app.register.models import CommitmentStatus, Ministry
from app.register.queries import (
    commitment_by_number,
    commitments_query,
    history,
    overdue_count,
    status_counts,
    upcoming_deadlines,
)


@bp.get("/")
def overview() -> ResponseReturnValue:
    current_day = today()
    counts = status_counts()
    return render_template(
        "public/overview.html",
        counts=counts,
        total=sum(counts.values()),
        overdue=overdue_count(current_day),
        upcoming=upcoming_deadlines(current_day),
    )


@bp.get("/toezeggingen")
def commitment_list() -> ResponseReturnValue:
    ministries = db.session.scalars(db.select(Ministry).order_by(Ministry.code)).all()
    try:
        filters = parse_filters(request.args, PAGE_PARAMETERS)
        page = parse_page(request.args)
    except FilterError as error:
        return render_template(
            "public/list.html",
            error=str(error),
            pagination=None,
            ministries=ministries,
            statuses=list(CommitmentStatus),
            filters=None,
        ), 400
    pagination = db.paginate(
        commitments_query(filters, today()),
        page=page,
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "public/list.html",
        error=None,
        pagination=pagination,
        ministries=ministries,
        statuses=list(CommitmentStatus),
        filters=filters,
    )


@bp.get("/toezeggingen/<number>")
def commitment_detail(number: str) -> ResponseReturnValue:
    commitment = commitment_by_number(number)
    if commitment is None:
        abort(404, description=_("Er is geen toezegging met nummer %(number)s.", number=number))
    return render_template(
        "public/detail.html",
        commitment=commitment,
        events=history(commitment),
    )
