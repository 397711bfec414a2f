"""`tanso footprint`: one day's personal carbon footprint from a DAY.json file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Personal carbon footprint of a day (seed 002 factors, Korean factors, Climatiq).",
                  no_args_is_help=True)


def _fail(message: str) -> None:
    from tanso.cli import fail

    fail(message)


def _rounded(value, digits: int = 6):
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v, digits) for v in value]
    return value


@app.command("estimate")
def estimate(
    input_path: Annotated[Path, typer.Option("--input", help="DAY.json: activities per category")],
    factors: Annotated[str | None, typer.Option(
        "--factors", help="Factor set NAME[@VERSION]: ecojourney (default, the seed's) or korea")] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Never call Climatiq; local factors only")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Language of the summary and tips: en or ko")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Total and per-category kg CO2e, one line per activity with its factor's source, points, tips."""
    from tanso.footprint import (
        FootprintInputError,
        UnknownFactorSet,
        estimate_day,
        load_factor_set,
        read_day,
    )
    from tanso.footprint.climatiq import ClimatiqClient

    if lang not in ("en", "ko"):
        _fail(f"--lang: {lang!r} is not en or ko")
    try:
        text = input_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail(f"--input: {input_path} does not exist")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"--input: cannot read {input_path} ({type(exc).__name__})")
    try:
        chosen = load_factor_set(factors)
    except UnknownFactorSet as exc:
        _fail(f"--factors: {exc}")
    client = None if offline else ClimatiqClient.from_env()
    try:
        result = estimate_day(read_day(text), factors=chosen, remote=client.estimate if client else None,
                              lang=lang, llm_url=os.environ.get("TANSO_LLM_URL") or None,
                              llm_model=os.environ.get("TANSO_LLM_MODEL", "default"),
                              llm_key=os.environ.get("TANSO_LLM_API_KEY") or None)
    except FootprintInputError as exc:
        _fail(f"{input_path}: " + "; ".join(f"{name}: {message}" for name, message in exc.problems))
    out = _rounded(result.to_dict())
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, allow_nan=False))
        return
    for line in result.lines:
        source = line.source
        where = (f"Climatiq {source.get('factor_id')} (data version {source.get('data_version')})"
                 if source["provider"] == "climatiq" else f"{source['factor_set']}@{source['version']}")
        note = f" — fallback: {source['fallback_reason']}" if source.get("fallback_reason") else ""
        typer.echo(f"{line.category:<12}{line.item:<24}{line.quantity:>9.3g} {line.unit:<8}"
                   f"× {line.factor:<8.4g}= {line.kg:>7.3f} kg  [{where}]{note}")
    typer.echo(f"total {result.total_kg:.2f} kg CO2e (benchmark {result.average_kg:g} kg; "
               f"Korea territorial ≈ {result.territorial_kg:g} kg per person per day)")
    p = result.points
    typer.echo(f"points {p.total} = saved {p.saved} + second-hand {p.second_hand} + below average {p.below_average}")
    for s in result.suggestions:
        typer.echo(f"tip: {s.text_ko if lang == 'ko' else s.text} (−{s.saving_kg:.2f} kg)")
    typer.echo(result.summary.text)
