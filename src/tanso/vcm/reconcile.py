"""Which sources have each project, one merged row per project, and where sources disagree.

Sources are compared after normalisation (canonical ids, registry names, country spellings,
type names without case or punctuation), so a disagreement is a real difference, not a
spelling. Types are compared between VROD and OffsetsDB only, which both use Berkeley's
type names (registries use their own). Totals are compared only between sources that report a project's complete totals
(VROD, and registry project lists that carry totals such as Isometric's) — the registry
samples' transaction rows are partial and would disagree with everything.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from tanso.errors import validated
from tanso.vcm import offsetsdb
from tanso.vcm.checks import read_mapping
from tanso.vcm.schema import PROJECT_COLUMNS, QUANTITY_FIELDS, TEXT_FIELDS

COUNTRY_ALIASES: dict[str, str] = read_mapping(__file__, "country_aliases.json")
# Which source's value a merged project shows, first that has one. VROD is the curated,
# complete list; registry exports are the registries' own words; OffsetsDB adds categories.
PRIORITY = ("vrod", "verra", "gold-standard", "american-carbon-registry",
            "climate-action-reserve", "art-trees", "isometric", "cercarbono", "offsetsdb",
            "vrod-2021")
COMPARED = ("registry", "country", "project_type", "issued", "retired")
DEFAULT_TOLERANCE = 0.01  # relative difference in issued/retired totals that is noise


def _fold(text: pd.Series) -> pd.Series:
    return text.astype("string").str.strip().str.lower().map(
        lambda t: unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
        if isinstance(t, str) else None).astype("string")


def normalise_countries(country: pd.Series) -> pd.Series:
    """'US', 'UNITED STATES OF AMERICA', 'United States' → 'United States'."""
    folded = country.astype("string").str.strip().str.lower()
    aliased = folded.map(COUNTRY_ALIASES)
    titled = country.astype("string").str.strip().map(
        lambda t: t.title() if isinstance(t, str) and t.isupper() and len(t) > 3 else t)
    return aliased.fillna(titled).astype("string")


def _comparable(field: str, values: pd.Series) -> pd.Series:
    if field == "country":
        return _fold(normalise_countries(values))
    if field == "project_type":
        return _fold(values).str.replace(r"[^a-z0-9]+", "", regex=True)
    return values


def presence(source_projects: pd.DataFrame) -> pd.DataFrame:
    """One row per project: its sources, and in_vrod / in_offsetsdb / in_registry_export."""
    has = pd.crosstab(source_projects["project_id"], source_projects["source"]) > 0
    names = has.columns.to_numpy()
    frame = pd.DataFrame(index=has.index)
    frame["sources"] = pd.Series([",".join(names[row]) for row in has.to_numpy()],
                                 index=has.index, dtype="string")
    empty = pd.Series(False, index=has.index)
    frame["in_vrod"] = has.get("vrod", empty)
    frame["in_offsetsdb"] = has.get("offsetsdb", empty)
    exports = [c for c in has.columns if c not in ("vrod", "offsetsdb", "vrod-2021")]
    frame["in_registry_export"] = has[exports].any(axis=1) if exports else empty
    return frame.rename_axis("project_id").reset_index()


def merge_projects(source_projects: pd.DataFrame) -> pd.DataFrame:
    """One row per project: each field from the first source (in PRIORITY) that has it,
    plus `sources`, and an OffsetsDB category derived from type or methodology when no
    source gives one."""
    rank = source_projects["source"].map({s: i for i, s in enumerate(PRIORITY)})
    ordered = source_projects.assign(_rank=rank).sort_values(["project_id", "_rank"])
    fields = [c for c in PROJECT_COLUMNS if c not in ("project_id", "source", "source_id")]
    merged = ordered.groupby("project_id", sort=True)[fields].first()
    merged["category"] = merged["category"].fillna(offsetsdb.category_of(
        project_type=merged["project_type"], methodology=merged["methodology"]))
    merged = merged.join(presence(source_projects).set_index("project_id"))
    return validated(MERGED, merged.reset_index(), source="vcm merged projects", key=("project_id",))


MERGED = pa.DataFrameSchema(
    {"project_id": pa.Column("string", unique=True),
     "registry": pa.Column("string"),
     "sources": pa.Column("string"),
     **{f: pa.Column("float64", nullable=True) for f in QUANTITY_FIELDS},
     **{f: pa.Column("string", nullable=True) for f in TEXT_FIELDS}},
    name="vcm merged projects")


def find_disagreements(source_projects: pd.DataFrame, *,
                       tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """Pairs of sources that give a project different registry, country, type or totals.

    Each source is compared with VROD (the reference list), and OffsetsDB with the
    registries' own exports; totals differ when |a − b| > tolerance × max(a, b).
    """
    rows = []
    for field in COMPARED:
        values = source_projects[["project_id", "source", field]].dropna(subset=[field])
        values = values.assign(_cmp=_comparable(field, values[field]))
        wide = values.pivot_table(index="project_id", columns="source", values=field,
                                  aggfunc="first")
        cmp = values.pivot_table(index="project_id", columns="source", values="_cmp",
                                 aggfunc="first")
        reference = "vrod" if "vrod" in cmp.columns else None
        for other in cmp.columns:
            if reference is None or other == reference:
                continue
            if field == "project_type" and other != "offsetsdb":
                continue  # registries name types in their own words; only Berkeley's compare
            both = cmp[[reference, other]].dropna()
            if field in ("issued", "retired"):
                a, b = both[reference].astype(float), both[other].astype(float)
                differ = (a - b).abs() > tolerance * pd.concat([a, b], axis=1).max(axis=1)
            else:
                differ = both[reference] != both[other]
            for project_id in both.index[differ]:
                rows.append((project_id, field, reference, str(wide.at[project_id, reference]),
                             other, str(wide.at[project_id, other])))
    frame = pd.DataFrame(rows, columns=["project_id", "field", "source_a", "value_a",
                                        "source_b", "value_b"]).astype("string")
    return frame.sort_values(["project_id", "field", "source_b"]).reset_index(drop=True)


@dataclass(frozen=True)
class Reconciliation:
    both: int             # projects in VROD and in OffsetsDB's list
    vrod_only: int
    offsetsdb_only: int
    disagreements: dict[str, int]  # field → projects where sources disagree

    def as_dict(self) -> dict:
        return {"both": self.both, "vrod_only": self.vrod_only,
                "offsetsdb_only": self.offsetsdb_only, "disagreements": self.disagreements}


def summarise(merged: pd.DataFrame, disagreements: pd.DataFrame) -> Reconciliation:
    counts = disagreements.groupby("field")["project_id"].nunique()
    return Reconciliation(
        both=int((merged["in_vrod"] & merged["in_offsetsdb"]).sum()),
        vrod_only=int((merged["in_vrod"] & ~merged["in_offsetsdb"]).sum()),
        offsetsdb_only=int((~merged["in_vrod"] & merged["in_offsetsdb"]).sum()),
        disagreements={field: int(counts.get(field, 0)) for field in COMPARED},
    )
