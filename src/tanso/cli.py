"""The `tanso` command: database, catalog, pipelines, reports, serving, one-command start."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from tanso import logs
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

log = logging.getLogger("tanso.cli")


def fail(message: str, code: int = 1) -> None:
    """One clear line on stderr and a non-zero exit — never a traceback for expected errors."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
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
    from tanso.db import migrations
    from tanso.db.engine import DatabaseUnavailable, check_connection, get_engine, redacted

    try:
        engine = check_connection(get_engine(start_embedded=False))
    except DatabaseUnavailable as exc:
        fail(str(exc))
    current, head = migrations.current_revision(engine), migrations.head_revision()
    typer.echo(f"database: {redacted(str(engine.url))}")
    typer.echo(f"schema:   {current or 'empty'} (latest {head})"
               + ("" if current == head else " — run `tanso db upgrade`"))
    if current:
        from tanso.db.load import loaded_version
        from tanso.catalog import datasets

        for ds in datasets():
            loaded = loaded_version(engine, ds.name)
            state = (f"loaded {loaded.version}" if loaded else "not loaded")
            typer.echo(f"  {ds.name:<20} catalog {ds.version:<10} {state}")


@db_app.command("url")
def db_url() -> None:
    """Print the SQLAlchemy URL of the database in use."""
    from tanso.db.engine import DatabaseUnavailable, database_url

    try:
        typer.echo(database_url(start_embedded=False))
    except DatabaseUnavailable as exc:
        fail(str(exc))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations up to the latest revision."""
    from tanso.db import migrations

    engine = _engine(migrate=True)
    typer.echo(f"schema at revision {migrations.current_revision(engine)}")


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

    for name in pipeline_names():
        try:
            p = load_pipeline(name)
        except PipelineError as exc:
            typer.secho(f"{name}: {exc}", fg=typer.colors.RED)
            continue
        steps = " → ".join(s.name for s in p.ordered_steps())
        typer.echo(f"{p.name:<12} {p.schedule:<14} {steps}")


@pipeline_app.command("run")
def pipeline_run(
    name: str,
    param: Annotated[list[str], typer.Option("--param", "-p", help="key=value override")] = [],
    dry_run: Annotated[bool, typer.Option(help="Show the plan; execute nothing")] = False,
    force: Annotated[bool, typer.Option(help="Reload datasets already loaded as pinned")] = False,
) -> None:
    """Run a pipeline's steps in dependency order through papermill."""
    from tanso import metrics
    from tanso.pipelines import (PipelineError, load_pipeline, parse_overrides, run_pipeline,
                                 step_parameters)

    try:
        pipeline = load_pipeline(name)
        overrides = parse_overrides(param)
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
    run = run_pipeline(pipeline, overrides, engine, force=force)
    where = metrics.publish(run, engine)
    for step in run.steps:
        rows = "" if step.rows_written is None else f" rows={step.rows_written}"
        note = " (up to date)" if step.up_to_date else ""
        typer.echo(f"{step.step:<16} {step.status:<10}{rows} {step.seconds:.1f}s{note}")
    typer.echo(f"run {run.run_id}: {run.seconds:.1f}s; outputs in "
               f"{settings().runs_dir / pipeline.name / run.run_id}; metrics → {where}")
    failed = [s for s in run.steps if s.status == "failed"]
    if failed:
        fail("; ".join(f"step {s.step!r} failed: {s.error}" for s in failed))


@pipeline_app.command("history")
def pipeline_history(
    name: Annotated[Optional[str], typer.Argument()] = None,
    limit: int = 20,
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
    param: Annotated[list[str], typer.Option("--param", "-p", help="key=value parameter")] = [],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="HTML file [default: $TANSO_HOME/reports/<notebook>.html]")] = None,
) -> None:
    """Run an analysis notebook and write a self-contained, offline HTML report."""
    from papermill.exceptions import PapermillExecutionError

    from tanso.pipelines import PipelineError, parse_overrides
    from tanso.reports import run_report

    _engine()  # a clear message now rather than a traceback inside the kernel
    try:
        output = output or settings().reports_dir / f"{notebook.stem}.html"
        written = run_report(notebook.resolve(), parse_overrides(param), output)
    except PipelineError as exc:
        fail(str(exc))
    except PapermillExecutionError as exc:
        fail(f"{notebook.name} failed: {exc.ename}: {exc.evalue}")
    typer.echo(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB)")


# ---------------------------------------------------------------- serving
def _serve_options(port, address, origin, num_procs, num_threads):
    from tanso.serve import ServeOptions

    return ServeOptions.from_env(port=port, address=address,
                                 allow_websocket_origin=tuple(origin or ()),
                                 num_procs=num_procs, num_threads=num_threads)


PortOpt = Annotated[Optional[int], typer.Option(help="Port [env TANSO_PORT, 5006]")]
AddressOpt = Annotated[Optional[str], typer.Option(help="Address [env TANSO_ADDRESS]")]
OriginOpt = Annotated[Optional[list[str]], typer.Option(
    "--allow-websocket-origin", help="Exact host:port allowed [env TANSO_ALLOW_WEBSOCKET_ORIGIN]")]
ProcsOpt = Annotated[Optional[int], typer.Option(help="Processes [env TANSO_NUM_PROCS, 1]")]
ThreadsOpt = Annotated[Optional[int], typer.Option(help="Threads [env TANSO_NUM_THREADS, 4]")]


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
    """Start the database, migrate, load what the catalog pins and is not loaded yet, serve."""
    from tanso import status

    engine = _engine(migrate=True)
    missing = status.datasets_to_load(engine)
    if missing:
        typer.echo(f"loading {', '.join(missing)} (first start or a new catalog version)")
        for name in _pipelines_loading(missing):
            pipeline_run(name, param=[], dry_run=False, force=False)
    else:
        typer.echo("every pinned dataset is loaded; nothing to do")
    serve(port, address, allow_websocket_origin, num_procs, num_threads)


def _pipelines_loading(datasets: list[str]) -> list[str]:
    """Pipelines with a step whose `dataset` parameter is one of `datasets`."""
    from tanso.pipelines import load_pipeline, pipeline_names

    return [name for name in pipeline_names()
            if any(s.parameters.get("dataset") in datasets for s in load_pipeline(name).steps)]


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
