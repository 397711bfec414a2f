"""Accounts: app.users, app.sessions; ops.sign_in_failures (throttle), ops.security_events (audit).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import BYTEA, JSONB

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False, server_default="en"),
        sa.Column("role", sa.Text, nullable=False, server_default="member"),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("disabled_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="users_pkey"),
        sa.UniqueConstraint("email", name="users_email_key"),
        sa.CheckConstraint("role IN ('member', 'moderator', 'admin')", name="role_known"),
        schema="app",
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", BYTEA, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.Text),
        sa.Column("user_agent", sa.Text),
        sa.PrimaryKeyConstraint("token_hash", name="sessions_pkey"),
        sa.ForeignKeyConstraint(["user_id"], ["app.users.id"], ondelete="CASCADE",
                                name="sessions_user_id_fkey"),
        schema="app",
    )
    op.create_index("sessions_by_user", "sessions", ["user_id"], schema="app")
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="sign_in_failures_pkey"),
        schema="ops",
    )
    op.create_index("sign_in_failures_by_account", "sign_in_failures", ["account", "at"],
                    schema="ops")
    op.create_index("sign_in_failures_by_address", "sign_in_failures", ["address", "at"],
                    schema="ops")
    op.create_table(
        "security_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("event", sa.Text, nullable=False),
        sa.Column("user_id", sa.BigInteger),
        sa.Column("email", sa.Text),
        sa.Column("address", sa.Text),
        sa.Column("actor", sa.Text),
        sa.Column("detail", JSONB),
        sa.PrimaryKeyConstraint("id", name="security_events_pkey"),
        schema="ops",
    )
    op.create_index("security_events_by_time", "security_events", ["at"], schema="ops")


def downgrade() -> None:
    op.drop_table("security_events", schema="ops")
    op.drop_table("sign_in_failures", schema="ops")
    op.drop_table("sessions", schema="app")
    op.drop_table("users", schema="app")
