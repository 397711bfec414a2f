"""`tanso analyze sectors` and `tanso analyze decompose`: sector contributions and Kaya LMDI from the marts."""

from __future__ import annotations

import json
from typing import Annotated

import typer

app = typer.Typer()  # merged into `tanso analyze` (no group name of its own)

CountryOpt = Annotated[str, typer.Option("--country", help="Country code: ISO3 (KOR), OWID_WRL…")]
FromOpt = Annotated[int, typer.Option("--from", help="Start year")]
ToOpt = Annotated[int, typer.Option("--to", help="End year")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object")]


def _cli():
    from tanso import cli

    return cli


def _print(out: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        typer.echo(json.dumps(_cli()._json_ready(out), ensure_ascii=False, allow_nan=False))
    else:
        typer.echo("\n".join(lines))


@app.command("sectors")
def analyze_sectors(
    country: CountryOpt = "KOR",
    source: Annotated[str, typer.Option(help="gir (Korea's inventory) or climatewatch")] = "gir",
    year_from: FromOpt = 2018,
    year_to: ToOpt = 2022,
    taxonomy: Annotated[str | None, typer.Option(
        help="Sector list: the source's own [default], or climatewatch to see GIR in Climate Watch sectors")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Each sector's change between two years and its share of the total change (gross totals)."""
    from tanso.sectors.contributions import ContributionError, contributions_to_change
    from tanso.sectors.queries import GIR_COUNTRY, SOURCES, sector_emissions

    fail = _cli().fail
    source = source.strip().lower()
    if source not in SOURCES:
        fail(f"unknown source {source!r}; use one of: {', '.join(SOURCES)}")
    if taxonomy not in (None, source, "climatewatch"):
        fail(f"unknown taxonomy {taxonomy!r} for source {source}; use {source} or climatewatch")
    code = country.strip().upper()
    if source == "gir" and code != GIR_COUNTRY:
        fail(f"source gir is Korea's national inventory (KOR only), not {code}; use --source climatewatch")
    frame = sector_emissions(_cli()._engine(), source=source, country=code, taxonomy=taxonomy)
    if frame.empty:
        fail(f"unknown country {country!r}: no {source} sector data in mart.sector_emissions")
    order = frame.drop_duplicates("sector").sort_values("position")
    try:
        result = contributions_to_change(
            frame, year_from=year_from, year_to=year_to, sectors=order["sector"].tolist(),
            in_total=set(frame.loc[frame["in_gross_total"], "sector"]), what=f"{code} ({source})")
    except ContributionError as exc:
        fail(str(exc))
    excluded = order.loc[~order["in_gross_total"], "sector"].tolist()
    out = {"country": code, "source": source} | result.to_dict()
    out = {k: out[k] for k in ("country", "source", "from", "to", "unit", "total_from", "total_to",
                               "total_change", "sectors")}
    out["basis"] = f"gross: sum of the sectors except {', '.join(excluded)}"
    name = str(frame["country"].iloc[0])

    def num(value, spec="+,.1f"):
        return "–" if value is None else format(value, spec)

    lines = [f"{name} ({code}), {source}, {year_from}→{year_to}, Mt CO2e ({out['basis']})",
             f"  total {result.total_from:,.1f} → {result.total_to:,.1f}: {result.total_change:+,.1f}"]
    for s in result.sectors:
        lines.append(f"  {s.sector:<28} {num(s.value_from, ',.1f'):>8} → {num(s.value_to, ',.1f'):>8}  "
                     f"{num(s.change):>8}  {num(s.share_of_change_pct, '+.1f'):>7} % of change"
                     + ("" if s.in_total else "  (not in total)"))
    if result.missing:  # never summed as 0: said, and those sectors are left out of both totals
        lines.append("  no value, left out of the totals: "
                     + ", ".join(f"{sector} {year}" for sector, year in result.missing))
    _print(out, as_json, lines)


@app.command("decompose")
def analyze_decompose(
    country: CountryOpt = "KOR",
    year_from: FromOpt = 2000,
    year_to: ToOpt = 2020,
    as_json: JsonOpt = False,
) -> None:
    """Kaya LMDI-I of the CO2 change: population, affluence, energy and carbon intensity (Mt CO2)."""
    from tanso.sectors.lmdi import DecompositionError, kaya_between
    from tanso.sectors.queries import kaya_inputs

    fail = _cli().fail
    code = country.strip().upper()
    frame = kaya_inputs(_cli()._engine(), countries=[code])
    if frame.empty:
        fail(f"unknown country {country!r}: no rows in mart.national with that country_code")
    try:
        result = kaya_between(frame, country=code, year_from=year_from, year_to=year_to)
    except DecompositionError as exc:
        fail(str(exc))
    out = {"country": code, "from": year_from, "to": year_to, "unit": "Mt CO2",
           "co2_from": result.value_from, "co2_to": result.value_to, "total_change": result.change,
           "effects": result.effects, "ratios": result.ratios,
           "inputs": "OWID co2, population, gdp, primary_energy_consumption (mart.national)"}
    lines = [(f"{frame['country'].iloc[0]} ({code}) CO2 {year_from}→{year_to}: "
              f"{result.value_from:,.1f} → {result.value_to:,.1f} Mt ({result.change:+,.1f})")]
    lines += [f"  {k:<18} {v:+10,.1f} Mt  (×{result.ratios[k]:.3f})" for k, v in result.effects.items()]
    _print(out, as_json, lines)
