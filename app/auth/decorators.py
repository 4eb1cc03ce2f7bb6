"""View decorators for the rights in :mod:`app.auth.permissions`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import flask_login
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import is_admin

F = TypeVar("F", bound=Callable[..., Any])


def login_required(view: F) -> F:
    """Flask-Login's ``login_required``, typed (Flask-Login has no type information)."""
    return cast(F, flask_login.login_required(view))


def admin_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_admin(current_user):
            abort(403, description=_("Alleen beheerders mogen dit."))
        return view(*args, **kwargs)

    return cast(F, wrapper)
