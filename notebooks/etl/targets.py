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
# # National emission targets
# Loads catalog entry `targets` (NDCs and net-zero years, as stated, with sources) into
# `core.targets`. Needs the country dimension from the `owid_co2` step.

# %% tags=["parameters"]
dataset = "targets"
run_id = None
step_result_path = None

# %%
from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.db.tables import column_names, core
from tanso.emissions.targets import read_targets
from tanso.pipelines import record_step_result

# %% [markdown]
# ## Load inputs and check them
# `read_targets` lists every malformed cell by row, CSV line and column.

# %%
pinned = catalog.dataset(dataset)
targets = read_targets(catalog.verified_path(dataset))
print(targets[["country_code", "target_name", "target_year", "target_type"]].to_string())

# %% [markdown]
# ## Save outputs

# %%
load = TableLoad(core.targets.fullname, targets[column_names(core.targets)],
                 key=("country_code", "target_name"))
rows = load_dataset(get_engine(), [load], dataset=pinned.name, version=pinned.version,
                    sha256=pinned.sha256, run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version)
print(f"rows written: {rows}")
