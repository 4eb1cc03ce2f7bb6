"""The API's OpenAPI 3 description, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from app.inputs import MAX_ID
from app.public import bp
from app.public.filters import MAX_CURSOR_LENGTH, MAX_PAGE, MAX_SEARCH_LENGTH, MAX_VALUES
from app.register.models import CommitmentStatus
from app.register.queries import SORT_ORDERS

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}

#: Text in a query: none of the characters that no text may hold (app.inputs.INVALID_CHARACTERS;
#: a request with one is refused with 400). As an ECMA-262 regular expression; surrogates are
#: left out of it, since no URL can carry them (UTF-8 has no code for them).
QUERY_TEXT = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]*$"
#: One value of a list that may also be comma-separated: no commas either.
LIST_ITEM = r"^[^,\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]*$"
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
#: An empty value, or only white space: the same as leaving the parameter out (filter forms send
#: empty fields, and values are read without surrounding white space). The white space Python
#: strips, spelled out (ECMA-262 and Python disagree on \s), less the two control characters
#: refused everywhere (vertical tab, form feed).
BLANKS = r"[ \t\n\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
EMPTY = {"type": "string", "pattern": f"^{BLANKS}*$"}
#: A cursor (``after``, ``before``): URL-safe base64 without padding, as
#: app.public.filters.encode_cursor makes it. Only cursors the API gave out are valid; any other
#: is refused with 400, which this pattern cannot express (tests/test_api_fuzz.py).
CURSOR = {
    "type": "string",
    "pattern": "^[A-Za-z0-9_-]*$",
    "maxLength": MAX_CURSOR_LENGTH,
    "format": "cursor",
}
#: What ``overdue`` (and ``te_laat`` on the pages) accepts, ignoring case.
OVERDUE_VALUES = ["0", "1", "false", "true", "nee", "ja", "no", "yes", "off", "on"]


def _parameter(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def _or_empty(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, EMPTY]}


def _list_of(schema: dict[str, Any], max_items: int | None = None) -> dict[str, Any]:
    return {"type": "array", "items": schema, **({"maxItems": max_items} if max_items else {})}


def spec() -> dict[str, Any]:
    statuses = [status.value for status in CommitmentStatus]
    document = {
        "type": ["object", "null"],
        "required": ["id", "title"],
        "properties": {
            "id": {"type": ["string", "null"], "description": "Kamerstuk-id, e.g. kst-32735-243"},
            "label": {"type": ["string", "null"], "description": "e.g. 32 735, nr. 243"},
            "kind": {"type": "string"},
            "title": {"type": "string"},
            "date": NULLABLE_DATE,
            "url": NULLABLE_STRING,
        },
    }
    commitment = {
        "type": "object",
        "required": [
            "number",
            "title",
            "text",
            "status",
            "status_label",
            "overdue",
            "deadline",
            "deadline_phrase",
            "made_on",
            "ministry",
            "responsible",
            "owner",
            "source",
            "fulfilled_by",
            "committee",
            "updated_at",
            "url",
        ],
        "properties": {
            "number": {"type": "string", "example": "TZ-2019-0002"},
            "kamer_number": NULLABLE_STRING,
            "title": {"type": "string"},
            "text": {"type": "string", "description": "The promise in the minister's words."},
            "status": {"type": "string", "enum": statuses},
            "status_label": {"type": "string", "example": "Openstaand"},
            "kamer_status": NULLABLE_STRING,
            "overdue": {"type": "boolean"},
            "deadline": NULLABLE_DATE,
            "deadline_phrase": NULLABLE_STRING,
            "made_on": {"type": "string", "format": "date"},
            "ministry": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "responsible": {
                "type": ["object", "null"],
                "required": ["name", "function"],
                "properties": {"name": {"type": "string"}, "function": {"type": "string"}},
            },
            "owner": {
                "type": ["object", "null"],
                "description": "The civil servant who looks after the promise: for logged-in "
                "staff only; null for everyone else.",
                "required": ["name", "email"],
                "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
                "additionalProperties": False,
            },
            "requested_by": NULLABLE_STRING,
            "source": {"$ref": "#/components/schemas/Document"},
            "fulfilled_by": NULLABLE_STRING,
            "fulfilled_on": NULLABLE_DATE,
            "committee": NULLABLE_STRING,
            "updated_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "format": "uri"},
        },
    }
    error = {
        "type": "object",
        "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
    }
    error_response = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    }
    max_per_page = current_app.config["MAX_PER_PAGE"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Toezeggingenregister API",
            "version": "1",
            "description": "Promises ministers made to the Dutch parliament: read-only, no login. "
            "Errors are JSON with a Dutch message (English with lang=en).",
        },
        "servers": [{"url": current_app.config["BASE_URL"]}],
        "paths": {
            "/api/v1/commitments": {
                "get": {
                    "summary": "List promises, filtered and paginated",
                    "operationId": "listCommitments",
                    "parameters": [
                        _parameter(
                            "status",
                            "One or more statuses (repeat or comma-separate).",
                            _list_of(_or_empty({"type": "string", "enum": statuses}), MAX_VALUES),
                            style="form",
                            explode=True,
                        ),
                        _parameter(
                            "ministry",
                            f"Ministry codes, e.g. JenV; at most {MAX_VALUES}.",
                            _list_of({"type": "string", "pattern": LIST_ITEM}, MAX_VALUES),
                            style="form",
                            explode=True,
                        ),
                        _parameter(
                            "committee",
                            f"Committee ids; at most {MAX_VALUES}.",
                            _list_of(_or_empty(ID), MAX_VALUES),
                            style="form",
                            explode=True,
                        ),
                        _parameter(
                            "official",
                            f"Ids of the responsible ministers; at most {MAX_VALUES}.",
                            _list_of(_or_empty(ID), MAX_VALUES),
                            style="form",
                            explode=True,
                        ),
                        _parameter(
                            "requested_by",
                            "Words in 'requested by' (member, party).",
                            {
                                "type": "string",
                                "maxLength": MAX_SEARCH_LENGTH,
                                "pattern": QUERY_TEXT,
                            },
                        ),
                        _parameter(
                            "deadline_from",
                            "Deadline on or after.",
                            _or_empty({"type": "string", "format": "date"}),
                        ),
                        _parameter(
                            "deadline_to",
                            "Deadline on or before.",
                            _or_empty({"type": "string", "format": "date"}),
                        ),
                        _parameter(
                            "made_from",
                            "Made on or after.",
                            _or_empty({"type": "string", "format": "date"}),
                        ),
                        _parameter(
                            "made_to",
                            "Made on or before.",
                            _or_empty({"type": "string", "format": "date"}),
                        ),
                        _parameter(
                            "overdue",
                            "1: only overdue promises (also true, ja, yes, on; any case).",
                            _or_empty({"type": "string", "enum": OVERDUE_VALUES}),
                        ),
                        _parameter(
                            "q",
                            "Full-text search; word prefixes match.",
                            {
                                "type": "string",
                                "maxLength": MAX_SEARCH_LENGTH,
                                "pattern": QUERY_TEXT,
                            },
                        ),
                        _parameter(
                            "sort",
                            "Order; prefix '-' for descending.",
                            _or_empty(
                                {
                                    "type": "string",
                                    "enum": [*SORT_ORDERS, *(f"-{o}" for o in SORT_ORDERS)],
                                }
                            ),
                        ),
                        _parameter(
                            "page",
                            "Page number, from 1.",
                            _or_empty(
                                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}
                            ),
                        ),
                        _parameter(
                            "after",
                            "The page after a position: the next_cursor of a previous answer "
                            "(opaque; made for its order). Costs the same at any depth, where "
                            "page does not. Not with page or before, nor in relevance order.",
                            CURSOR,
                        ),
                        _parameter(
                            "before",
                            "The page before a position: the prev_cursor of a previous answer.",
                            CURSOR,
                        ),
                        _parameter(
                            "per_page",
                            f"Items per page, at most {max_per_page}; more counts as "
                            f"{max_per_page}.",
                            _or_empty(
                                {
                                    "type": "integer",
                                    "minimum": 1,
                                    "default": current_app.config["PER_PAGE"],
                                }
                            ),
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of promises.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CommitmentList"}
                                }
                            },
                        },
                        "304": {"description": "Not modified since the ETag or date sent."},
                        "400": {
                            "description": "A parameter the API does not understand.",
                            **error_response,
                        },
                    },
                }
            },
            "/api/v1/commitments/{number}": {
                "get": {
                    "summary": "One promise by its number",
                    "operationId": "getCommitment",
                    "parameters": [
                        {
                            "name": "number",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "example": "TZ-2019-0002",
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The promise.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Commitment"}
                                }
                            },
                        },
                        "304": {"description": "Not modified since the ETag or date sent."},
                        "404": {"description": "No promise has that number.", **error_response},
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Commitment": commitment,
                "Document": document,
                "CommitmentList": {
                    "type": "object",
                    "required": [
                        "items",
                        "total",
                        "total_complete",
                        "ranked_newest",
                        "page",
                        "per_page",
                        "next_cursor",
                        "prev_cursor",
                        "next",
                        "prev",
                    ],
                    "properties": {
                        "items": _list_of({"$ref": "#/components/schemas/Commitment"}),
                        "total": {
                            "type": "integer",
                            "description": "How many promises match; with q counted up to "
                            "1,000 (then total_complete is false and more match).",
                        },
                        "total_complete": {
                            "type": "boolean",
                            "description": "False when a search matched more than total.",
                        },
                        "ranked_newest": {
                            "type": ["integer", "null"],
                            "description": "In relevance order with more than 1,000 matches: "
                            "only this many of the newest matches are ranked and paged; sort "
                            "by another order to reach the others. Null otherwise.",
                        },
                        "page": {
                            "type": ["integer", "null"],
                            "description": "The page number; null for a page asked by cursor.",
                        },
                        "per_page": {"type": "integer"},
                        "next_cursor": {
                            "type": ["string", "null"],
                            "description": "Pass as after for the next page; null on the last "
                            "page and in relevance order.",
                        },
                        "prev_cursor": {
                            "type": ["string", "null"],
                            "description": "Pass as before for the previous page; null on the "
                            "first page and in relevance order.",
                        },
                        "next": {
                            "type": ["string", "null"],
                            "format": "uri",
                            "description": "The next page as a link (same filters).",
                        },
                        "prev": {
                            "type": ["string", "null"],
                            "format": "uri",
                            "description": "The previous page as a link (same filters).",
                        },
                    },
                },
                "Error": error,
            }
        },
    }


@bp.get("/api/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(spec())
