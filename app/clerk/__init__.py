"""The screens ministry clerks use to keep the register (under /beheer/)."""

from flask import Blueprint

bp = Blueprint("clerk", __name__, url_prefix="/beheer", template_folder="templates")

from app.clerk import reference, routes  # noqa: E402,F401
