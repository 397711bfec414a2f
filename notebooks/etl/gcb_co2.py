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
# country dimension from the `owid_co2` step.

# %% tags=["parameters"]
dataset = "gcb_co2"
run_id = None
step_result_path = None

# %%
import pandas as pd
import sqlalchemy as sa

from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.emissions import national
from tanso.pipelines import record_step_result

engine = get_engine()

# %% [markdown]
# ## Load inputs

# %%
pinned = catalog.dataset(dataset)
gcb = catalog.read(dataset)
countries = pd.read_sql(sa.text("SELECT code, name FROM core.countries"), engine)
print(pinned.name, pinned.version, gcb.shape, len(countries))

# %% [markdown]
# ## Process data

# %%
co2 = national.tidy_gcb(gcb, countries)
print(co2.describe())

# %% [markdown]
# ## Save outputs

# %%
rows = load_dataset(engine, [TableLoad("core.gcb_co2", co2, key=("country_code", "year"))],
                    dataset=pinned.name, version=pinned.version, sha256=pinned.sha256,
                    run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version)
print(f"rows written: {rows}")
