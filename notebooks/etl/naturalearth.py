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
# # World country boundaries — Natural Earth 1:110m
# Loads catalog entry `naturalearth` (country shapes simplified for world maps, ISO alpha-3 codes) into
# `core.country_boundaries`; apps read them through `mart.country_boundaries`. Independent of the
# emissions data: a shape whose code has no emissions row is drawn without data.

# %% tags=["parameters"]
dataset = "naturalearth"
run_id = None
step_result_path = None

# %%
from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.db.tables import column_names
from tanso.db.tables.geo import country_boundaries
from tanso.geo.boundaries import read_boundaries
from tanso.pipelines import record_step_result

# %% [markdown]
# ## Load inputs
# `read_boundaries` turns Natural Earth's missing codes (-99) into NULL, maps Kosovo to OWID's
# `OWID_KOS`, and checks the frame (unique names and codes, MultiPolygon geometry).

# %%
pinned = catalog.dataset(dataset)
boundaries = read_boundaries(catalog.verified_path(dataset))
print(pinned.name, pinned.version, len(boundaries), "shapes;",
      "without a country code:", ", ".join(boundaries.loc[boundaries["country_code"].isna(), "name"]))

# %% [markdown]
# ## Save outputs

# %%
load = TableLoad("core.country_boundaries", boundaries[column_names(country_boundaries)], key=("name",))
rows = load_dataset(get_engine(), [load], dataset=pinned.name, version=pinned.version,
                    sha256=pinned.sha256, run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version)
print(f"rows written: {rows}")
