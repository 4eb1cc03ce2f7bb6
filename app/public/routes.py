"""The public status pages: overview, list and one promise."""

from __future__ import annotations

from typing import Any

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
    chosen_counts,
    encode_cursor,
    link_arguments,
    parse_cursors,
    parse_filters,
    parse_page,
    ticked_values,
)
from app.register import queries
from app.register.models import Commitment, CommitmentStatus
from app.urls import absolute_url, url_maker

#: Parameters a feed or calendar leaves out of a list's address: they order or page the list,
#: and a feed is every matching promise, newest change first.
NOT_FOR_FEEDS = frozenset({PAGE_PARAMETERS.sort, "page", "per_page"})


def feed_links(args: dict[str, list[str]]) -> dict[str, str]:
    """The Atom feed and the subscribable calendar of the promises ``args`` select, as absolute
    links under BASE_URL: ``atom``, ``calendar`` (http(s)) and ``webcal`` (the same address
    with the scheme calendar programs open as a subscription)."""
    # An empty value means the same as none (a browser sends every field of the filter form).
    kept = {
        key: [value for value in values if value]
        for key, values in args.items()
        if key not in NOT_FOR_FEEDS and any(values)
    }
    calendar = absolute_url("public.export_ics", **kept)
    return {
        "atom": absolute_url("public.export_atom", **kept),
        "calendar": calendar,
        "webcal": "webcal://" + calendar.partition("://")[2],
    }


def follow_options_for_list(
    filters: queries.CommitmentFilter, choices: dict[str, Any]
) -> list[tuple[str, str]]:
    """What a filtered list offers to follow by e-mail: the ministry or the committee when
    the filters pick exactly one (following is per promise, ministry or committee)."""
    options = []
    if len(filters.ministry_codes) == 1:
        code = filters.ministry_codes[0]
        for ministry in choices["ministries"]:
            if ministry.code == code:
                options.append(
                    (f"ministerie:{code}", _("Alle toezeggingen van %(name)s", name=ministry.name))
                )
    if len(filters.committee_ids) == 1:
        for committee in choices["committees"]:
            if committee.id == filters.committee_ids[0]:
                options.append(
                    (
                        f"commissie:{committee.id}",
                        _("Alle toezeggingen van de %(name)s", name=_in_a_sentence(committee.name)),
                    )
                )
    return options


def follow_options_for(commitment: Commitment) -> list[tuple[str, str]]:
    """The one promise, all of its ministry's, and all of its committee's if it has one."""
    options = [
        (
            f"toezegging:{commitment.number}",
            _("Deze toezegging (%(number)s)", number=commitment.number),
        ),
        (
            f"ministerie:{commitment.ministry.code}",
            _("Alle toezeggingen van %(name)s", name=commitment.ministry.name),
        ),
    ]
    if commitment.committee is not None:
        options.append(
            (
                f"commissie:{commitment.committee.id}",
                _(
                    "Alle toezeggingen van de %(name)s",
                    name=_in_a_sentence(commitment.committee.name),
                ),
            )
        )
    return options


def _in_a_sentence(name: str) -> str:
    """A committee's name after "van de": its first letter small, the rest as written ("Vaste
    commissie voor Justitie en Veiligheid" → "vaste commissie voor Justitie en Veiligheid")."""
    return name[:1].lower() + name[1:]


#: Width in pixels of the longest bar in the overview's chart.
CHART_WIDTH = 400


@bp.get("/")
def overview() -> ResponseReturnValue:
    current_day = today()
    feeds = feed_links({})
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
        feeds=feeds,
    )


@bp.get("/toezeggingen")
def commitment_list() -> ResponseReturnValue:
    page_parts = {
        "statuses": list(CommitmentStatus),
        "max_search_length": MAX_SEARCH_LENGTH,
        "ticked": ticked_values(request.args, PAGE_PARAMETERS),
        "chosen_counts": chosen_counts(request.args, PAGE_PARAMETERS),
        **queries.filter_choices(),
    }
    try:
        filters = parse_filters(request.args, PAGE_PARAMETERS)
        page = parse_page(request.args)
        after, before = parse_cursors(
            request.args, PAGE_PARAMETERS, queries.effective_order(filters)
        )
    except FilterError as error:
        return render_template(
            "public/list.html", error=str(error), result=None, filters=None, **page_parts
        ), 400
    result = queries.listed_page(
        filters,
        today(),
        per_page=current_app.config["PER_PAGE"],
        page=page,
        after=after,
        before=before,
    )
    link_args = link_arguments(request.args, PAGE_PARAMETERS)
    return render_template(
        "public/list.html",
        error=None,
        result=result,
        link_args=link_args,
        feeds=feed_links(link_args),
        follow_options=follow_options_for_list(filters, page_parts),
        next_cursor=encode_cursor(result.next) if result.next else None,
        previous_cursor=encode_cursor(result.previous) if result.previous else None,
        filters=filters,
        detail_url=url_maker("public.commitment_detail", "number"),
        **page_parts,
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
        # A search that is a number finds that one promise: its own feed and calendar.
        feeds=feed_links({PAGE_PARAMETERS.search: [commitment.number]}),
        follow_options=follow_options_for(commitment),
        related=interop_queries.related_to(commitment.id, staff=current_user.is_authenticated),
    )
