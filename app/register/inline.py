"""Numbers written into a statement's SQL instead of sent as parameters."""

from __future__ import annotations

from typing import overload

import sqlalchemy as sa


@overload
def inline_number(value: int) -> sa.BindParameter[int]: ...
@overload
def inline_number(value: None) -> None: ...
def inline_number(value: int | None) -> sa.BindParameter[int] | None:
    """``value`` for a LIMIT or OFFSET, written into the SQL (None: no limit).

    PostgreSQL plans a prepared statement once, for every parameter value, only when that one
    plan is not estimated to cost much more than planning each run anew; with the number of
    rows a parameter it cannot tell, so it planned the API's page (ten tables) at every run:
    15 ms of planning for 2 of work. Each distinct number is then a statement of its own,
    and pages use a few.
    """
    if value is None:
        return None
    return sa.bindparam("inline_number", value, type_=sa.Integer, literal_execute=True, unique=True)
