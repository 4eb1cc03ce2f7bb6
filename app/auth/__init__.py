"""Users, roles and logging in (screens under /beheer/)."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/beheer", template_folder="templates")

from app.auth import cli, routes  # noqa: E402,F401


@bp.app_context_processor
def permission_helpers() -> dict[str, object]:
    """Let templates ask what the current user may do with a promise."""
    from flask_login import current_user

    from app.auth import permissions

    return {
        "can_edit": lambda commitment: permissions.can_edit(current_user, commitment),
        "can_see_internal_note": lambda commitment: permissions.can_see_internal_note(
            current_user, commitment
        ),
    }
