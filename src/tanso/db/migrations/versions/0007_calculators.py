"""Recycling campaigns (entries, history) and footprint logs (days, lines, points ledger, goals).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"

DOUBLE = sa.Float(precision=53)


def _now():
    return sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("organisation", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("factor_set", sa.Text, nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="campaigns_pkey"),
        sa.UniqueConstraint("organisation", "name_key", name="campaigns_organisation_name_key_key"),
        sa.CheckConstraint("period_end >= period_start", name="campaigns_period_ordered"),
        schema="app",
    )
    op.create_table(
        "campaign_entries",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("campaign_id", sa.BigInteger, nullable=False),
        sa.Column("collected_on", sa.Date, nullable=False),
        sa.Column("material", sa.Text, nullable=False),
        sa.Column("pathway", sa.Text, nullable=False),
        sa.Column("kg", sa.Numeric(14, 3), nullable=False),
        sa.Column("entered_by", sa.BigInteger, nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_by", sa.BigInteger),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="campaign_entries_pkey"),
        sa.ForeignKeyConstraint(["campaign_id"], ["app.campaigns.id"], ondelete="CASCADE",
                                name="campaign_entries_campaign_id_fkey"),
        sa.CheckConstraint("material IN ('pet', 'hdpe', 'mixed')", name="campaign_entries_material_known"),
        sa.CheckConstraint("pathway IN ('reuse', 'upcycle', 'recycle')", name="campaign_entries_pathway_known"),
        sa.CheckConstraint("kg >= 0", name="campaign_entries_kg_not_negative"),
        schema="app",
    )
    op.create_index("campaign_entries_by_campaign", "campaign_entries", ["campaign_id"], schema="app")
    op.create_table(
        "campaign_entry_history",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("entry_id", sa.BigInteger, nullable=False),
        sa.Column("campaign_id", sa.BigInteger, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("collected_on", sa.Date),
        sa.Column("material", sa.Text),
        sa.Column("pathway", sa.Text),
        sa.Column("kg", sa.Numeric(14, 3)),
        sa.Column("changed_by", sa.BigInteger, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="campaign_entry_history_pkey"),
        sa.CheckConstraint("action IN ('created', 'updated', 'deleted')", name="campaign_entry_history_action_known"),
        schema="app",
    )
    op.create_index("campaign_entry_history_by_campaign", "campaign_entry_history", ["campaign_id", "changed_at"],
                    schema="app")
    op.create_table(
        "footprint_days",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("factor_set", sa.Text, nullable=False),
        sa.Column("factor_version", sa.Text, nullable=False),
        sa.Column("total_kg", DOUBLE, nullable=False),
        sa.Column("activities", JSONB, nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="footprint_days_pkey"),
        sa.UniqueConstraint("user_id", "day", name="footprint_days_user_id_day_key"),
        schema="app",
    )
    op.create_table(
        "footprint_lines",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("day_id", sa.BigInteger, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("quantity", DOUBLE, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("factor", DOUBLE, nullable=False),
        sa.Column("kg", DOUBLE, nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("factor_set", sa.Text),
        sa.Column("factor_version", sa.Text),
        sa.Column("climatiq_factor_id", sa.Text),
        sa.Column("data_version", sa.Text),
        sa.Column("fallback_reason", sa.Text),
        sa.Column("source", JSONB, nullable=False),
        sa.PrimaryKeyConstraint("id", name="footprint_lines_pkey"),
        sa.ForeignKeyConstraint(["day_id"], ["app.footprint_days.id"], ondelete="CASCADE",
                                name="footprint_lines_day_id_fkey"),
        sa.CheckConstraint("provider IN ('local', 'climatiq')", name="footprint_lines_provider_known"),
        schema="app",
    )
    op.create_index("footprint_lines_by_day", "footprint_lines", ["day_id"], schema="app")
    op.create_table(
        "points_ledger",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("awarded_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="points_ledger_pkey"),
        sa.CheckConstraint("kind IN ('saved', 'second_hand', 'below_average')", name="points_ledger_kind_known"),
        schema="app",
    )
    op.create_index("points_ledger_by_user", "points_ledger", ["user_id", "day"], schema="app")
    op.create_table(
        "footprint_goals",
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("kg_per_day", DOUBLE, nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="footprint_goals_pkey"),
        sa.CheckConstraint("kg_per_day > 0", name="footprint_goals_positive"),
        schema="app",
    )


def downgrade() -> None:
    for table in ("footprint_goals", "points_ledger", "footprint_lines", "footprint_days",
                  "campaign_entry_history", "campaign_entries", "campaigns"):
        op.drop_table(table, schema="app")
