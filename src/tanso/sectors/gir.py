"""Korea's national inventory (GIR, catalog entry `gir_inventory`) → category tree and long values.

The published CSV is one row per year and 161 columns whose headers do not name the hierarchy
unambiguously (two columns share a header, one is mislabelled). So columns are identified by
position with `gir_categories.csv` beside this module: for each position its header as
published, IPCC code, parent code, Korean and English name. A file whose headers differ from
that list is refused rather than guessed at.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from tanso.db.load import TableLoad
from tanso.emissions.national import InputError
from tanso.errors import narrowed, validated
from tanso.sectors.taxonomy import sectors_load

CATEGORIES_CSV = Path(__file__).with_name("gir_categories.csv")
# The five fields (분야) by IPCC code, as sector keys of the `gir` taxonomy in sectors.csv.
FIELDS = {"1": "energy", "2": "ippu", "3": "agriculture", "4": "lulucf", "5": "waste"}
TOTALS = {"TOTAL_GROSS": ("1", "2", "3", "5"), "TOTAL_NET": ("1", "2", "3", "4", "5")}
MEMO = "M"
CONFIDENTIAL = "C"
# Published values carry two to five decimals: parts may differ from their sum by rounding only.
SUM_TOLERANCE_KT = 0.02
LEVEL_NAMES = {0: "total", 1: "field", 2: "category"}  # deeper levels are items (세부 항목)


def read_categories(path: Path = CATEGORIES_CSV) -> pd.DataFrame:
    """The inventory tree: code, parent_code, level, position, names, field, is_leaf."""
    tree = pd.read_csv(path, dtype=str, keep_default_na=False)
    tree["position"] = tree["position"].astype("int16")
    tree["parent_code"] = tree["parent_code"].replace("", pd.NA)
    parents = dict(zip(tree["code"], tree["parent_code"], strict=True))
    unknown = sorted(set(tree["parent_code"].dropna()) - set(parents))
    if unknown:
        raise InputError(f"{path.name}: parent codes not in the tree: {', '.join(unknown)}")

    def ancestry(code: str) -> list[str]:
        chain = [code]
        while isinstance(parents[chain[-1]], str):
            chain.append(parents[chain[-1]])
        return chain

    chains = tree["code"].map(ancestry)
    tree["level"] = chains.map(lambda c: 0 if c[-1].startswith("TOTAL") else len(c)).astype("int16")
    tree["field"] = chains.map(lambda c: FIELDS.get(c[-1], pd.NA)).astype("string")
    tree["is_leaf"] = ~tree["code"].isin(tree["parent_code"].dropna()) & tree["level"].gt(0)
    tree["note"] = tree["note"].replace("", pd.NA)
    for column in ("code", "parent_code", "source_column", "name_ko", "name_en", "note"):
        tree[column] = tree[column].astype("string")
    return validated(CATEGORIES_SCHEMA, tree, source=path.name)


def read_inventory(data: bytes | str | Path) -> pd.DataFrame:
    """The published CSV as strings, header row included (decoded from cp949)."""
    raw = Path(data).read_bytes() if isinstance(data, (str, Path)) else data
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError as exc:
        raise InputError(f"gir_inventory: not cp949 text ({exc})") from None
    return pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False)


def tidy_inventory(raw: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Long values: code, year, value_kt (NULL where the source marks the value confidential)."""
    header = raw.iloc[0]
    expected = dict(zip(categories["position"], categories["source_column"], strict=True))
    if raw.shape[1] != len(expected) + 1:
        raise InputError(f"gir_inventory: {raw.shape[1] - 1} category columns, the tree has {len(expected)}")
    moved = [f"column {pos}: {header[pos]!r} (expected {name!r})"
             for pos, name in expected.items() if header[pos] != name]
    if moved:
        raise InputError("gir_inventory: the header differs from gir_categories.csv — "
                         + "; ".join(moved[:5]) + (" …" if len(moved) > 5 else ""))
    body = raw.iloc[1:].reset_index(drop=True)
    years = pd.to_numeric(body[0], errors="coerce")
    if years.isna().any():
        raise InputError(f"gir_inventory: year column has {body.loc[years.isna(), 0].tolist()}")
    values = body.drop(columns=[0]).replace({CONFIDENTIAL: "", " ": ""})
    numbers = values.apply(lambda col: pd.to_numeric(col.str.replace(",", ""), errors="coerce"))
    bad = numbers.isna() & values.ne("")
    if bad.any().any():
        row, col = next(zip(*bad.to_numpy().nonzero(), strict=True))
        raise InputError(f"gir_inventory: not a number in year {int(years[row])}, column "
                         f"{header[col + 1]!r}: {values.iat[row, col]!r}")
    numbers.columns = [categories.set_index("position").loc[p, "code"] for p in numbers.columns]
    numbers.insert(0, "year", narrowed(years, "int16", source="gir_inventory"))
    long = numbers.melt(id_vars="year", var_name="code", value_name="value_kt")
    long = long[long["code"] != MEMO]  # a heading row of the source: never a value
    long = long.astype({"code": "string", "value_kt": "float64"})[["code", "year", "value_kt"]]
    return validated(EMISSIONS_SCHEMA, long.sort_values(["code", "year"]).reset_index(drop=True),
                     source="gir_inventory", key=("code", "year"))


