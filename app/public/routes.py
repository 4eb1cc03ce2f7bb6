"""The public status pages: overview, list and one promise."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.formatting import today
from app.interop import queries as interop_queries
from app.public import bp
from app.public.filters import (
    MAX_SEARCH_LENGTH,
    PAGE_PARAMETERS,
    FilterError,
    encode_cursor,
    link_arguments,
    parse_cursors,
    parse_filters,
    parse_page,
)
from app.register import queries
from app.register.models import CommitmentStatus

#: Width in pixels of the longest bar in the overview's chart.
CHART_WIDTH = 400


@bp.get("/")
def overview() -> ResponseReturnValue:
    current_day = today()
    counts = queries.status_counts()
    tallies = queries.tally_by_ministry(current_day)
    largest = max((tally.total for tally in tallies), default=0) or 1
    return render_template(
        "public/overview.html",
        counts=counts,
        total=sum(counts.values()),
        overdue=sum(tally.overdue for tally in tallies),
        upcoming=queries.upcoming_deadlines(current_day),
        fulfilled=queries.recently_fulfilled(),
        tallies=tallies,
        scale=CHART_WIDTH / largest,
        chart_width=CHART_WIDTH,
    )


@bp.get("/toezeggingen")
def commitment_list() -> ResponseReturnValue:
    choices = queries.filter_choices()
    try:
        filters = parse_filters(request.args, PAGE_PARAMETERS)
        page = parse_page(request.args)
        after, before = parse_cursors(
            request.args, PAGE_PARAMETERS, queries.effective_order(filters)
        )
    except FilterError as error:
        return render_template(
            "public/list.html",
            error=str(error),
            result=None,
            filters=None,
            statuses=list(CommitmentStatus),
            max_search_length=MAX_SEARCH_LENGTH,
            **choices,
        ), 400
    result = queries.commitment_page(
        filters,
        today(),
        per_page=current_app.config["PER_PAGE"],
        page=page,
        after=after,
        before=before,
    )
    return render_template(
        "public/list.html",
        error=None,
        result=result,
        link_args=link_arguments(request.args, PAGE_PARAMETERS),
        next_cursor=encode_cursor(result.next) if result.next else None,
        previous_cursor=encode_cursor(result.previous) if result.previous else None,
        filters=filters,
        statuses=list(CommitmentStatus),
        max_search_length=MAX_SEARCH_LENGTH,
        **choices,
    )


@bp.get("/toezeggingen/<number>")
def commitment_detail(number: str) -> ResponseReturnValue:
    commitment = queries.commitment_by_number(number)
    if commitment is None or (commitment.hidden and not current_user.is_authenticated):
        abort(404, description=_("Er is geen toezegging met nummer %(number)s.", number=number))
    return render_template(
        "public/detail.html",
        commitment=commitment,
        events=queries.history(commitment),
        related=interop_queries.related_to(commitment.id),
    )
