"""Accounts (`app.users`, `app.sessions`) and their security trail (`ops.*`), see tanso.auth."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import BYTEA, JSONB

from tanso.db.tables import metadata

ROLES = ("member", "moderator", "admin")

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("email", sa.Text, nullable=False, unique=True),   # stored normalised (lower case)
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("language", sa.Text, nullable=False, server_default="en"),
    sa.Column("role", sa.Text, nullable=False, server_default="member"),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
              server_default=sa.func.now()),
    sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False,
              server_default=sa.func.now()),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
    sa.CheckConstraint("role IN ('member', 'moderator', 'admin')", name="role_known"),
    schema="app",
)

# One row per signed-in browser. The primary key is the SHA-256 of the cookie's random id:
# the table never holds a replayable secret. Deleting a row signs that browser out at once.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", BYTEA, primary_key=True),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("app.users.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
              server_default=sa.func.now()),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False,
              server_default=sa.func.now()),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),   # absolute expiry
    sa.Column("address", sa.Text),
    sa.Column("user_agent", sa.Text),
    sa.Index("sessions_by_user", "user_id"),
    schema="app",
)

# Failed sign-ins inside the throttle window (older rows are pruned as new ones arrive).
sign_in_failures = sa.Table(
    "sign_in_failures", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("account", sa.Text, nullable=False),   # the normalised email as typed
    sa.Column("address", sa.Text, nullable=False),
    sa.Index("sign_in_failures_by_account", "account", "at"),
    sa.Index("sign_in_failures_by_address", "address", "at"),
    schema="ops",
)

# Append-only audit log: sign-in success/failure/throttled, sign-out, register, password
# change, profile change, role change, disable/enable. Never holds a password.
security_events = sa.Table(
    "security_events", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("event", sa.Text, nullable=False),
    sa.Column("user_id", sa.BigInteger),   # no foreign key: the log outlives what it mentions
    sa.Column("email", sa.Text),
    sa.Column("address", sa.Text),
    sa.Column("actor", sa.Text),           # "web", "cli", or the admin's email
    sa.Column("detail", JSONB),
    sa.Index("security_events_by_time", "at"),
    schema="ops",
)
