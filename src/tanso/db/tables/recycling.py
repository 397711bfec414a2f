"""`app.campaigns`, their entries and the entries' history (recycling calculator, issue 15).

Every entry records who made it and when; every change appends a history row (who, when, what the
entry became), so an edited campaign can be traced. One campaign name per organisation (compared
case-insensitively through `name_key`).
"""

import sqlalchemy as sa

from tanso.db.tables import metadata

MATERIALS_SQL = "('pet', 'hdpe', 'mixed')"
PATHWAYS_SQL = "('reuse', 'upcycle', 'recycle')"

campaigns = sa.Table(
    "campaigns", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("organisation", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),        # casefolded, trimmed name
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("factor_set", sa.Text, nullable=False),      # NAME@VERSION its results are computed with
    sa.Column("created_by", sa.BigInteger, sa.ForeignKey("app.users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("organisation", "name_key"),
    sa.CheckConstraint("period_end >= period_start", name="campaigns_period_ordered"),
    schema="app",
)

campaign_entries = sa.Table(
    "campaign_entries", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("campaign_id", sa.BigInteger, sa.ForeignKey("app.campaigns.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("collected_on", sa.Date, nullable=False),    # for monthly / quarterly roll-ups
    sa.Column("material", sa.Text, nullable=False),
    sa.Column("pathway", sa.Text, nullable=False),
    sa.Column("kg", sa.Numeric(14, 3), nullable=False),
    sa.Column("entered_by", sa.BigInteger, sa.ForeignKey("app.users.id"), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("updated_by", sa.BigInteger, sa.ForeignKey("app.users.id")),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
    sa.CheckConstraint(f"material IN {MATERIALS_SQL}", name="campaign_entries_material_known"),
    sa.CheckConstraint(f"pathway IN {PATHWAYS_SQL}", name="campaign_entries_pathway_known"),
    sa.CheckConstraint("kg >= 0", name="campaign_entries_kg_not_negative"),
    sa.Index("campaign_entries_by_campaign", "campaign_id"),
    schema="app",
)

# Append-only: no foreign keys, so the trail outlives deleted entries and campaigns.
campaign_entry_history = sa.Table(
    "campaign_entry_history", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("entry_id", sa.BigInteger, nullable=False),
    sa.Column("campaign_id", sa.BigInteger, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("collected_on", sa.Date),
    sa.Column("material", sa.Text),
    sa.Column("pathway", sa.Text),
    sa.Column("kg", sa.Numeric(14, 3)),
    sa.Column("changed_by", sa.BigInteger, nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("action IN ('created', 'updated', 'deleted')", name="campaign_entry_history_action_known"),
    sa.Index("campaign_entry_history_by_campaign", "campaign_id", "changed_at"),
    schema="app",
)
