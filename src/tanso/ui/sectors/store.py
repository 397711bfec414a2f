"""State and derived data of the sector-contribution app: one store, its parameters are the URL.

Everything the views draw is computed here from frames read once per session from the marts
(mart.sector_emissions, mart.gir_tree, mart.national) by the domain functions of
`tanso.sectors`, so a control change is pure pandas work on a few thousand rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import pandas as pd
import param
import sqlalchemy as sa

from tanso.sectors import queries
from tanso.sectors.bases import compare_bases
from tanso.sectors.contributions import Contributions, contributions_to_change
from tanso.sectors.lmdi import (
    KAYA_INPUTS,
    Decomposition,
    DecompositionError,
    kaya_between,
    sectors_by_gdp_between,
)
from tanso.ui.i18n import t
from tanso.ui.national.names import entity_name
from tanso.ui.per_version import per_version

TABS = ("levels", "waterfall", "categories", "decompose", "compare", "bases")
SOURCES = ("gir", "climatewatch")
DEFAULT_COMPARE = ("KOR", "JPN", "DEU", "USA", "CHN", "GBR")
URL_PARAMETERS = {"country": "country", "source": "source", "taxonomy": "taxonomy", "year_from": "from",
                  "year_to": "to", "mode": "view", "tab": "tab", "tree_year": "tree_year",
                  "compare": "compare"}
DERIVED_KEPT = 512  # derived frames per process (a few kB each)


@dataclass(frozen=True)
class SectorData:
    """What a session reads from the database, once."""

    emissions: pd.DataFrame   # mart.sector_emissions (all sources, taxonomies and countries)
    tree: pd.DataFrame        # mart.gir_tree
    kaya: pd.DataFrame        # mart.national: country_code, country, kind, year, Kaya inputs, totals
    versions: dict[str, str]  # dataset → loaded version
    # derived once per process (a control change then only looks frames up)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)
    _derived: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def cached(self, key: tuple, compute):
        """``compute()`` once per process for ``key`` (everything the result depends on), shared by
        the sessions of a process; the newest DERIVED_KEPT results are kept. Results are never mutated."""
        with self._lock:
            if key in self._derived:
                self._derived.move_to_end(key)
                return self._derived[key]
        value = compute()  # outside the lock: two sessions may compute the same key once each, harmlessly
        with self._lock:
            self._derived[key] = value
            while len(self._derived) > DERIVED_KEPT:
                self._derived.popitem(last=False)
        return value

    def countries(self, source: str) -> dict[str, str]:
        key = ("countries", source)
        if key not in self._memo:
            rows = self.emissions[self.emissions["source"] == source].drop_duplicates("country_code")
            self._memo[key] = dict(zip(rows["country_code"], rows["country"]))
        return self._memo[key]

    def name(self, code: str) -> str:
        """The English (OWID) name of a country code, the code itself when unknown."""
        return self.countries("climatewatch").get(code, code)

    def rows(self, source: str, taxonomy: str, code: str) -> pd.DataFrame:
        """Sector rows of one source, taxonomy and country (empty when there are none)."""
        if "groups" not in self._memo:
            self._memo["groups"] = {key: group for key, group in
                                    self.emissions.groupby(["source", "taxonomy", "country_code"])}
        return self._memo["groups"].get((source, taxonomy, code), self.emissions.iloc[:0])


def load_sector_data(engine: sa.Engine) -> SectorData:
    """The marts as read, shared by the sessions of a process until a new version is loaded."""
    from tanso.emissions.queries import loaded_versions

    return _sector_data(engine, tuple(sorted(loaded_versions(engine).items())))


@per_version(max_items=1)  # one version in memory: sessions still open keep theirs
def _sector_data(engine: sa.Engine, versions: tuple[tuple[str, str], ...]) -> SectorData:
    return _read(engine, dict(versions))


def _read(engine: sa.Engine, versions: dict[str, str]) -> SectorData:
    with engine.connect() as conn:
        emissions = pd.read_sql(sa.text("SELECT * FROM mart.sector_emissions ORDER BY year, position"), conn)
        kaya = pd.read_sql(sa.text(
            f"SELECT country_code, country, kind, year, {', '.join(KAYA_INPUTS)}, total_ghg, "  # nosec B608
            "total_ghg_excluding_lucf FROM mart.national WHERE kind = 'country' OR country_code = 'OWID_WRL'"),
            conn)
    return SectorData(emissions=emissions, tree=queries.gir_tree(engine), kaya=kaya, versions=versions)


class CodeList(param.List):
    """Country codes in the URL as one comma-separated value."""

    @classmethod
    def serialize(cls, value):
        return ",".join(value)

    @classmethod
    def deserialize(cls, value):
        return [c.strip().upper() for c in str(value).split(",") if c.strip()]


class SectorStore(param.Parameterized):
    data = param.ClassSelector(class_=SectorData, doc="The marts as read for this session")
    lang = param.Selector(default="en", objects=["en", "ko"], doc="Language of labels")
    country = param.String(default="KOR", doc="Country code (ISO3)")
    source = param.Selector(default="gir", objects=list(SOURCES),
                            doc="gir: Korea's inventory; climatewatch: any country")
    taxonomy = param.Selector(default="own", objects=["own", "climatewatch"],
                              doc="Sectors of the source itself, or GIR regrouped into Climate Watch sectors")
    year_from = param.Integer(default=2018, bounds=(1990, 2100), doc="Start of the comparison")
    year_to = param.Integer(default=2022, bounds=(1990, 2100), doc="End of the comparison")
    mode = param.Selector(default="stacked", objects=["stacked", "share"], doc="Levels or 100 % shares")
    tab = param.Selector(default="levels", objects=list(TABS), doc="Active tab")
    tree_year = param.Integer(default=2022, bounds=(1990, 2100), doc="Year of the category sunburst")
    compare = CodeList(default=list(DEFAULT_COMPARE), item_type=str, doc="Countries compared")
    url_problems = param.List(default=[], doc="Link values that could not be applied")

    def apply_url_values(self, values: dict) -> None:
        bad = []
        for name, value in values.items():
            try:
                self.param.update(**{name: value})
            except Exception:
                bad.append(f"{URL_PARAMETERS.get(name, name)}={value}")
        if bad:
            self.url_problems = self.url_problems + bad

    # ---------------------------------------------------------------- selection
    def country_name(self, code: str) -> str:
        """A country's name in the page's language (Korean from the national app's CLDR names)."""
        return entity_name(self.data, code, self.lang)

    def country_options(self) -> dict[str, str]:
        """"Name (CODE)" → code of every country with sector data, sorted by name in the page's language."""
        return self.data.cached(("country_options", self.lang), lambda: dict(sorted(
            ((f"{self.country_name(code)} ({code})", code) for code in self.data.countries("climatewatch")),
            key=lambda kv: kv[0])))

    @property
    def code(self) -> str:
        return self.country.strip().upper()

    @property
    def effective_source(self) -> str:
        """GIR is Korea's own inventory: any other country is read from Climate Watch."""
        return self.source if self.code == queries.GIR_COUNTRY else "climatewatch"

    @property
    def effective_taxonomy(self) -> str:
        return self.effective_source if self.taxonomy == "own" else "climatewatch"

    def problem(self) -> str | None:
        """Why the current selection cannot be shown, as plain text; None when it can."""
        if self.code not in self.data.countries("climatewatch") and self.code != queries.GIR_COUNTRY:
            return t("sc.error.country", self.lang, code=self.country)
        if self.year_from >= self.year_to:
            return t("sc.error.years", self.lang, start=self.year_from, end=self.year_to)
        first, last = self.year_span()
        for year in (self.year_from, self.year_to):
            if not first <= year <= last:
                return t("sc.error.year", self.lang, year=year, first=first, last=last)
        return None

    def frame(self) -> pd.DataFrame:
        """Sector values of the selection: year, sector, label, in_gross_total, value_mt."""
        return self.data.cached(("frame", *self.selection, self.lang), self._frame)

    def _frame(self) -> pd.DataFrame:
        rows = self.data.rows(*self.selection)
        return rows.assign(label=rows[f"name_{self.lang}"])

    def year_span(self) -> tuple[int, int]:
        years = self.data.rows(*self.selection)["year"]
        return (int(years.min()), int(years.max())) if len(years) else (1990, 2022)

    def sectors(self) -> pd.DataFrame:
        """sector, label, in_gross_total in display order."""
        return self.data.cached(("sectors", *self.selection, self.lang), lambda: self.frame().drop_duplicates(
            "sector").sort_values("position")[["sector", "label", "in_gross_total"]])

    # ---------------------------------------------------------------- derived
    # Each derived frame is cached per process under the selection it depends on (`SectorData.cached`),
    # so going back to a country, period or year already seen costs a dictionary look-up.
    @property
    def selection(self) -> tuple:
        return (self.effective_source, self.effective_taxonomy, self.code)

    def levels(self) -> pd.DataFrame:
        """year, sector, label, value_mt and share_pct of the gross total (LULUCF below zero)."""
        return self.data.cached(("levels", *self.selection, self.lang), self._levels)

    def _levels(self) -> pd.DataFrame:
        frame = self.frame()
        gross = frame[frame["in_gross_total"]].groupby("year")["value_mt"].sum()
        shown = frame[frame["sector"] != "bunker_fuels"]  # memo: outside every total
        return shown.assign(share_pct=shown["value_mt"] / shown["year"].map(gross) * 100)[
            ["year", "sector", "label", "in_gross_total", "value_mt", "share_pct"]]

    def contributions(self) -> Contributions:
        return self.data.cached(("contributions", *self.selection, self.year_from, self.year_to),
                                self._contributions)

    def _contributions(self) -> Contributions:
        frame, order = self.frame(), self.sectors()
        return contributions_to_change(
            frame, year_from=self.year_from, year_to=self.year_to, sectors=order["sector"].tolist(),
            in_total=set(order.loc[order["in_gross_total"], "sector"]), what=self.code)

    def contributions_frame(self) -> pd.DataFrame:
        return self.data.cached(("contributions_frame", *self.selection, self.year_from, self.year_to,
                                 self.lang), self._contributions_frame)

    def _contributions_frame(self) -> pd.DataFrame:
        result, labels = self.contributions(), dict(zip(self.sectors()["sector"], self.sectors()["label"]))
        rows = [{"sector": s.sector, "label": labels[s.sector], "value_from": s.value_from,
                 "value_to": s.value_to, "change": s.change, "share_of_change_pct": s.share_of_change_pct,
                 "in_total": s.in_total} for s in result.sectors]
        return pd.DataFrame(rows)

    def tree(self) -> pd.DataFrame:
        return self.data.cached(("tree", self.tree_year, self.lang), self._tree)

    def _tree(self) -> pd.DataFrame:
        rows = self.data.tree[self.data.tree["year"] == self.tree_year]
        return rows.assign(label=rows[f"name_{self.lang}"])

    def kaya_rows(self) -> pd.DataFrame:
        return self.data.kaya[self.data.kaya["country_code"] == self.code]

    def decomposition(self) -> Decomposition:
        return self.data.cached(("decomposition", self.code, self.year_from, self.year_to),
                                self._decomposition)

    def _decomposition(self) -> Decomposition:
        rows = self.kaya_rows()
        if rows.empty:
            raise DecompositionError(t("sc.error.country", self.lang, code=self.country))
        return kaya_between(rows, country=self.code, year_from=self.year_from, year_to=self.year_to)

    def sector_decomposition(self) -> Decomposition:
        """The gross total's change split into GDP (activity) and each counted sector's emissions per GDP."""
        return self.data.cached(("sector_decomposition", *self.selection, self.year_from, self.year_to),
                                self._sector_decomposition)

    def _sector_decomposition(self) -> Decomposition:
        frame = self.frame()
        gdp = self.kaya_rows().set_index("year")["gdp"]
        return sectors_by_gdp_between(frame[frame["in_gross_total"]], gdp, what=self.code,
                                      year_from=self.year_from, year_to=self.year_to)

    def factor_trends(self) -> pd.DataFrame:
        """year, factor, index (year_from = 100) of the four Kaya factors and CO2."""
        return self.data.cached(("factor_trends", self.code, self.year_from, self.year_to), self._factor_trends)

    def _factor_trends(self) -> pd.DataFrame:
        rows = self.kaya_rows().set_index("year").loc[self.year_from:self.year_to].dropna(
            subset=list(KAYA_INPUTS))
        factors = pd.DataFrame({
            "population": rows["population"], "affluence": rows["gdp"] / rows["population"],
            "energy_intensity": rows["primary_energy_consumption"] / rows["gdp"],
            "carbon_intensity": rows["co2"] / rows["primary_energy_consumption"], "co2": rows["co2"]})
        if factors.empty:
            return pd.DataFrame(columns=["year", "factor", "index"])
        index = factors / factors.iloc[0] * 100
        return index.reset_index().melt(id_vars="year", var_name="factor", value_name="index")

    def comparison(self) -> pd.DataFrame:
        """country_code, country, sector, label, share_pct of each compared country's gross total in year_to."""
        return self.data.cached(("comparison", tuple(self.compare), self.year_to, self.lang), self._comparison)

    def _comparison(self) -> pd.DataFrame:
        codes = dict.fromkeys(self.compare)  # in order, once each
        rows = pd.concat([self.data.rows("climatewatch", "climatewatch", code) for code in codes]
                         or [self.data.emissions.iloc[:0]])
        rows = rows[(rows["year"] == self.year_to) & (rows["sector"] != "bunker_fuels")]
        gross = rows[rows["in_gross_total"]].groupby("country_code")["value_mt"].sum()
        return rows.assign(label=rows[f"name_{self.lang}"], country=rows["country_code"].map(self.country_name),
                           share_pct=rows["value_mt"] / rows["country_code"].map(gross) * 100)[
            ["country_code", "country", "sector", "label", "position", "value_mt", "share_pct"]]

    def unknown_compare(self) -> list[str]:
        return [c for c in self.compare if c not in self.data.countries("climatewatch")]

    def bases(self) -> pd.DataFrame:
        return self.data.cached(("bases",), self._bases)

    def _bases(self) -> pd.DataFrame:
        e = self.data.emissions
        gir = e[(e["source"] == "gir") & (e["taxonomy"] == "gir")][["year", "sector", "value_mt"]]
        cw = e[(e["source"] == "climatewatch") & (e["country_code"] == queries.GIR_COUNTRY)][
            ["year", "sector", "value_mt"]]
        national = self.data.kaya[self.data.kaya["country_code"] == queries.GIR_COUNTRY][
            ["year", "total_ghg", "total_ghg_excluding_lucf"]]
        return compare_bases(gir_fields=gir, national=national[national["year"] >= 1990], climatewatch=cw)

    def source_caption(self, kind: str) -> str:
        """'Source: … (version)' for a chart of `kind` (sectors, sectors_gdp, tree, kaya, compare, bases)."""
        v = self.data.versions
        parts = {name: t(f"sc.dataset.{name}", self.lang, version=v.get(key, "?")) for name, key in (
            ("gir", "gir_inventory"), ("climatewatch", "climatewatch_sectors"), ("mapping", "sector_mapping"),
            ("owid", "owid_co2"))}
        if kind in ("sectors", "sectors_gdp"):
            names = [parts[self.effective_source]]
            if self.effective_source == "gir" and self.effective_taxonomy == "climatewatch":
                names.append(parts["mapping"])
            if kind == "sectors_gdp":
                names.append(parts["owid"])
        else:
            names = {"tree": [parts["gir"], parts["mapping"]], "kaya": [parts["owid"]],
                     "compare": [parts["climatewatch"]],
                     "bases": [parts["gir"], parts["owid"], parts["climatewatch"]]}[kind]
        return t("sc.source", self.lang, names=" · ".join(names))

