"""The `tanso` command: database, catalog, pipelines, reports, serving, one-command start."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from tanso import logs
from tanso.commands import footprint, recycling, sectors, user, vcm
from tanso.config import settings

app = typer.Typer(help="Tanso (탄소): carbon-neutrality analytics suite.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
db_app = typer.Typer(help="The PostgreSQL database (embedded unless DATABASE_URL is set).",
                     no_args_is_help=True)
catalog_app = typer.Typer(help="Pinned datasets of catalog/catalog.yaml.", no_args_is_help=True)
pipeline_app = typer.Typer(help="Notebook pipelines of pipelines/*.yaml.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(catalog_app, name="catalog")
app.add_typer(pipeline_app, name="pipeline")
app.add_typer(recycling.app, name="recycling")
app.add_typer(footprint.app, name="footprint")
app.add_typer(vcm.app, name="vcm")
app.add_typer(user.app, name="user")

log = logging.getLogger("tanso.cli")


def _error_line(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)


def fail(message: str, code: int = 1) -> None:
    """One clear line on stderr and a non-zero exit — never a traceback for expected errors."""
    _error_line(message)
    raise typer.Exit(code)


@app.callback()
def _setup() -> None:
    logs.configure()


def _engine(*, migrate: bool = False):
    from tanso.db import migrations
    from tanso.db.engine import DatabaseUnavailable, check_connection, get_engine

    try:
        engine = check_connection(get_engine())
    except DatabaseUnavailable as exc:
        fail(str(exc))
    if migrate:
        migrations.upgrade(engine)
    elif migrations.current_revision(engine) != migrations.head_revision():
        fail("the database schema is not up to date; run `tanso db upgrade`")
    return engine


# ---------------------------------------------------------------- db
@db_app.command("start")
def db_start() -> None:
    """Start the embedded PostgreSQL server (no-op with DATABASE_URL)."""
    if settings().database_url:
        typer.echo("DATABASE_URL is set; the embedded server is not used.")
        return
    from tanso.db import embedded

    url = embedded.start()
    typer.echo(f"embedded PostgreSQL running at {url}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL server."""
    from tanso.db import embedded

    typer.echo("stopped" if embedded.stop() else "the embedded server was not running")


@db_app.command("status")
def db_status() -> None:
    """Server, schema revision and loaded dataset versions."""
    import pandas as pd

    from tanso.db import migrations
    from tanso.db.engine import DatabaseUnavailable, check_connection, get_engine, redacted

    try:
        engine = check_connection(get_engine(start_embedded=False))
    except DatabaseUnavailable as exc:
        fail(str(exc))
    current, head = migrations.current_revision(engine), migrations.head_revision()
    typer.echo(f"database: {redacted(engine.url)}")
    typer.echo(f"schema:   {current or 'empty'} (latest {head})"
               + ("" if current == head else " — run `tanso db upgrade`"))
    if current:
        from tanso.status import loaded_frame

        for row in loaded_frame(engine).itertuples():
            state = "not loaded" if pd.isna(row.loaded_version) else f"loaded {row.loaded_version}"
            stale = "" if row.up_to_date or pd.isna(row.loaded_version) else " (new version pinned)"
            typer.echo(f"  {row.dataset:<20} catalog {row.catalog_version:<10} {state}{stale}")


