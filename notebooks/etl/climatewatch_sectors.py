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
# # Climate Watch sector emissions (via Our World in Data)
# Loads catalog entry `climatewatch_sectors` (205 entities, 1990–2022, 11 sectors, t CO2e) into
# `core.climatewatch_emissions` in Mt. Needs the country dimension from the `owid_co2` step.

# %% tags=["parameters"]
dataset = "climatewatch_sectors"
run_id = None
step_result_path = None

# %%
import pandas as pd
import sqlalchemy as sa

from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import load_dataset
from tanso.pipelines import record_step_result
from tanso.sectors import climatewatch

engine = get_engine()

# %% [markdown]
# ## Load inputs

# %%
pinned = catalog.dataset(dataset)
frame = catalog.read(dataset)
countries = pd.read_sql(sa.text("SELECT code, name FROM core.countries"), engine)
print(pinned.name, pinned.version, frame.shape, len(countries))

# %% [markdown]
# ## Process data

# %%
emissions = climatewatch.tidy_climatewatch(frame, countries)
print(emissions.groupby("sector")["value_mt"].describe())

# %% [markdown]
# ## Save outputs

# %%
rows = load_dataset(engine, climatewatch.climatewatch_loads(emissions), dataset=pinned.name,
                    version=pinned.version, sha256=pinned.sha256, run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version)
print(f"rows written: {rows}")
