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
# `core.countries` and `core.national_indicators`. Skips when this version is already loaded.

# %% tags=["parameters"]
dataset = "owid_co2"
force = False  # reload even when this version is already loaded
run_id = None
step_result_path = None

# %%
from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import is_loaded, load_dataset
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
    owid = catalog.read(dataset)  # refuses a file whose sha256 differs from the catalog
    print(owid.shape)

# %% [markdown]
# ## Process data
# Country dimension (ISO3, or an OWID_* code for regions, income groups and World) and the
# indicators keyed by country code and year, checked by a pandera schema.

# %%
if not skip:
    countries = national.build_countries(owid)
    indicators = national.tidy_owid(owid, countries)
    print(countries["kind"].value_counts().to_dict(), indicators.shape)

# %% [markdown]
# ## Save outputs

# %%
rows = 0
if not skip:
    rows = load_dataset(engine, national.national_loads(countries, indicators),
                        dataset=pinned.name, version=pinned.version, sha256=pinned.sha256,
                        run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version,
                   skipped=skip)
print(f"rows written: {rows}")