@db_app.command("url")
def db_url(
    show_password: Annotated[bool, typer.Option(
        help="Print the password too (for scripts); hidden by default")] = False,
) -> None:
    """Print the SQLAlchemy URL of the database in use (password hidden)."""
    from tanso.db.engine import DatabaseUnavailable, database_url, redacted

    try:
        url = database_url(start_embedded=False)
    except DatabaseUnavailable as exc:
        fail(str(exc))
    typer.echo(url if show_password else redacted(url))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations up to the latest revision."""
    from tanso.db import migrations

    engine = _engine(migrate=True)
    typer.echo(f"schema at revision {migrations.current_revision(engine)}")


@db_app.command("check")
def db_check() -> None:
    """Compare the migrated database with tanso.db.tables and tanso.db.views; exit 1 if they differ."""
    from tanso.db import migrations

    if problems := migrations.differences(_engine()):
        fail("the database differs from tanso.db.tables / tanso.db.views "
             "(a revision is missing: `tanso db revision -m ...`): " + "; ".join(problems))
    typer.echo("the database matches tanso.db.tables and tanso.db.views")


@db_app.command("revision")
def db_revision(message: str = typer.Option(..., "-m", "--message", help="what changes")) -> None:
    """Write the next migration from the difference between tanso.db.tables and the database."""
    from tanso.db import migrations

    path = migrations.new_revision(_engine(migrate=True), message)
    typer.echo(f"wrote {path} — review it (partitions, data moves) before committing")


# ---------------------------------------------------------------- catalog
@catalog_app.command("list")
def catalog_list() -> None:
    """Every dataset with version, licence and local path."""
    from tanso.catalog import CatalogError, datasets

    try:
        for ds in datasets():
            rel = ds.path.relative_to(settings().project_root) if ds.path.is_relative_to(
                settings().project_root) else ds.path
            typer.echo(f"{ds.name:<20} {ds.version:<10} {ds.licence:<12} {rel}")
    except CatalogError as exc:
        fail(str(exc))


@catalog_app.command("verify")
def catalog_verify() -> None:
    """Recompute every checksum; exit 1 naming each file that differs or is missing."""
    from tanso.catalog import CatalogError, datasets, verify

    try:
        problems = verify()
        count = len(datasets())
    except CatalogError as exc:
        fail(str(exc))
    for problem in problems:
        typer.secho(problem, fg=typer.colors.RED, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"all {count} datasets match their pinned sha256")


# ---------------------------------------------------------------- pipelines
@pipeline_app.command("list")
def pipeline_list() -> None:
    """Pipelines with schedule and steps."""
    from tanso.pipelines import PipelineError, load_pipeline, pipeline_names

    broken = 0
    for name in pipeline_names():
        try:
            p = load_pipeline(name)
        except PipelineError as exc:
            _error_line(f"{name}: {exc}")
            broken += 1
            continue
        steps = " → ".join(s.name for s in p.ordered_steps())
        typer.echo(f"{p.name:<12} {p.schedule:<14} {steps}")
    if broken:
        raise typer.Exit(1)


@pipeline_app.command("run")
def pipeline_run(
    name: str,
    param: Annotated[list[str] | None, typer.Option("--param", "-p",
                                                    help="key=value override")] = None,
    dry_run: Annotated[bool, typer.Option(help="Show the plan; execute nothing")] = False,
    force: Annotated[bool, typer.Option(help="Reload datasets already loaded as pinned")] = False,
    wait: Annotated[bool, typer.Option(
        help="If another run of this pipeline is going, wait for it instead of stopping")] = False,
) -> None:
    """Run a pipeline's steps in dependency order through papermill."""
    from tanso import metrics
    from tanso.pipelines import (
        PipelineError,
        load_pipeline,
        parse_overrides,
        run_pipeline,
        step_parameters,
    )

    try:
        pipeline = load_pipeline(name)
        overrides = parse_overrides(param or [])
        plan = step_parameters(pipeline, overrides)
        order = pipeline.ordered_steps()
    except PipelineError as exc:
        fail(str(exc))
    if dry_run:
        for step in order:
            after = f" (after {', '.join(step.depends_on)})" if step.depends_on else ""
            typer.echo(f"{step.name}: {step.notebook.relative_to(settings().project_root)} "
                       f"{plan[step.name]}{after}")
        return
    engine = _engine()
    from tanso.progress import TerminalProgress, interactive

    if interactive():
        with TerminalProgress(pipeline) as progress:
            run = run_pipeline(pipeline, overrides, engine, force=force, wait=wait,
                               progress=progress)
    else:
        run = run_pipeline(pipeline, overrides, engine, force=force, wait=wait)
        for step in run.steps:
            rows = "" if step.rows_written is None else f" rows={step.rows_written}"
            note = " (up to date)" if step.up_to_date else ""
            typer.echo(f"{step.step:<16} {step.status:<10}{rows} {step.seconds:.1f}s{note}")
    where = metrics.publish(run, engine)
    typer.echo(f"run {run.run_id}: {run.seconds:.1f}s; outputs in "
               f"{settings().runs_dir / pipeline.name / run.run_id}; metrics → {where}")
    failed = [s for s in run.steps if s.status == "failed"]
    if failed:
        fail("; ".join(f"step {s.step!r} failed: {s.error}" for s in failed))


@pipeline_app.command("history")
def pipeline_history(
    name: Annotated[str | None, typer.Argument()] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many step runs to show")] = 20,
) -> None:
    """Recorded step runs, newest first."""
    from tanso.pipelines import history

    rows = history(_engine(), name, limit)
    if not rows:
        typer.echo("no runs recorded")
    for r in rows:
        started = r["started_at"].strftime("%Y-%m-%d %H:%M:%S")
        took = (f"{(r['finished_at'] - r['started_at']).total_seconds():.1f}s"
                if r["finished_at"] else "-")
        rows_written = "-" if r["rows_written"] is None else r["rows_written"]
        typer.echo(f"{started}  {r['run_id']}  {r['pipeline']}/{r['step']:<12} "
                   f"{r['status']:<10} v{r['dataset_version'] or '-':<8} rows={rows_written:<7} "
                   f"{took}" + (f"  {r['error'].splitlines()[0]}" if r["error"] else ""))


