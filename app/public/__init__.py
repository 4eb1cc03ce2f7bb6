"""Public pages and the JSON API: read-only, no login, nothing internal."""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from app.public import api, routes  # noqa: E402,F401