def sum_mismatches(categories: pd.DataFrame, emissions: pd.DataFrame) -> pd.DataFrame:
    """Parents (and the two totals) whose value differs from the sum of their parts, per year.

    Returns code, year, value_kt, parts_kt, difference_kt. Confidential parts count as missing,
    so a parent with one is not compared.
    """
    wide = emissions.pivot(index="year", columns="code", values="value_kt")
    parts = {p: list(g["code"]) for p, g in categories.dropna(subset=["parent_code"])
             .groupby("parent_code")}
    parts.update({total: list(fields) for total, fields in TOTALS.items()})
    rows = []
    for parent, children in parts.items():
        if parent not in wide:
            continue
        complete = wide[children].notna().all(axis=1)
        total = wide[children].sum(axis=1, min_count=1)
        diff = (wide[parent] - total)[complete & wide[parent].notna()]
        for year, d in diff[diff.abs() > SUM_TOLERANCE_KT].items():
            rows.append({"code": parent, "year": int(year), "value_kt": wide.at[year, parent],
                         "parts_kt": total[year], "difference_kt": d})
    return pd.DataFrame(rows, columns=["code", "year", "value_kt", "parts_kt", "difference_kt"])


def field_values(emissions: pd.DataFrame) -> pd.DataFrame:
    """year, sector (energy, ippu, agriculture, lulucf, waste), value_mt."""
    fields = emissions[emissions["code"].isin(list(FIELDS))]
    return pd.DataFrame({"year": fields["year"].to_numpy(),
                         "sector": fields["code"].map(FIELDS).to_numpy(),
                         "value_mt": fields["value_kt"].to_numpy() / 1000.0})


def is_memo(code: str) -> bool:
    return code == MEMO or code.startswith(MEMO + ".")


CATEGORIES_SCHEMA = pa.DataFrameSchema(
    {
        "position": pa.Column("int16", unique=True),
        "source_column": pa.Column("string"),
        "code": pa.Column("string", unique=True),
        "parent_code": pa.Column("string", nullable=True),
        "name_ko": pa.Column("string", pa.Check.str_length(min_value=1)),
        "name_en": pa.Column("string", pa.Check.str_length(min_value=1)),
        "note": pa.Column("string", nullable=True),
        "level": pa.Column("int16", pa.Check.in_range(0, 6)),
        "field": pa.Column("string", nullable=True),
        "is_leaf": pa.Column(bool),
    },
    strict=True,
)

EMISSIONS_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column("string"),
        "year": pa.Column("int16", pa.Check.in_range(1990, 2100)),
        "value_kt": pa.Column("float64", nullable=True,
                              checks=pa.Check(lambda s: s.abs() < 5e6, element_wise=False,
                                              name="below 5 Gt (larger is a unit error)")),
    },
    unique=["code", "year"],
    strict=True,
)



def gir_loads(categories: pd.DataFrame, emissions: pd.DataFrame) -> list[TableLoad]:
    # the tree is upserted, never emptied: the sector mapping (its own dataset) refers to it
    return [sectors_load(),
            TableLoad("core.gir_categories", categories, key=("code",), mode="upsert"),
            TableLoad("core.gir_emissions", emissions, key=("code", "year"))]
