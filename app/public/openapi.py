"""The API's OpenAPI 3 description, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.extensions import LANGUAGES
from app.inputs import MAX_ID
from app.public import bp
from app.public.filters import (
    MAX_CURSOR_LENGTH,
    MAX_PAGE,
    MAX_SEARCH_LENGTH,
    MAX_VALUES,
    WEBSITE_NAMES,
    FilterError,
    check_parameters,
)
from app.register import queries
from app.register.models import CommitmentStatus
from app.register.queries import SORT_ORDERS
from app.urls import absolute_url

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
    website = {api: page for page, api in WEBSITE_NAMES.items()}.get(name)
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **({"x-website-name": website} if website else {}),
        **extra,
    }


#: ``lang``, which every endpoint takes.
LANGUAGE = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "The language of labels and error messages (else Accept-Language, else nl).",
    "schema": {"type": "string", "enum": list(LANGUAGES)},
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
            "activity",
            "fulfilled_by",
            "committee",
            "committee_id",
            "updated_at",
            "url",
        ],
        "properties": {
            "number": {"type": "string", "example": "TZ-2019-0002"},
            "kamer_number": NULLABLE_STRING,
            "title": {"type": "string"},
            "text": {"type": "string", "description": "The promise in the minister's words."},
            "status": {
                "type": "string",
                "enum": statuses,
                "description": "The status code, as the status filter takes.",
            },
            "status_label": {"type": "string", "example": "Openstaand"},
            "kamer_status": NULLABLE_STRING,
            "overdue": {"type": "boolean"},
            "deadline": NULLABLE_DATE,
            "deadline_phrase": NULLABLE_STRING,
            "made_on": {"type": "string", "format": "date"},
            "ministry": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {
                    "code": {
                        "type": "string",
                        "description": "The ministry's code, as the ministry filter takes.",
                    },
                    "name": {"type": "string"},
                },
            },
            "responsible": {
                "type": ["object", "null"],
                "required": ["id", "name", "function"],
                "properties": {
                    "id": {**ID, "description": "The official's id, as the official filter takes."},
                    "name": {"type": "string"},
                    "function": {"type": "string"},
                },
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
            "activity": {
                "type": ["object", "null"],
                "description": "The debate or session where the promise was made.",
                "required": ["kind", "title", "date"],
                "properties": {
                    "kind": {"type": "string", "example": "Commissiedebat"},
                    "title": {"type": "string"},
                    "date": {"type": "string", "format": "date"},
                },
            },
            "kamer_activity_kind": {
                **NULLABLE_STRING,
                "description": "The Eerste Kamer's kind of activity, e.g. Plenair debat.",
            },
            "kamer_category": {**NULLABLE_STRING, "description": "The Eerste Kamer's category."},
            "kamer_subjects": {
                **NULLABLE_STRING,
                "description": "The Eerste Kamer's subjects, as it lists them.",
            },
            "fulfilled_by": NULLABLE_STRING,
            "fulfilled_on": NULLABLE_DATE,
            "committee": {**NULLABLE_STRING, "description": "The committee's name."},
            "committee_id": {
                "type": ["integer", "null"],
                "description": "The committee's id, as the committee filter takes.",
            },
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
            "description": "Promises ministers made to the Dutch parliament: read-only, no login, "
            "open to scripts on any website (CORS). Errors are JSON with a Dutch message; "
            "English with lang=en or Accept-Language: en. Parameters the endpoint does not know "
            "are refused with 400; the list also takes the website's parameter names "
            "(x-website-name).",
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
                        LANGUAGE,
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
                        },
                        LANGUAGE,
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
                        "400": {"description": "An unknown parameter.", **error_response},
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
                        "links",
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
                        "links": {
                            "type": "object",
                            "required": ["self", "next", "prev", "docs"],
                            "description": "Absolute links: this page, the next and previous "
                            "pages (null where there is none; the same as next and prev) and "
                            "this documentation.",
                            "properties": {
                                "self": {"type": "string", "format": "uri"},
                                "next": {"type": ["string", "null"], "format": "uri"},
                                "prev": {"type": ["string", "null"], "format": "uri"},
                                "docs": {"type": "string", "format": "uri"},
                            },
                        },
                    },
                },
                "Error": error,
            }
        },
    }


@bp.get("/api/openapi.json")
def openapi() -> ResponseReturnValue:
    try:
        check_parameters(request.args, frozenset({"lang"}))
    except FilterError as error:
        abort(400, description=str(error))
    return jsonify(spec())


class DocumentedParameter(NamedTuple):
    """One parameter as the docs page shows it."""

    name: str
    website_name: str | None
    where: str
    description: str
    allowed: str


class DocumentedField(NamedTuple):
    """One field of an answer as the docs page shows it."""

    name: str
    type: str
    description: str


class DocumentedEndpoint(NamedTuple):
    method: str
    path: str
    summary: str
    operation_id: str
    parameters: list[DocumentedParameter]
    responses: list[tuple[str, str]]


def allowed_values(schema: dict[str, Any]) -> str:
    """What a parameter's schema accepts, in a few words (the docs page's "allowed values")."""
    if "anyOf" in schema:
        # Every parameter also takes an empty value: the same as leaving it out.
        return " / ".join(allowed_values(part) for part in schema["anyOf"] if part is not EMPTY)
    if schema.get("type") == "array":
        most = f" (≤ {schema['maxItems']})" if "maxItems" in schema else ""
        return f"{allowed_values(schema['items'])}, …{most}"
    if "enum" in schema:
        return ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type", "")
    words = [str(schema.get("format", kind))]
    if "minimum" in schema or "maximum" in schema:
        words.append(f"{schema.get('minimum', '')}–{schema.get('maximum', '')}")
    if "maxLength" in schema:
        words.append(f"≤ {schema['maxLength']}")
    if "default" in schema:
        words.append(f"= {schema['default']}")
    return " ".join(words)


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    kinds = schema.get("type", "")
    written = " | ".join(kinds) if isinstance(kinds, list) else str(kinds)
    if schema.get("format"):
        written += f" ({schema['format']})"
    if kinds == "array":
        written = f"array of {_type(schema['items'])}"
    return written


def documented(document: dict[str, Any]) -> tuple[list[DocumentedEndpoint], dict[str, Any]]:
    """The endpoints and the answers' fields of an OpenAPI document, ready to show."""
    endpoints = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = [
                DocumentedParameter(
                    name=parameter["name"],
                    website_name=parameter.get("x-website-name"),
                    where=parameter["in"],
                    description=parameter.get("description", ""),
                    allowed=allowed_values(parameter["schema"]),
                )
                for parameter in operation.get("parameters", [])
            ]
            responses = [
                (code, answer["description"]) for code, answer in operation["responses"].items()
            ]
            endpoints.append(
                DocumentedEndpoint(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    operation_id=operation.get("operationId", ""),
                    parameters=parameters,
                    responses=responses,
                )
            )
    schemas = {
        name: [
            DocumentedField(
                name=field,
                type=_type(schema),
                description=schema.get("description", "")
                + (
                    " (" + ", ".join(f"{key}" for key in schema["properties"]) + ")"
                    if "properties" in schema
                    else ""
                ),
            )
            for field, schema in definition.get("properties", {}).items()
        ]
        for name, definition in document["components"]["schemas"].items()
    }
    return endpoints, schemas


@bp.get("/api")
def api_docs() -> ResponseReturnValue:
    """The API described for people, from the same OpenAPI document programs read."""
    document = spec()
    endpoints, schemas = documented(document)
    choices = queries.filter_choices()
    ministries = choices["ministries"]
    example = absolute_url(
        "public.api_commitments",
        **({"ministry": ministries[0].code} if ministries else {}),
        status="open",
        per_page=5,
    )
    return render_template(
        "public/api.html",
        info=document["info"],
        endpoints=endpoints,
        schemas=schemas,
        example=example,
        **choices,
    )


@bp.get("/api/")
@bp.get("/api/docs")
def api_docs_elsewhere() -> ResponseReturnValue:
    return redirect(url_for("public.api_docs"), code=301)
