"""`core.vcm_*`: voluntary carbon market projects per source and merged, credits by year,
registry transactions, disagreements between sources, data-quality flags (tanso.vcm).

Dates are ISO text until the loader encodes dates; the mart views cast them.
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR

from tanso.db.tables import metadata

DOUBLE = sa.Float(precision=53)
TEXT_FIELDS = ("name", "developer", "proponent", "status", "country", "region", "state",
               "location", "scope", "category", "project_type", "reduction_removal",
               "methodology", "methodology_version", "description", "arb_wa",
               "certifications", "listed_at", "registered_at", "registry_url", "website",
               "notes")
QUANTITY_FIELDS = ("issued", "retired", "retired_year_unknown", "remaining",
                   "buffer_deposits", "reversals_covered", "reversals_not_covered",
                   "buffer_released")


def _required_text(*names: str) -> list[sa.Column]:
    """The NOT NULL text columns most tables here start with (project id, source, kind…)."""
    return [sa.Column(name, sa.Text, nullable=False) for name in names]


def _project_columns() -> list[sa.Column]:
    return [
        *_required_text("registry"),
        *[sa.Column(f, sa.Text) for f in TEXT_FIELDS],
        sa.Column("corsia", sa.Boolean),
        sa.Column("ccb", sa.Boolean),
        sa.Column("first_vintage", sa.SmallInteger),
        *[sa.Column(f, DOUBLE) for f in QUANTITY_FIELDS],
    ]


# Ranked search: the name and id weigh most, then who runs the project, then what and where,
# then the free-text description. 'english' stems (cookstoves ~ cookstove); the id and name
# are also in trigram indexes for partial and misspelt ids (extension pg_trgm, tanso.db.tables).
SEARCH_VECTOR = """
    setweight(to_tsvector('english', coalesce(project_id, '') || ' ' || coalesce(name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(developer, '') || ' ' || coalesce(proponent, '')), 'B')
    || setweight(to_tsvector('english', coalesce(methodology, '') || ' ' || coalesce(project_type, '')
        || ' ' || coalesce(category, '') || ' ' || coalesce(scope, '') || ' ' || coalesce(country, '')
        || ' ' || coalesce(state, '') || ' ' || coalesce(location, '')), 'C')
    || setweight(to_tsvector('english', coalesce(description, '')), 'D')
"""

source_projects = sa.Table(
    "vcm_source_projects", metadata,
    *_required_text("project_id", "source", "source_id"),
    *_project_columns(),
    sa.PrimaryKeyConstraint("source", "project_id"),
    sa.Index("vcm_source_projects_project_id_idx", "project_id"),
    schema="core",
)

projects = sa.Table(
    "vcm_projects", metadata,
    sa.Column("project_id", sa.Text, primary_key=True),
    *_project_columns(),
    sa.Column("sources", sa.Text, nullable=False),
    sa.Column("in_vrod", sa.Boolean, nullable=False),
    sa.Column("in_offsetsdb", sa.Boolean, nullable=False),
    sa.Column("in_registry_export", sa.Boolean, nullable=False),
    sa.Column("search_vector", TSVECTOR, sa.Computed(SEARCH_VECTOR, persisted=True)),
    sa.Index("vcm_projects_search_idx", "search_vector", postgresql_using="gin"),
    sa.Index("vcm_projects_id_trgm_idx", "project_id", postgresql_using="gin",
             postgresql_ops={"project_id": "gin_trgm_ops"}),
    sa.Index("vcm_projects_name_trgm_idx", "name", postgresql_using="gin",
             postgresql_ops={"name": "gin_trgm_ops"}),
    # the explorer's first page (no text, most credits first) is read in this order: LIMIT stops early
    sa.Index("vcm_projects_issued_idx", sa.text("issued DESC NULLS LAST"), "project_id"),
    schema="core",
)

# Derived from core.vcm_projects after each load (tanso.vcm.queries.refresh_search_aids): the
# facet counts of the unfiltered explorer (its landing page: a read of ~600 rows), and how many
# projects share each combination of the eleven facet values: a filtered search without text
# counts its facets from these (~5k rows at the real data, the same at 100 copies of it)
# instead of every project's keys, for any filter but an issued bound (not a facet value).
facet_counts = sa.Table(
    "vcm_facet_counts", metadata,
    *_required_text("facet"),
    sa.Column("value", sa.Text),
    sa.Column("n", sa.BigInteger, nullable=False),
    schema="core",
)

facet_combos = sa.Table(
    "vcm_facet_combos", metadata,
    *[sa.Column(f, sa.Text) for f in ("registry", "country", "category", "project_type",
                                      "methodology", "status", "reduction_removal")],
    sa.Column("corsia", sa.Boolean, nullable=False),
    sa.Column("ccb", sa.Boolean, nullable=False),
    sa.Column("first_vintage", sa.SmallInteger),
    sa.Column("issued_range", sa.Text, nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
    schema="core",
)

# Every distinct project name once, numbered in the database's collation (the keys' name_order):
# the misspelling fallback compares the query with each name once, not with every project
# carrying it (a name is shared by the 100 copies of a project at 100x the real data).
search_names = sa.Table(
    "vcm_search_names", metadata,
    sa.Column("name_order", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Index("vcm_search_names_trgm_idx", "name", postgresql_using="gin",
             postgresql_ops={"name": "gin_trgm_ops"}),
    schema="core",
)

# The explorer's filter, facet and sort keys of every project (tanso.vcm.queries), derived after
# each load: a search without text filters, counts and sorts these ~60-byte rows instead of the
# ~1 kB project rows (a 10× smaller scan at 100× the real data), and reads only its page's
# projects. name_order is the rank of the name in the database's collation (same order, 4 bytes).
search_keys = sa.Table(
    "vcm_search_keys", metadata,
    sa.Column("project_id", sa.Text, nullable=False),
    *[sa.Column(f, sa.Text) for f in ("registry", "country", "category", "project_type",
                                      "methodology", "status", "reduction_removal")],
    sa.Column("corsia", sa.Boolean, nullable=False),  # unknown: false, as the facet counts it
    sa.Column("ccb", sa.Boolean, nullable=False),
    sa.Column("first_vintage", sa.SmallInteger),
    sa.Column("issued", DOUBLE),
    sa.Column("retired", DOUBLE),
    sa.Column("name_order", sa.Integer),
    # the first page in the two credit orders is read from these and LIMIT stops early
    sa.Index("vcm_search_keys_issued_idx", sa.text("issued DESC NULLS LAST"), "project_id"),
    sa.Index("vcm_search_keys_retired_idx", sa.text("retired DESC NULLS LAST"), "project_id"),
    # each filter reads its keys through a bitmap index scan (several combine with AND)
    *[sa.Index(f"vcm_search_keys_{column}_idx", column)
      for column in ("registry", "country", "category", "project_type", "methodology",
                     "status", "reduction_removal", "corsia", "ccb", "first_vintage")],
    # the misspelling fallback finds a similar name's projects, and a name sort its first page
    sa.Index("vcm_search_keys_name_order_idx", "name_order"),
    schema="core",
)

search_words = sa.Table(
    "vcm_search_words", metadata,
    sa.Column("word", sa.Text, primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Index("vcm_search_words_trgm_idx", "word", postgresql_using="gin",
             postgresql_ops={"word": "gin_trgm_ops"}),
    schema="core",
)

credit_years = sa.Table(
    "vcm_credit_years", metadata,
    *_required_text("project_id", "source"),
    sa.Column("year", sa.SmallInteger, nullable=False),
    *_required_text("kind"),
    sa.Column("quantity", DOUBLE, nullable=False),
    sa.PrimaryKeyConstraint("project_id", "source", "year", "kind"),
    sa.CheckConstraint("kind IN ('issued_by_vintage', 'retired_by_year', "
                       "'remaining_by_vintage', 'issued_by_issuance_year')",
                       name="vcm_credit_years_kind_known"),
    schema="core",
)

transactions = sa.Table(
    "vcm_transactions", metadata,
    *_required_text("project_id", "source", "source_file"),
    sa.Column("source_row", sa.BigInteger, nullable=False),
    *_required_text("registry", "kind"),
    sa.Column("quantity", DOUBLE, nullable=False),
    sa.Column("vintage", sa.SmallInteger),
    sa.Column("transaction_date", sa.Text),
    sa.Column("beneficiary", sa.Text),
    sa.Column("reason", sa.Text),
    sa.Column("serial", sa.Text),
    sa.PrimaryKeyConstraint("source", "source_file", "source_row", "kind"),
    sa.CheckConstraint("kind IN ('issuance', 'retirement', 'cancellation')",
                       name="vcm_transactions_kind_known"),
    sa.CheckConstraint("quantity >= 0", name="vcm_transactions_quantity_non_negative"),
    sa.Index("vcm_transactions_project_id_idx", "project_id"),
    schema="core",
)

disagreements = sa.Table(
    "vcm_disagreements", metadata,
    *_required_text("project_id", "field", "source_a"),
    sa.Column("value_a", sa.Text),
    *_required_text("source_b"),
    sa.Column("value_b", sa.Text),
    sa.PrimaryKeyConstraint("project_id", "field", "source_a", "source_b"),
    schema="core",
)

flags = sa.Table(
    "vcm_flags", metadata,
    *_required_text("project_id", "flag"),
    sa.Column("detail", sa.Text),
    sa.PrimaryKeyConstraint("project_id", "flag"),
    schema="core",
)
