"""What the admin page reads and does, for one signed-in user.

Every action re-reads the acting account from `app.users` first: an admin who was demoted or
disabled in another session can no longer act here, whatever this page showed when it opened.
Account changes go through tanso.auth.users (which writes the audit row in the same
transaction), report decisions through tanso.community.comments (which checks the role again).
An admin cannot demote or disable their own account here, so the last admin cannot lock
everyone out by a slip; another admin or `tanso user role` can.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from tanso import status
from tanso.auth.users import User, list_users, set_disabled, set_role, user_from_row
from tanso.community import comments
from tanso.db.tables.accounts import users

FAILED_STATUSES = ("failed", "abandoned", "interrupted")


class Refused(PermissionError):
    """The acting user may not do this; the message says why, in plain words."""


def refusal(user: User) -> str | None:
    """Why `user` may not open the admin page (None: an admin)."""
    if user.is_guest:
        return "guest"
    if not user.has_role("admin"):
        return "role"
    return None


class AdminStore:
    def __init__(self, engine: sa.Engine, user: User):
        if refusal(user):
            raise Refused("the admin page is for administrators only")
        self.engine, self.user = engine, user

    def _actor(self, conn: sa.Connection) -> User:
        row = conn.execute(sa.select(users).where(users.c.id == self.user.id)).first()
        if row is None or row.disabled_at is not None or row.role != "admin":
            raise Refused("your account is no longer an enabled administrator; sign in again")
        return user_from_row(row)

    # --- accounts ---------------------------------------------------------------------------
    def users(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            frame = pd.DataFrame(list_users(conn), columns=["id", "email", "display_name",
                                                            "language", "role", "created_at",
                                                            "disabled_at"])
        frame["enabled"] = frame["disabled_at"].isna()
        return frame

    def _not_self(self, email: str, what: str) -> None:
        if email.strip().lower() == self.user.email:
            raise Refused(f"you cannot {what} your own account here; ask another administrator "
                          "(or use `tanso user` on the server)")

    def change_role(self, email: str, role: str) -> str:
        self._not_self(email, "change the role of")
        with self.engine.begin() as conn:
            actor = self._actor(conn)
            changed = set_role(conn, email, role, actor=actor.email)
        return f"{changed.email} is now {role}."

    def set_enabled(self, email: str, enabled: bool) -> str:
        self._not_self(email, "disable" if not enabled else "enable")
        with self.engine.begin() as conn:
            actor = self._actor(conn)
            ended = set_disabled(conn, email, not enabled, actor=actor.email)
        return (f"{email} enabled." if enabled
                else f"{email} disabled; {ended} session(s) ended.")

    def audit(self, limit: int = 50) -> pd.DataFrame:
        """The latest account changes (the security events an admin acts on)."""
        with self.engine.connect() as conn:
            return pd.read_sql(sa.text(
                "SELECT at, event, email, actor, detail::text AS detail FROM ops.security_events "
                "WHERE event IN ('role_changed', 'disabled', 'enabled', 'register') "
                "ORDER BY at DESC, id DESC LIMIT :n"), conn, params={"n": limit})

    # --- reports queue ----------------------------------------------------------------------
    def reports(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = comments.open_reports(conn, self.user)
        return pd.DataFrame(rows, columns=["comment_id", "project_id", "proposal_id", "author",
                                           "body", "hidden", "deleted", "first_reported",
                                           "reports", "reasons"])

    def hide_comment(self, comment_id: int, reason: str) -> str:
        with self.engine.begin() as conn:
            actor = self._actor(conn)
            comments.hide(conn, actor, int(comment_id), reason)
        return f"comment {int(comment_id)} hidden; its reports are resolved."

    def dismiss_reports(self, comment_id: int) -> str:
        with self.engine.begin() as conn:
            actor = self._actor(conn)
            n = comments.dismiss_reports(conn, actor, int(comment_id))
        return f"{n} report(s) on comment {int(comment_id)} dismissed; the comment stays."

    # --- pipeline runs ----------------------------------------------------------------------
    def runs(self, limit: int = 100) -> pd.DataFrame:
        frame = status.runs_frame(self.engine, limit=limit)
        frame["failed"] = frame["status"].isin(FAILED_STATUSES)
        return frame
