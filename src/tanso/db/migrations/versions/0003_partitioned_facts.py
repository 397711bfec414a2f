"""Big fact tables become partitioned tables with one partition, so a load swaps it whole.

See tanso.db.load: a new version is COPY'd into a staging table and swapped in with
DETACH/ATTACH PARTITION, without rewriting rows or blocking readers during the COPY.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"

TABLES = {"national_indicators": "(country_code, year)", "gcb_co2": "(country_code, year)"}

NATIONAL_VIEW = """
    CREATE VIEW mart.national AS
    SELECT c.name AS country, c.kind, x.*
    FROM (
        SELECT * FROM core.national_indicators
        FULL JOIN (SELECT country_code, year, co2_mt AS co2_gcb FROM core.gcb_co2) g
            USING (country_code, year)
    ) x
    JOIN core.countries c ON c.code = x.country_code
"""


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS mart.national")  # tanso.db.migrations may have dropped it
    for table, key in TABLES.items():
        op.execute(f"ALTER TABLE core.{table} RENAME TO {table}_current")
        op.execute(f"ALTER TABLE core.{table}_current DROP CONSTRAINT {table}_pkey")
        op.execute(f"ALTER TABLE core.{table}_current "
                   f"DROP CONSTRAINT {table}_country_code_fkey")
        op.execute(f"CREATE TABLE core.{table} (LIKE core.{table}_current INCLUDING DEFAULTS) "
                   "PARTITION BY RANGE (year)")
        op.execute(f"ALTER TABLE core.{table} ADD PRIMARY KEY {key}")
        op.execute(f"ALTER TABLE core.{table} ADD FOREIGN KEY (country_code) "
                   "REFERENCES core.countries (code)")
        op.execute(f"ALTER TABLE core.{table} ATTACH PARTITION core.{table}_current "
                   "FOR VALUES FROM (MINVALUE) TO (MAXVALUE)")
    op.execute(NATIONAL_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW mart.national")
    for table, key in TABLES.items():
        op.execute(f"ALTER TABLE core.{table} DETACH PARTITION core.{table}_current")
        op.execute(f"DROP TABLE core.{table}")
        op.execute(f"ALTER TABLE core.{table}_current RENAME TO {table}")
        op.execute(f"ALTER TABLE core.{table} ADD PRIMARY KEY {key}")
        op.execute(f"ALTER TABLE core.{table} ADD FOREIGN KEY (country_code) "
                   "REFERENCES core.countries (code)")
    op.execute(NATIONAL_VIEW)
