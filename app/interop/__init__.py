"""Exchanging promises with the Kamer in its open-data shapes: import, export (DESIGN §13);
the coordinators' screens under /beheer."""

from flask import Blueprint

bp = Blueprint("interop", __name__, url_prefix="/beheer", template_folder="templates")

from app.interop import routes  # noqa: E402,F401
