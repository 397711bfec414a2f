# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Voluntary carbon market — VROD, OffsetsDB and registry exports
# Harmonises Berkeley VROD v2025-12, the OffsetsDB project list, raw registry exports (Verra,
# Gold Standard, ACR, CAR, ART, Isometric, Cercarbono) and the VROD 2021 registry tabs into
# `core.vcm_*`: projects per source and merged, VROD's yearly credits in long form, credit
# transactions, disagreements between sources and data-quality flags. One atomic load.

# %% tags=["parameters"]
dataset = "vrod"
tolerance = 0.01
run_id = None
step_result_path = None

# %%
import sqlalchemy as sa

from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.pipelines import record_step_result
from tanso.vcm import harmonise, queries, sources

engine = get_engine()

# %% [markdown]
# ## Load inputs

# %%
pinned = catalog.dataset(dataset)
inputs = sources.read_inputs()
print({k: (v.shape if hasattr(v, "shape") else len(v)) for k, v in inputs.items()})

# %% [markdown]
# ## Process data

# %%
tables = harmonise.build_tables(**inputs, tolerance=float(tolerance))
print(tables.reconciliation.as_dict())
print(tables.flags["flag"].value_counts())

# %% [markdown]
# ## Save outputs

# %%
loads = [
    TableLoad("core.vcm_source_projects", tables.source_projects, key=("source", "project_id")),
    TableLoad("core.vcm_projects", tables.projects, key=("project_id",)),
    TableLoad("core.vcm_credit_years", tables.credit_years,
              key=("project_id", "source", "year", "kind")),
    TableLoad("core.vcm_transactions", tables.transactions,
              key=("source", "source_file", "source_row", "kind")),
    TableLoad("core.vcm_disagreements", tables.disagreements,
              key=("project_id", "field", "source_a", "source_b")),
    TableLoad("core.vcm_flags", tables.flags, key=("project_id", "flag")),
]
rows = load_dataset(engine, loads, dataset=pinned.name, version=pinned.version,
                    sha256=pinned.sha256, run_id=run_id)
with engine.begin() as conn:  # the explorer's search aids (keys, names, facet combinations, words)
    queries.refresh_search_aids(conn)
# The load replaced every row (DELETE + INSERT): VACUUM clears the dead half of the tables and
# merges the GIN indexes' pending lists (until then a one-word search scans every row, ~10×
# slower); ANALYZE gives the planner fresh statistics. VACUUM cannot run in a transaction.
with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
    conn.execute(sa.text("VACUUM ANALYZE core.vcm_projects, core.vcm_source_projects, "
                         "core.vcm_credit_years, core.vcm_transactions, core.vcm_flags, "
                         "core.vcm_disagreements, core.vcm_facet_counts, core.vcm_facet_combos, "
                         "core.vcm_search_names, core.vcm_search_keys, core.vcm_search_words"))
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version)
print(f"rows written: {rows}")
