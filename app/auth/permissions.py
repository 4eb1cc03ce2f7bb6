"""Who may do what (issue: clerks keep the register).

- Anonymous: read public pages only.
- Clerk: create and edit the promises of their own ministry; sees internal notes of the
  promises they own.
- Coordinator: as clerk, plus reassign owners and see all of the ministry's internal notes.
  Coordinators also keep their own ministry's ministers and state secretaries (officials).
- Admin: everything, plus users and reference data.
"""

from __future__ import annotations

from typing import Any

from app.auth.models import Role, User
from app.register.models import Commitment


def _user(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def is_admin(user: Any) -> bool:
    current = _user(user)
    return current is not None and current.role is Role.ADMIN


def can_create_for(user: Any, ministry_id: int | None) -> bool:
    current = _user(user)
    if current is None:
        return False
    return current.role is Role.ADMIN or (
        ministry_id is not None and current.ministry_id == ministry_id
    )


def can_edit(user: Any, commitment: Commitment) -> bool:
    return can_create_for(user, commitment.ministry_id)


def can_assign_owners(user: Any, ministry_id: int | None) -> bool:
    """Coordinators and admins choose owners; a clerk's new promise is the clerk's own."""
    current = _user(user)
    return (
        current is not None
        and current.role is not Role.CLERK
        and can_create_for(current, ministry_id)
    )


def can_maintain_officials(user: Any, ministry_id: int | None) -> bool:
    """Admins keep every ministry's officials; a coordinator those of their own ministry."""
    return can_assign_owners(user, ministry_id)


def is_coordinator(user: Any) -> bool:
    current = _user(user)
    return current is not None and current.role is Role.COORDINATOR


def can_see_internal_note(user: Any, commitment: Commitment) -> bool:
    current = _user(user)
    if current is None or not can_edit(current, commitment):
        return False
    return current.role is not Role.CLERK or commitment.owner_id == current.id
