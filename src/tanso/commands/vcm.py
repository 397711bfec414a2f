"""`tanso vcm`: statistics, reconciliation and search of the voluntary carbon market tables
(loaded by `tanso pipeline run vcm`). JSON on stdout with --json; errors as one line."""

from __future__ import annotations

import json
from typing import Annotated

import typer

app = typer.Typer(help="Voluntary carbon market projects: statistics, reconciliation, search.",
                  no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _fail(message: str) -> None:
    from tanso.cli import fail

    fail(message)


def _engine():
    import sqlalchemy as sa

    from tanso.db.engine import DatabaseUnavailable, check_connection, get_engine

    try:
        engine = check_connection(get_engine())
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1 FROM mart.vcm_projects LIMIT 1"))
    except DatabaseUnavailable as exc:
        _fail(str(exc))
    except sa.exc.DBAPIError:
        _fail("the VCM tables are not loaded: run `tanso db upgrade` and "
              "`tanso pipeline run vcm`")
    return engine


def _print(payload, as_json: bool, text: str) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, default=str) if as_json else text)


def _number(value) -> float | None:
    import math

    return None if value is None or (isinstance(value, float) and math.isnan(value)) \
        else round(float(value), 3)


@app.command("stats")
def stats(
    source: Annotated[str, typer.Option("--source", help="vrod | offsetsdb | merged")] = "merged",
    by: Annotated[str, typer.Option("--by", help="registry | category | country")] = "registry",
    as_json: JsonOpt = False,
) -> None:
    """Projects and credits (issued, retired, remaining; tCO2e) by registry (or category,
    country). OffsetsDB's project list has no credit totals: those fields are null."""
    from tanso.vcm import queries

    if by not in ("registry", "category", "country"):
        _fail(f"unknown --by {by!r} (registry, category or country)")
    if source not in queries.STATS_SOURCES:
        _fail(f"unknown --source {source!r} ({', '.join(queries.STATS_SOURCES)})")
    if source != "merged" and by != "registry":
        _fail("--source vrod|offsetsdb is grouped --by registry only")
    frame = queries.stats(_engine(), source=source, by=by)
    rows = [{by: row[by], "projects": int(row["projects"]),
             **{k: _number(row[k]) for k in ("issued", "retired", "remaining")}}
            for row in frame.to_dict("records")]
    text = "\n".join(f"{r[by]:<28} {r['projects']:>6} projects  issued "
                     f"{(r['issued'] or 0):>16,.0f}  retired {(r['retired'] or 0):>16,.0f}"
                     for r in rows)
    _print(rows, as_json, text)


@app.command("reconcile")
def reconcile(as_json: JsonOpt = False) -> None:
    """Projects in VROD and OffsetsDB, in one only, and fields where sources disagree."""
    from tanso.vcm import queries

    result = queries.reconciliation(_engine())
    text = (f"in both: {result['both']}, VROD only: {result['vrod_only']}, OffsetsDB only: "
            f"{result['offsetsdb_only']}\ndisagreements (projects): "
            + ", ".join(f"{k} {v}" for k, v in result["disagreements"].items()))
    _print(result, as_json, text)


@app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Words, a project id (VCS981, GS1234…), or "
                                              "\"a phrase\"; -word excludes")] = "",
    registry: Annotated[list[str] | None, typer.Option("--registry", help="repeatable")] = None,
    country: Annotated[list[str] | None, typer.Option("--country", help="repeatable")] = None,
    limit: Annotated[int, typer.Option("--limit", help="results (1–200)")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Ranked full-text search of projects (name, id, developer, methodology, place, description)."""
    from tanso.vcm import ids, queries
    from tanso.vcm.checks import InputError

    try:
        registries = tuple(ids.registry_name(r, source="--registry") for r in registry or ())
        filters = queries.Filters(query=query, registry=registries,
                                  country=tuple(country or ()), per_page=limit)
    except (InputError, ValueError) as exc:
        _fail(str(exc).replace("per_page", "--limit"))
    result = queries.search(_engine(), filters, facets=False)
    results = [{"project_id": r["project_id"], "name": r["name"], "registry": r["registry"],
                "country": r["country"], "issued": _number(r["issued"]),
                "retired": _number(r["retired"]), "rank": _number(r["rank"])}
               for r in queries._records(result.rows)]
    payload = {"total": result.total, "results": results}
    if result.fuzzy:
        payload["fuzzy"] = True
    if result.suggestion:
        payload["suggestion"] = result.suggestion
    text = "\n".join([f"{result.total} projects" + (" (similar names)" if result.fuzzy else "")
                      + (f"; did you mean: {result.suggestion}" if result.suggestion else "")]
                     + [f"{r['project_id']:<10} {r['registry']:<26} {r['name']}"
                        for r in results])
    _print(payload, as_json, text)
