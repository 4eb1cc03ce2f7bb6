"""Turn query-string parameters into a :class:`CommitmentFilter`, with Dutch error messages."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.register.models import CommitmentStatus
from app.register.queries import CommitmentFilter


class FilterError(ValueError):
    """A query-string value the register does not understand; the message is for the user."""


TRUE_VALUES = {"1", "true", "ja", "yes", "on"}
FALSE_VALUES = {"", "0", "false", "nee", "no", "off"}


def parse_filters(
    args: MultiDict[str, str], *, ministry_param: str, overdue_param: str
) -> CommitmentFilter:
    """Read ``status``, ministry, overdue and ``q``; statuses and ministries may repeat."""
    statuses = []
    for value in _values(args.getlist("status")):
        try:
            statuses.append(CommitmentStatus(value))
        except ValueError:
            allowed = ", ".join(status.value for status in CommitmentStatus)
            raise FilterError(
                _("Onbekende status %(value)r; kies uit %(allowed)s.", value=value, allowed=allowed)
            ) from None
    overdue = args.get(overdue_param, "").strip().lower()
    if overdue not in TRUE_VALUES | FALSE_VALUES:
        raise FilterError(
            _(
                "%(overdue_param)s moet 1 of 0 zijn, niet %(overdue)r.",
                overdue_param=overdue_param,
                overdue=overdue,
            )
        )
    return CommitmentFilter(
        statuses=tuple(statuses),
        ministry_codes=tuple(_values(args.getlist(ministry_param))),
        overdue_only=overdue in TRUE_VALUES,
        search=args.get("q", "").strip(),
    )


def parse_page(args: MultiDict[str, str], name: str = "page", default: int = 1) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise FilterError(
            _("%(name)s moet een positief geheel getal zijn, niet %(raw)r.", name=name, raw=raw)
        )
    return int(raw)


def _values(raw_values: Iterable[str]) -> list[str]:
    """Accept both ``?status=a&status=b`` and ``?status=a,b``; drop empties."""
    return [part.strip() for raw in raw_values for part in raw.split(",") if part.strip()]
