"""Campaign entries and footprint logs refer to their members (app.users), now that accounts exist.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"

# (table, column, on delete): campaigns keep their authors (RESTRICT); a member's own logs go with them.
KEYS = (
    ("campaigns", "created_by", None),
    ("campaign_entries", "entered_by", None),
    ("campaign_entries", "updated_by", None),
    ("footprint_days", "user_id", "CASCADE"),
    ("points_ledger", "user_id", "CASCADE"),
    ("footprint_goals", "user_id", "CASCADE"),
)


def upgrade() -> None:
    for table, column, ondelete in KEYS:
        op.create_foreign_key(f"{table}_{column}_fkey", table, "users", [column], ["id"], source_schema="app",
                              referent_schema="app", ondelete=ondelete)


def downgrade() -> None:
    for table, column, _ in KEYS:
        op.drop_constraint(f"{table}_{column}_fkey", table, schema="app", type_="foreignkey")
