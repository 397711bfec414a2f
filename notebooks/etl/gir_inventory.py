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
# # Korea's national inventory (GIR) — category tree and values
# Loads catalog entry `gir_inventory` (cp949, 161 columns, kt CO2-eq, 1990–2022) into
# `core.gir_categories` (the tree: IPCC code, parent, level, Korean and English names) and
# `core.gir_emissions` (code, year, value). Columns are named by position from
# `tanso/sectors/gir_categories.csv`; a file with other headers is refused.

# %% tags=["parameters"]
dataset = "gir_inventory"
run_id = None
step_result_path = None

# %%
from tanso import catalog
from tanso.db.engine import get_engine
from tanso.db.load import load_dataset
from tanso.pipelines import record_step_result
from tanso.sectors import gir

# %% [markdown]
# ## Load inputs

# %%
pinned = catalog.dataset(dataset)
raw = gir.read_inventory(catalog.verified_path(dataset))
categories = gir.read_categories()
print(pinned.name, pinned.version, raw.shape, len(categories), "categories")

# %% [markdown]
# ## Process data
# Long values, then the tree's own arithmetic: every parent must equal the sum of its parts and the
# totals the sum of their fields. The published memo item (international bunkers) is known not to
# add up in some years; anything else stops the load.

# %%
emissions = gir.tidy_inventory(raw, categories)
mismatches = gir.sum_mismatches(categories, emissions)
print(mismatches.to_string())
unexpected = mismatches[~mismatches["code"].map(gir.is_memo)]
if not unexpected.empty:
    raise ValueError(f"gir_inventory: parts do not add up for {sorted(set(unexpected['code']))}")
print(gir.field_values(emissions).pivot(index="year", columns="sector", values="value_mt").tail())

# %% [markdown]
# ## Save outputs

# %%
rows = load_dataset(get_engine(), gir.gir_loads(categories, emissions), dataset=pinned.name,
                    version=pinned.version, sha256=pinned.sha256, run_id=run_id)
record_step_result(step_result_path, rows_written=rows, dataset_version=pinned.version)
print(f"rows written: {rows}")
