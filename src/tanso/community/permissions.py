"""Who may do what to which object: pure functions of a user and a row's owner/status.

Roles order guest < member < moderator < admin (`User.has_role`). Owners act on their own
things; moderators publish, reject and hide; admins may do everything. The operations in
`proposals`, `comments` and `support` call `require` before they write, so the UI's hidden
buttons are a convenience, not the protection.
"""

from __future__ import annotations

from tanso.auth import User
from tanso.community.errors import Refused


def _owner(user: User, owner_id: int | None) -> bool:
    return not user.is_guest and owner_id is not None and user.id == owner_id


def can_create(user: User) -> bool:
    """Propose, comment, support, report: any signed-in member."""
    return user.has_role("member")


def can_view_proposal(user: User, *, owner_id: int, status: str) -> bool:
    if status == "published" or _owner(user, owner_id) or user.has_role("admin"):
        return True
    return status != "draft" and user.has_role("moderator")   # drafts are the owner's


def can_edit_proposal(user: User, *, owner_id: int, status: str) -> bool:
    return user.has_role("admin") or (_owner(user, owner_id) and status == "draft")


def can_submit_proposal(user: User, *, owner_id: int, status: str) -> bool:
    return status == "draft" and (_owner(user, owner_id) or user.has_role("admin"))


def can_decide_proposal(user: User, *, status: str) -> bool:
    """Publish or reject: moderators, a submitted proposal."""
    return status == "submitted" and user.has_role("moderator")


def can_edit_comment(user: User, *, author_id: int, gone: bool) -> bool:
    return not gone and (_owner(user, author_id) or user.has_role("admin"))


def can_delete_comment(user: User, *, author_id: int, deleted: bool) -> bool:
    return not deleted and (_owner(user, author_id) or user.has_role("admin"))


def can_hide_comment(user: User) -> bool:
    return user.has_role("moderator")


def can_report_comment(user: User, *, author_id: int) -> bool:
    return can_create(user) and not _owner(user, author_id)


def require(allowed: bool, user: User, action: str) -> None:
    """Raise `Refused` (asking a guest to sign in) unless `allowed`."""
    if not allowed:
        raise Refused.because("sign_in" if user.is_guest else "forbidden", action=action)