# ---------------------------------------------------------------- reports
@app.command()
def report(
    notebook: Path,
    param: Annotated[list[str] | None, typer.Option("--param", "-p",
                                                    help="key=value parameter")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="HTML file [default: $TANSO_HOME/reports/<notebook>.html]")] = None,
) -> None:
    """Run an analysis notebook and write a self-contained, offline HTML report."""
    from papermill.exceptions import PapermillExecutionError

    from tanso.pipelines import PipelineError, parse_overrides
    from tanso.reports import run_report

    _engine()  # a clear message now rather than a traceback inside the kernel
    try:
        output = output or settings().reports_dir / f"{notebook.stem}.html"
        written = run_report(notebook.resolve(), parse_overrides(param or []), output)
    except PipelineError as exc:
        fail(str(exc))
    except PapermillExecutionError as exc:
        fail(f"{notebook.name} failed: {exc.ename}: {exc.evalue}")
    typer.echo(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB)")


# ---------------------------------------------------------------- analyze
analyze_app = typer.Typer(help="Analyses of the loaded national data.", no_args_is_help=True)
app.add_typer(analyze_app, name="analyze")
analyze_app.add_typer(sectors.app)  # analyze sectors, analyze decompose


def _json_ready(value):
    """NaN → null, numpy scalars → Python, recursively (json.dumps refuses NaN with allow_nan=False)."""
    import math

    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@analyze_app.command("gap")
def analyze_gap(
    country: Annotated[str, typer.Option(help="Country code: ISO3, EU27, OWID_WRL…")],
    target_year: Annotated[int, typer.Option(help="Year the target is due")],
    metric: Annotated[str, typer.Option(help="mart.national column (total_ghg, co2, …)")] = "total_ghg",
    base_year: Annotated[int | None, typer.Option(help="Base year of the reduction")] = None,
    reduction_pct: Annotated[float | None, typer.Option(help="% below the base year (0–100)")] = None,
    target_value: Annotated[float | None, typer.Option(help="Target level in Mt (instead of a %)")] = None,
    stated_base_value: Annotated[float | None, typer.Option(
        help="The target's own base value in Mt, when it quotes one (e.g. 727.6 for Korea's NDC)")] = None,
    net_zero_year: Annotated[int | None, typer.Option(help="Net-zero year of the pathway")] = None,
    window: Annotated[int, typer.Option(help="Years of the recent rate and trend")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Gap between a country's emissions (mart.national) and a target: rates, projections, on track."""
    import json

    import pandas as pd

    from tanso.emissions.gap import GapInputError, analyse_gap, series_for
    from tanso.emissions.inputs import check_target
    from tanso.emissions.queries import national

    # the same checks analyse_gap makes, before any database work
    check_target(base_year=base_year, target_year=target_year, reduction_pct=reduction_pct,
                 target_value=target_value, stated_base_value=stated_base_value,
                 net_zero_year=net_zero_year)
    code = country.strip().upper()
    frame = national(_engine(), countries=[code])
    if frame.empty:
        fail(f"unknown country {country!r}: no rows in mart.national with that country_code")
    name = str(frame["country"].iloc[0])
    # all-NULL columns come back as object: coerce so a metric without data says "no data", not "unknown"
    numeric = frame.drop(columns=["country", "kind", "country_code"]).apply(pd.to_numeric, errors="coerce")
    try:
        series = series_for(numeric.assign(country_code=code), country=code, metric=metric)
        result = analyse_gap(series, country=code, metric=metric, base_year=base_year, target_year=target_year,
                             reduction_pct=reduction_pct, target_value=target_value, window=window,
                             net_zero_year=net_zero_year, stated_base_value=stated_base_value)
    except GapInputError as exc:
        fail(str(exc))
    out = _json_ready(result.to_dict() | {"country_name": name, "window": window})
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, allow_nan=False))
        return

    def num(value, spec=",.1f", none="–"):
        return none if value is None else format(value, spec)

    reached = out["projected_year_reaching_target"]
    lines = [
        f"{name} ({code}), {metric}",
        f"  target        {num(out['target_value'])} Mt in {target_year}"
        + (f" (−{reduction_pct:g} % vs {base_year}: {num(out['stated_base_value'] or out['base_value'])} Mt)"
           if reduction_pct is not None else ""),
        f"  latest        {num(out['latest_value'])} Mt in {out['latest_year']}; gap now {num(out['gap_now'], '+,.1f')} Mt",
        (f"  required      {num(out['required_annual_rate_pct'], '+.2f')} %/yr "
         f"({num(out['required_annual_change_mt'], '+,.1f')} Mt/yr on a straight line)"),
        (f"  recent        {num(out['recent_annual_rate_pct'], '+.2f')} %/yr CAGR "
         f"{out['window_start']}–{out['latest_year']}; trend {num(out['trend_slope_per_year'], '+,.1f')} Mt/yr"),
        (f"  projected     {num(out['projected_value_at_target_year'])} Mt in {target_year} at the recent rate "
         f"({num(out['projected_value_at_target_year_trend'])} Mt on the trend)"),
        f"  reached       {reached if reached is not None else 'not reached at the recent rate'}",
        (f"  verdict       {'ON TRACK' if out['on_track'] else 'OFF TRACK'}: margin "
         f"{num(out['on_track_margin_mt'], '+,.1f')} Mt ({num(out['on_track_margin_pct'], '+.1f')} %)"),
    ]
    if out["rebased"]:
        rb = out["rebased"]
        lines.append(f"  rebased       −{reduction_pct:g} % of this data's {base_year} value = {num(rb['target_value'])} Mt: "
                     f"gap now {num(rb['gap_now'], '+,.1f')} Mt, required {num(rb['required_annual_rate_pct'], '+.2f')} %/yr, "
                     f"{'on' if rb['on_track'] else 'off'} track by {num(rb['on_track_margin_mt'], '+,.1f')} Mt")
    lines += [f"  note: {c}" for c in out["caveats"]]
    typer.echo("\n".join(lines))


