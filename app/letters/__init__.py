"""Reading Kamerbrieven and debate reports: metadata, promises, fulfilments; the review screen."""

from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/beheer/brieven", template_folder="templates")

from app.letters import routes  # noqa: E402,F401
