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
# # National fossil CO2 — Global Carbon Budget 2025
# Loads catalog entry `gcb_co2` (t CO2, 1750–2024) into `core.gcb_co2` in Mt. Needs the
# country dimension from the `owid_co2` step. Skips when this version is already loaded.

# %% tags=["parameters"]
dataset = "gcb_co2"
force = False  # reload even when this version is already loaded
run_id = None
step_result_path = None

# %%
import pandas as pd
import sqlalchemy as sa

from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import TableLoad, is_loaded, load_dataset
from tanso.emissions import national
from tanso.pipelines import record_step_result

engine = get_engine()
pinned = catalog.dataset(dataset)
skip = not force and is_loaded(engine, pinned.name, pinned.version, pinned.sha256)
print(f"{pinned.name} {pinned.version}: {'already loaded, skipping' if skip else 'loading'}")

# %% [markdown]
# ## Load inputs

# %%
if not skip:
    gcb = catalog.read(dataset)
    countries = pd.read_sql(sa.text("SELECT code, name FROM core.countries"), engine)
    print(gcb.shape, len(countries))

# %% [markdown]
# ## Process data

# %%
if not skip:
    co2 = national.tidy_gcb(gcb, countries)
    print(co2.describe())

# %% [markdown]
# ## Save outputs

# %%
rows = 0
if not skip:
    rows = load_dataset(engine, [TableLoad("core.gcb_co2", co2, key=("country_code", "year"))],
                        dataset=pinned.name, version=pinned.version, sha256=pinned.sha256,
                        run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version,
                   skipped=skip)
print(f"rows written: {rows}")
