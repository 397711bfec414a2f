"""`app.footprint_days`, their lines, the points ledger and goals (footprint calculator, issue 14).

Each logged line keeps the factor it was computed with (value, set and version, or Climatiq factor id and
data version), so a later factor update never rewrites an old result. Points are a ledger of awards and
corrections, never a running counter: a member's balance is the sum of their rows.
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from tanso.db.tables import metadata

DOUBLE = sa.Float(precision=53)

footprint_days = sa.Table(
    "footprint_days", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("app.users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("factor_set", sa.Text, nullable=False),
    sa.Column("factor_version", sa.Text, nullable=False),
    sa.Column("total_kg", DOUBLE, nullable=False),
    sa.Column("activities", JSONB, nullable=False),        # the DAY.json as entered
    sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("user_id", "day"),
    schema="app",
)

footprint_lines = sa.Table(
    "footprint_lines", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("day_id", sa.BigInteger, sa.ForeignKey("app.footprint_days.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("item", sa.Text, nullable=False),
    sa.Column("quantity", DOUBLE, nullable=False),
    sa.Column("unit", sa.Text, nullable=False),
    sa.Column("factor", DOUBLE, nullable=False),
    sa.Column("kg", DOUBLE, nullable=False),
    sa.Column("provider", sa.Text, nullable=False),        # local | climatiq
    sa.Column("factor_set", sa.Text),                      # local set name and version …
    sa.Column("factor_version", sa.Text),
    sa.Column("climatiq_factor_id", sa.Text),              # … or Climatiq's factor id and data version
    sa.Column("data_version", sa.Text),
    sa.Column("fallback_reason", sa.Text),
    sa.Column("source", JSONB, nullable=False),
    sa.CheckConstraint("provider IN ('local', 'climatiq')", name="footprint_lines_provider_known"),
    sa.Index("footprint_lines_by_day", "day_id"),
    schema="app",
)

points_ledger = sa.Table(
    "points_ledger", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("app.users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("points", sa.Integer, nullable=False),       # an award, or a correction when a day is re-logged
    sa.Column("awarded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("kind IN ('saved', 'second_hand', 'below_average')", name="points_ledger_kind_known"),
    sa.Index("points_ledger_by_user", "user_id", "day"),
    schema="app",
)

footprint_goals = sa.Table(
    "footprint_goals", metadata,
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("app.users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kg_per_day", DOUBLE, nullable=False),
    sa.Column("set_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("kg_per_day > 0", name="footprint_goals_positive"),
    schema="app",
)
