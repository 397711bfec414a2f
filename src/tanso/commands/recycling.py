"""`tanso recycling`: the recycling-campaign calculator from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Recycling-campaign CO2 reductions (seed 003 model and US EPA WARM comparison).",
                  no_args_is_help=True)

FactorsOpt = Annotated[str | None, typer.Option(
    "--factors", help="Factor set NAME[@VERSION]: operator (default) or epa_warm")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object")]


def _fail(message: str) -> None:
    from tanso.cli import fail

    fail(message)


def _factors(spec: str | None):
    from tanso.recycling.factors import UnknownFactorSet, load_factor_set

    try:
        return load_factor_set(spec)
    except UnknownFactorSet as exc:
        _fail(str(exc))


def _rounded(value, digits: int = 6):
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    return value


@app.command("estimate")
def estimate(
    material: Annotated[str, typer.Option("--material", help="mixed | pet | hdpe")] = "mixed",
    reuse: Annotated[float, typer.Option("--reuse", help="kg reused (repaired, donated)")] = 0.0,
    upcycle: Annotated[float, typer.Option("--upcycle", help="kg upcycled")] = 0.0,
    recycle: Annotated[float, typer.Option("--recycle", help="kg recycled")] = 0.0,
    factors: FactorsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """CO2 avoided by one material's reuse / upcycling / recycling, with equivalents."""
    import math

    import pandas as pd

    from tanso.recycling import MATERIALS, summarise_campaign
    from tanso.recycling.validation import MATERIAL_ALIASES

    key = material.strip().lower()
    key = MATERIAL_ALIASES.get(key, key)
    if key not in MATERIALS:
        _fail(f"--material: {material!r} is not one of {', '.join(MATERIALS)}")
    for option, kg in (("--reuse", reuse), ("--upcycle", upcycle), ("--recycle", recycle)):
        if not math.isfinite(kg) or kg < 0:
            _fail(f"{option}: {kg:g} is not a weight in kg (zero or more)")
    if reuse + upcycle + recycle == 0:
        _fail("nothing collected: give --reuse, --upcycle or --recycle in kg")
    chosen = _factors(factors)
    entries = pd.DataFrame({"material": key, "pathway": ["reuse", "upcycle", "recycle"],
                            "kg": [reuse, upcycle, recycle]})
    result = summarise_campaign(entries, factors=chosen)
    out = _rounded({
        "material": key, "base_factor": chosen.base_factor(key), "total_kg": result.total_kg,
        "reduction_kg_co2": result.reduction_kg, "by_pathway": result.by_pathway,
        "weighted_factor": result.weighted_factor, "per_kg": result.per_kg,
        "equivalents": result.equivalents.to_dict(),
        "times_pet_recycling": result.times_pet_recycling, "factor_set": chosen.describe(),
    })
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, allow_nan=False))
        return
    eq = result.equivalents
    typer.echo(f"{result.total_kg:,.1f} kg of {key}: {result.reduction_kg:,.2f} kg CO2e avoided "
               f"({result.per_kg:.4g} kg per kg; weighted pathway factor {result.weighted_factor:.4g})")
    for pathway, kg in result.by_pathway.items():
        typer.echo(f"  {pathway:<8} {kg:>12,.2f} kg CO2e")
    typer.echo(f"  = {eq.trees:,.0f} trees for a year, {eq.car_years:,.2f} car-years, "
               f"{eq.sea_ice_m2:,.1f} m² of Arctic sea ice; {result.times_pet_recycling:.2f}× PET recycling")
    typer.echo(f"factors: {chosen.id} — {chosen.assumption}")


@app.command("factors")
def factors_list(as_json: JsonOpt = False) -> None:
    """The factor sets with version, source and per-material factors."""
    from tanso.recycling.factors import factor_set_names

    sets = [_factors(name) for name in factor_set_names()]
    rows = [s.describe() | {
        "materials": dict(zip(s.materials["material"], s.materials["base_factor"].round(6), strict=True)),
        "pathways": dict(zip(s.pathways["pathway"], s.pathways["multiplier"], strict=True))} for s in sets]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(f"{row['name']}@{row['version']}: {row['label']}")
        typer.echo("  kg CO2e/kg: " + ", ".join(f"{m} {v:.4g}" for m, v in row["materials"].items())
                   + " | multipliers: " + ", ".join(f"{p} {v:g}" for p, v in row["pathways"].items()))


@app.command("check")
def check(
    input_path: Annotated[Path, typer.Option("--input", help="JSON of stated figures (see StatedFigures)")],
    factors: FactorsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a report's stated figures against their parts; exit 1 listing each discrepancy."""
    from tanso.recycling.validation import StatedFigures, check_stated_figures

    try:
        raw = json.loads(input_path.read_text(encoding="utf-8"))
        stated = StatedFigures(**raw)
    except FileNotFoundError:
        _fail(f"--input: {input_path} does not exist")
    except json.JSONDecodeError as exc:
        _fail(f"--input: {input_path} is not valid JSON ({exc.msg}, line {exc.lineno})")
    except TypeError as exc:
        _fail(f"--input: {exc}")
    found = check_stated_figures(stated, factors=_factors(factors))
    if as_json:
        typer.echo(json.dumps([{"field": d.field, "stated": d.stated, "corrected": round(d.corrected, 6),
                                "difference": round(d.difference, 6), "reason": d.reason} for d in found],
                              ensure_ascii=False))
    else:
        for d in found:
            typer.echo(d.message())
        if not found:
            typer.echo("every stated figure agrees with its parts")
    if found:
        raise typer.Exit(1)
