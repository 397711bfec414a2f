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
# # GIR inventory → Climate Watch sectors (one taxonomy for both)
# Loads catalog entry `sector_mapping` into `core.gir_sector_map` after checking it against the GIR
# tree and values already loaded by the `gir_inventory` step: every leaf mapped exactly once, to a
# known sector, and the mapped leaves of each field equal to GIR's field totals in every year.

# %% tags=["parameters"]
dataset = "sector_mapping"
run_id = None
step_result_path = None

# %%
import pandas as pd
import sqlalchemy as sa

from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.pipelines import record_step_result
from tanso.sectors import gir, mapping

engine = get_engine()

# %% [markdown]
# ## Load inputs

# %%
pinned = catalog.dataset(dataset)
sector_map = mapping.read_mapping(catalog.verified_path(dataset))
categories = gir.read_categories()
with engine.connect() as conn:
    emissions = pd.read_sql(sa.text("SELECT code, year, value_kt FROM core.gir_emissions"), conn)
print(pinned.name, pinned.version, len(sector_map), "leaves mapped;", len(emissions), "GIR values")

# %% [markdown]
# ## Process data

# %%
mapping.check_mapping(categories, sector_map, emissions)
regrouped = mapping.map_to_climatewatch(emissions, sector_map)
print(regrouped.pivot(index="year", columns="sector", values="value_mt").tail().round(1).to_string())

# %% [markdown]
# ## Save outputs

# %%
rows = load_dataset(engine, [TableLoad("core.gir_sector_map", sector_map, key=("gir_code",))],
                    dataset=pinned.name, version=pinned.version, sha256=pinned.sha256, run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version)
print(f"rows written: {rows}")
