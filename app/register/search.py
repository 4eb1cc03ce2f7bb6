"""Full-text search over promises: SQLite FTS5 and PostgreSQL's Dutch text search.

Both match every word of the query as a prefix, so "hervestiging" finds
"hervestigingsmissie"; PostgreSQL also stems Dutch words ("nieuwe" finds "nieuw").
Results are ranked: bm25 on SQLite, ts_rank on PostgreSQL.

The index lives outside the models (an FTS5 table with triggers on SQLite; on PostgreSQL a
stored generated tsvector column with a GIN index) and is created by the migrations; Alembic
is told to leave it alone.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypeVar

import sqlalchemy as sa
from markupsafe import Markup, escape

from app.register.inline import inline_number
from app.register.models import Commitment

#: Created by migrations, not by the models: autogenerate must not try to drop them.
FTS_TABLE = "commitment_fts"
PG_SEARCH_COLUMN = "search_vector"
PG_SEARCH_INDEX = "ix_commitment_search_vector"
SEARCHED_COLUMNS = ("number", "title", "text", "deadline_phrase")

_WORD = re.compile(r"\w+", re.UNICODE)
#: A query that is a promise's number, e.g. ``TZ-2015-0001`` (any case, white space around it).
_NUMBER = re.compile(r"\s*(TZ-[0-9]{4}-[0-9]+)\s*", re.IGNORECASE | re.ASCII)

_MARK_START = Markup("<mark>")
_MARK_END = Markup("</mark>")

#: A query that is the Kamer's number of a promise: the Tweede Kamer's ``TZ202603-130`` or the
#: Eerste Kamer's ``T01237`` (any case).
_KAMER_NUMBER = re.compile(r"\s*(TZ[0-9]{6}-[0-9]+|T[0-9]{3,6})\s*", re.IGNORECASE | re.ASCII)

#: Any select that has the promise (``commitment``) among its tables.
_Select = TypeVar("_Select", bound=sa.Select[Any])


def outside_models(name: str | None, type_: str) -> bool:
    """True for schema objects the search index owns (used by Alembic's include_object)."""
    if name is None:
        return False
    return (
        (type_ == "table" and name.startswith(FTS_TABLE))
        or (type_ == "index" and name == PG_SEARCH_INDEX)
        or (type_ == "column" and name == PG_SEARCH_COLUMN)
    )


def query_words(query: str) -> list[str]:
    """The words of a query, lower case, without punctuation: ``TZ-2019-0003`` → 3 words."""
    return [word.lower() for word in _WORD.findall(query)]


def as_number(query: str) -> str | None:
    """The promise number ``query`` is, in capitals; None for a query that is not a number."""
    match = _NUMBER.fullmatch(query)
    return match[1].upper() if match else None


def as_kamer_number(query: str) -> str | None:
    """The Kamer's number ``query`` is, in capitals; None for any other query."""
    match = _KAMER_NUMBER.fullmatch(query)
    return match[1].upper() if match else None


def pg_document() -> sa.ColumnElement[str]:
    """The stored Dutch text-search vector of a promise (a generated column, see migrations)."""
    return sa.literal_column(f"commitment.{PG_SEARCH_COLUMN}")


def apply_search(
    statement: _Select, dialect: str, query: str, *, from_id: int | None = None
) -> tuple[_Select, sa.ColumnElement[float] | None]:
    """``statement`` narrowed to promises matching every word of ``query``, and the rank to
    sort them by (lower first); the statement unchanged and no rank for a query without words.
    With ``from_id`` only the matches with that id or a higher one (the newest) are scored.

    The index does the work: SQLite joins the FTS5 matches (each scored once by bm25) to the
    promises, PostgreSQL matches through the GIN index. The ``from_id`` bound goes inside the
    FTS5 query, as a rowid range: outside it, SQLite scored every match before the join.

    A query that is a number (``TZ-2015-0001``) finds the promise with that number, on both
    databases: PostgreSQL's parser reads ``-2015`` and ``-0001`` as signed integers, so the
    words of the number never matched its stored vector.
    """
    number = as_number(query)
    if number is not None:
        return statement.where(Commitment.number == number), None
    kamer_number = as_kamer_number(query)
    if kamer_number is not None:  # TZ202603-130 or T01237, through its unique index
        return statement.where(Commitment.kamer_number == kamer_number), None
    words = query_words(query)
    if not words:
        return statement, None
    if dialect == "postgresql":
        tsquery = sa.func.to_tsquery(
            sa.literal_column("'dutch'::regconfig"), " & ".join(f"{word}:*" for word in words)
        )
        document = pg_document()
        if from_id is not None:
            statement = statement.where(Commitment.id >= from_id)
        return statement.where(document.op("@@")(tsquery)), -sa.func.ts_rank(document, tsquery)
    matches: sa.Select[Any] = (
        sa.select(
            sa.literal_column("rowid").label("commitment_id"),
            sa.literal_column(f"bm25({FTS_TABLE})").label("rank"),
        )
        .select_from(sa.table(FTS_TABLE))
        .where(sa.literal_column(FTS_TABLE).op("MATCH")(_fts_match(query)))
    )
    if from_id is not None:
        matches = matches.where(sa.literal_column("rowid") >= from_id)
    hits = matches.subquery("search_hits")
    return statement.join(hits, hits.c.commitment_id == Commitment.id), hits.c.rank


def newest_matches(
    statement: _Select, dialect: str, query: str, limit: int
) -> sa.Select[tuple[int]]:
    """The ids of the ``limit`` newest promises among ``statement``'s that match ``query`` (as
    :func:`apply_search` matches): read from the index in descending id order and stopped there,
    never scoring a match. On SQLite the order is the FTS5 table's own rowid, which it walks
    backwards; ordering by the promise's id would read and sort every match first."""
    narrowed, rank = apply_search(statement, dialect, query)
    if dialect == "postgresql" or rank is None:
        return (
            narrowed.with_only_columns(Commitment.id)
            .order_by(Commitment.id.desc())
            .limit(inline_number(limit))
        )
    hits = (
        sa.select(sa.literal_column("rowid").label("commitment_id"))
        .select_from(sa.table(FTS_TABLE))
        .where(sa.literal_column(FTS_TABLE).op("MATCH")(_fts_match(query)))
        .subquery("newest_hits")
    )
    return (
        statement.join(hits, hits.c.commitment_id == Commitment.id)
        .with_only_columns(Commitment.id)
        .order_by(hits.c.commitment_id.desc())
        .limit(inline_number(limit))
    )


def _fts_match(query: str) -> str:
    """An FTS5 MATCH expression: every word of ``query`` as a prefix."""
    return " ".join(f'"{word}"*' for word in query_words(query))


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def highlight(text: str | None, query: str) -> Markup:
    """``text`` with every word that starts with a query word wrapped in ``<mark>``."""
    if not text:
        return Markup("")
    words = tuple(_fold(word) for word in query_words(query))
    if not words:
        return escape(text)
    parts: list[Markup] = []
    position = 0
    for match in _WORD.finditer(text):
        if _fold(match.group(0)).startswith(words):
            parts.append(escape(text[position : match.start()]))
            parts.append(_MARK_START + escape(match.group(0)) + _MARK_END)
            position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def snippet(text: str, query: str, width: int = 220) -> Markup:
    """A window of ``text`` around the first match, highlighted; the start if nothing matches."""
    words = tuple(_fold(word) for word in query_words(query))
    start = 0
    for match in _WORD.finditer(text):
        if words and _fold(match.group(0)).startswith(words):
            start = max(0, match.start() - width // 3)
            break
    window = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return escape(prefix) + highlight(window, query) + escape(suffix)


def best_matching_any_word(dialect: str, words: list[str], limit: int) -> sa.Select[Any]:
    """The ids of the ``limit`` promises that match most of ``words`` (each as a prefix, any of
    them), best first, from the index: the candidates the letter reader compares a fulfilment
    sentence with, instead of every open promise in the register (DESIGN §9)."""
    if dialect == "postgresql":
        tsquery = sa.func.to_tsquery(
            sa.literal_column("'dutch'::regconfig"), " | ".join(f"{word}:*" for word in words)
        )
        document = pg_document()
        return (
            sa.select(Commitment.id)
            .where(document.op("@@")(tsquery))
            .order_by(sa.func.ts_rank(document, tsquery).desc())
            .limit(inline_number(limit))
        )
    match = " OR ".join(f'"{word}"*' for word in words)
    return (
        sa.select(sa.literal_column("rowid"))
        .select_from(sa.table(FTS_TABLE))
        .where(sa.literal_column(FTS_TABLE).op("MATCH")(match))
        .order_by(sa.literal_column(f"bm25({FTS_TABLE})"))
        .limit(inline_number(limit))
    )