# ---------------------------------------------------------------- serving
def _serve_options(port, address, origin, num_procs, num_threads):
    from tanso.serve import ServeOptions

    return ServeOptions.from_env(port=port, address=address,
                                 allow_websocket_origin=tuple(origin or ()),
                                 num_procs=num_procs, num_threads=num_threads)


PortOpt = Annotated[int | None, typer.Option(help="Port [env TANSO_PORT, 5006]")]
AddressOpt = Annotated[str | None, typer.Option(help="Address [env TANSO_ADDRESS]")]
OriginOpt = Annotated[list[str] | None, typer.Option(
    "--allow-websocket-origin", help="Exact host:port allowed [env TANSO_ALLOW_WEBSOCKET_ORIGIN]")]
ProcsOpt = Annotated[int | None, typer.Option(help="Processes [env TANSO_NUM_PROCS, 1]")]
ThreadsOpt = Annotated[int | None, typer.Option(help="Threads [env TANSO_NUM_THREADS, 4]")]


@app.command()
def serve(port: PortOpt = None, address: AddressOpt = None, allow_websocket_origin: OriginOpt = None,
          num_procs: ProcsOpt = None, num_threads: ThreadsOpt = None) -> None:
    """Serve every app of apps/ with `panel serve` (landing page at /)."""
    from tanso.serve import exec_panel

    options = _serve_options(port, address, allow_websocket_origin, num_procs, num_threads)
    if not settings().database_url:
        from tanso.db import embedded

        embedded.start()
    typer.echo(f"serving on http://{options.address}:{options.port}/", err=True)
    exec_panel(options)


@app.command()
def up(port: PortOpt = None, address: AddressOpt = None, allow_websocket_origin: OriginOpt = None,
       num_procs: ProcsOpt = None, num_threads: ThreadsOpt = None) -> None:
    """Start the database, migrate, load what the catalog pins and is not loaded yet, run once the
    pipelines that load no dataset (news), serve."""
    from tanso import status
    from tanso.pipelines import dataset_pipelines, pipeline_names

    engine = _engine(migrate=True)
    missing = status.datasets_to_load(engine)
    owners = dataset_pipelines()
    if missing:
        typer.echo(f"loading {', '.join(missing)} (first start or a new catalog version)")
        for name in sorted({owners[d] for d in missing}):
            pipeline_run(name, param=[], dry_run=False, force=False, wait=True)
    else:
        typer.echo("every pinned dataset is loaded; nothing to do")
    for name in status.never_succeeded(engine, set(pipeline_names()) - set(owners.values())):
        typer.echo(f"running {name} (it has not succeeded here yet)")
        try:
            pipeline_run(name, param=[], dry_run=False, force=False, wait=True)
        except typer.Exit:  # its pages say what is missing; the apps with data still serve
            typer.echo(f"{name} failed (see above); serving anyway", err=True)
    serve(port, address, allow_websocket_origin, num_procs, num_threads)


def main() -> None:
    """The `tanso` command: bad input and outside faults end in one line, never a traceback."""
    from tanso.errors import UserError, database_fault

    try:
        app()
    except UserError as exc:
        _error_line(str(exc))
        sys.exit(getattr(exc, "exit_code", 1))
    except Exception as exc:
        if fault := database_fault(exc):
            _error_line(f"{fault}; what was committed before is kept, the unfinished work was "
                        "rolled back")
            sys.exit(1)
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
