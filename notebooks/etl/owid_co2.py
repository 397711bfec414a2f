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
# # National emissions — Our World in Data CO2 & GHG
# Loads catalog entry `owid_co2` (all 76 indicators, 255 entities, 1750–2023) into
# `core.countries` and `core.national_indicators`, in one transaction with its version.

# %% tags=["parameters"]
dataset = "owid_co2"
run_id = None
step_result_path = None

# %%
from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import load_dataset
from tanso.emissions import national
from tanso.pipelines import record_step_result

# %% [markdown]
# ## Load inputs

# %%
pinned = catalog.dataset(dataset)
owid = catalog.read(dataset)  # refuses a file whose sha256 differs from the catalog
print(pinned.name, pinned.version, owid.shape)

# %% [markdown]
# ## Process data
# Country dimension (ISO3, or an OWID_* code for regions, income groups and World) and the
# indicators keyed by country code and year, checked by a pandera schema.

# %%
countries = national.build_countries(owid)
indicators = national.tidy_owid(owid, countries)
print(countries["kind"].value_counts().to_dict(), indicators.shape)

# %% [markdown]
# ## Save outputs

# %%
rows = load_dataset(get_engine(), national.national_loads(countries, indicators),
                    dataset=pinned.name, version=pinned.version, sha256=pinned.sha256,
                    run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version)
print(f"rows written: {rows}")
