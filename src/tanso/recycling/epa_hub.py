"""US EPA GHG Emission Factors Hub 2021, Table 9 (WARM v15 waste factors), as a comparison factor set.

Table 9 is process-only — transport, sorting, combustion; no avoided virgin production — in metric
tons CO2e per **short ton** of material. The comparison set credits a kilogram kept out of the
incinerator with what combusting it would emit minus what recycling it emits:
``(combusted − recycled) t/short ton × 1000 / 907.18474 = kg CO2e per kg``. WARM has no reuse or
upcycling pathway, so every pathway counts as recycling here (multiplier 1.0).
"""

from __future__ import annotations

import warnings

import pandas as pd
import pandera.pandas as pa

from tanso import catalog
from tanso.recycling.factors import FactorSet
from tanso.recycling.operator import operator_tables

KG_PER_SHORT_TON = 907.18474  # 2,000 lb × 0.45359237 kg/lb (exact)
TABLE_MATERIALS = {"pet": "PET", "hdpe": "HDPE", "mixed": "Mixed Plastics"}
ASSUMPTION = ("US EPA WARM v15 process emissions (EF Hub 2021, Table 9): avoided = combustion emissions "
              "minus recycling emissions, no credit for avoided virgin production; reuse and upcycling "
              "count as recycling (WARM has no such pathways).")

TABLE9_SCHEMA = pa.DataFrameSchema({
    "material": pa.Column(str, unique=True),
    "recycled": pa.Column(float, pa.Check.ge(0), nullable=True),
    "landfilled": pa.Column(float, pa.Check.ge(0), nullable=True),
    "combusted": pa.Column(float, pa.Check.ge(0), nullable=True),
}, strict=True)


class Table9NotFound(ValueError):
    pass


def t_per_short_ton_to_kg_per_kg(value: float) -> float:
    """Metric tons CO2e per short ton of material → kg CO2e per kg of material."""
    return value * 1000.0 / KG_PER_SHORT_TON


def read_table9(sheet: pd.DataFrame) -> pd.DataFrame:
    """Table 9 of the hub's single sheet (read with header=None) as material × disposal, t CO2e/short ton."""
    cells = sheet.astype(object)
    starts = [i for i, v in cells.iloc[:, 1].items() if str(v).strip() == "Table 9"]
    if not starts:
        raise Table9NotFound("the workbook has no 'Table 9'")
    header = next(i for i in range(starts[0], starts[0] + 10) if str(cells.iat[i, 2]).strip() == "Material")
    names = {str(v).strip().rstrip("ABCD").lower(): col for col, v in cells.iloc[header].items()}
    rows = []
    for i in range(header + 1, len(cells)):
        label = cells.iat[i, 2]
        if pd.isna(label) or str(label).startswith(("Source", "Notes")):
            break
        rows.append({"material": str(label).strip(),
                     **{k: pd.to_numeric(cells.iat[i, names[k]], errors="coerce")
                        for k in ("recycled", "landfilled", "combusted")}})
    frame = pd.DataFrame(rows).astype({"recycled": float, "landfilled": float, "combusted": float})
    return TABLE9_SCHEMA.validate(frame)


def materials_from_table9(table: pd.DataFrame, *, year: int) -> pd.DataFrame:
    picked = table.set_index("material").loc[list(TABLE_MATERIALS.values())]
    net = picked["combusted"] - picked["recycled"]
    return pd.DataFrame({
        "material": list(TABLE_MATERIALS),
        "base_factor": [t_per_short_ton_to_kg_per_kg(v) for v in net],
        "unit": "kg CO2e/kg",
        "recycled_t_per_short_ton": picked["recycled"].to_numpy(),
        "combusted_t_per_short_ton": picked["combusted"].to_numpy(),
        "source": "US EPA GHG Emission Factors Hub 2021, Table 9 (WARM v15): combusted − recycled",
        "year": year, "region": "US",
        "note": "process-only; no avoided production",
    })


def factor_set() -> FactorSet:
    version = catalog.dataset("epa_ef_hub").version
    with warnings.catch_warnings():  # openpyxl complains about the workbook's header/footer styling
        warnings.simplefilter("ignore")
        sheet = catalog.read("epa_ef_hub")
    _, operator = operator_tables()
    pathways = pd.DataFrame({"pathway": ["reuse", "upcycle", "recycle"], "multiplier": 1.0,
                             "source": "US EPA WARM: no reuse or upcycling pathway", "note": ""})
    equivalents = operator["equivalents"]
    return FactorSet(
        name="epa_warm", version=version,
        label="US EPA WARM v15 process factors (EF Hub 2021, Table 9), for comparison",
        assumption=ASSUMPTION, materials=materials_from_table9(read_table9(sheet), year=int(version)),
        pathways=pathways, equivalents=dict(zip(equivalents["equivalent"], equivalents["value"], strict=True)),
        kpi_tiers=operator["kpi_tiers"],
    )
