"""Pipelines: YAML specs of notebook steps, run in dependency order through papermill.

Each step is a jupytext notebook executed by papermill in the run's one kernel (a fresh
namespace per step, a new kernel after a failure: see WarmKernel); the executed notebook is kept
under $TANSO_HOME/runs/<pipeline>/<run_id>/ and every step is recorded in ops.pipeline_runs.
A step reports what it wrote by calling `record_step_result` with the `step_result_path`
parameter the runner injects. A failed step stops its dependants; loads are transactional,
so the data loaded before stays in place.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import re
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from tanso.config import settings
from tanso.errors import Interrupted, UserError, read_yaml_mapping
from tanso.kernels import papermill_options
from tanso.logs import run_id_var
from tanso.run_control import interrupts_raise, pipeline_lock

log = logging.getLogger(__name__)

# Injected into every step; a notebook's `parameters` cell should declare them.
RUNNER_PARAMETERS = ("run_id", "step_result_path")
DEAD_KERNEL_RETRIES = 2     # a dead kernel (OOM, crash) is retried; a cell error never is


class PipelineError(UserError):
    """A pipeline spec or invocation is wrong; the message says what and where."""


@dataclass(frozen=True)
class Step:
    name: str
    notebook: Path
    parameters: dict[str, Any]
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class Pipeline:
    name: str
    description: str
    schedule: str
    max_age_hours: float
    steps: tuple[Step, ...]

    def ordered_steps(self) -> list[Step]:
        by_name = {s.name: s for s in self.steps}
        graph = {s.name: set(s.depends_on) for s in self.steps}
        try:
            return [by_name[n] for n in TopologicalSorter(graph).static_order()]
        except CycleError as exc:
            raise PipelineError(f"pipeline {self.name!r}: steps depend on each other in a "
                                f"cycle: {' → '.join(exc.args[1])}") from None

    def dependants(self, step: str) -> set[str]:
        """Every step that needs `step`, directly or not."""
        found: set[str] = set()
        frontier = {step}
        while frontier:
            frontier = {s.name for s in self.steps if set(s.depends_on) & frontier} - found
            found |= frontier
        return found


def pipeline_names() -> list[str]:
    return sorted(p.stem for p in settings().pipelines_dir.glob("*.yaml"))


_PIPELINE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def load_pipeline(name: str) -> Pipeline:
    # a name, not a path: `../x` must not read YAML from outside pipelines/
    if not _PIPELINE_NAME.match(name):
        raise PipelineError(f"{name!r} is not a pipeline name (letters, digits, - and _ naming a "
                            f"file of {settings().pipelines_dir}); known: "
                            f"{', '.join(pipeline_names())}")
    path = settings().pipelines_dir / f"{name}.yaml"
    if not path.exists():
        raise PipelineError(f"unknown pipeline {name!r}; known: {', '.join(pipeline_names())}")
    try:
        spec = read_yaml_mapping(path, what="the pipeline")
    except UserError as exc:
        raise PipelineError(str(exc)) from None
    where = f"{path.name}"
    for key in ("schedule", "steps"):
        if key not in spec:
            raise PipelineError(f"{where}: missing required key {key!r}")
    if not isinstance(spec["steps"], list) or not spec["steps"]:
        raise PipelineError(f"{where}: `steps` must be a non-empty list of steps")
    steps = [_parse_step(raw, i, where) for i, raw in enumerate(spec["steps"])]
    names = {s.name for s in steps}
    for step in steps:
        if unknown := set(step.depends_on) - names:
            raise PipelineError(f"{where}: step {step.name!r} depends on unknown step(s) "
                                f"{', '.join(sorted(unknown))}")
    pipeline = Pipeline(spec.get("name", name), spec.get("description", ""), spec["schedule"],
                        float(spec.get("max_age_hours", 24 * 8)), tuple(steps))
    pipeline.ordered_steps()  # fail early on cycles
    return pipeline


def _parse_step(raw: Any, i: int, where: str) -> Step:
    if not isinstance(raw, dict):
        raise PipelineError(f"{where}: step #{i + 1} must be a mapping with 'name' and "
                            f"'notebook', got {raw!r}")
    if not isinstance(raw.get("parameters") or {}, dict):
        raise PipelineError(f"{where}: step {raw.get('name', i + 1)!r}: `parameters` must be "
                            "a mapping")
    if "name" not in raw or "notebook" not in raw:
        raise PipelineError(f"{where}: step #{i + 1} needs 'name' and 'notebook'")
    notebook = settings().project_root / raw["notebook"]
    if not notebook.exists():
        raise PipelineError(f"{where}: step {raw['name']!r}: notebook {raw['notebook']} "
                            "does not exist")
    return Step(raw["name"], notebook, dict(raw.get("parameters") or {}),
                tuple(raw.get("depends_on") or ()))


def dataset_pipelines() -> dict[str, str]:
    """Catalog dataset → the pipeline that loads it (a step names it as its `dataset` parameter)."""
    return {step.parameters["dataset"]: name for name in pipeline_names()
            for step in load_pipeline(name).steps if "dataset" in step.parameters}


def notebook_parameters(notebook: Path) -> set[str]:
    """Names declared in the notebook's `parameters` cell."""
    import jupytext
    import papermill

    nb = jupytext.read(notebook)
    # papermill wants a kernel name even to read parameters; ours all run on python3
    nb.metadata.setdefault("kernelspec", {"name": "python3", "language": "python",
                                          "display_name": "Python 3"})
    return set(papermill.inspect_notebook(nb))


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """`key=value` strings → dict; values parsed as YAML scalars (numbers, booleans)."""
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise PipelineError(f"parameter {pair!r} is not key=value")
        try:
            overrides[key.strip()] = yaml.safe_load(value) if value else ""
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise PipelineError(f"parameter {key.strip()!r}: {value!r} is not a valid YAML value "
                                f"({problem}); quote text, e.g. -p '{key.strip()}=\"{value}\"'") from None
    return overrides


def step_parameters(pipeline: Pipeline, overrides: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each step's parameters with the overrides applied where the notebook declares them."""
    declared = {s.name: notebook_parameters(s.notebook) for s in pipeline.steps}
    settable = set().union(*declared.values()) - set(RUNNER_PARAMETERS)
    if unknown := set(overrides) - settable:
        raise PipelineError(
            f"pipeline {pipeline.name!r} has no parameter(s) {', '.join(sorted(unknown))}; "
            f"settable: {', '.join(sorted(settable)) or 'none'}"
        )
    return {
        s.name: s.parameters | {k: v for k, v in overrides.items() if k in declared[s.name]}
        for s in pipeline.steps
    }


def record_step_result(path: str | None, *, rows_written: int,
                       dataset_version: str | None = None) -> None:
    """Called by a notebook's last cell: what the step wrote."""
    if not path:
        return  # run interactively, outside the runner
    Path(path).write_text(json.dumps({"rows_written": int(rows_written),
                                      "dataset_version": dataset_version}))


def up_to_date_version(step: Step, parameters: dict, engine: sa.Engine) -> str | None:
    """The catalog version when the step loads a `dataset` that is already loaded as pinned.

    Such a step has nothing to do, so the runner does not start a kernel for it: a scheduled
    run with no new catalog version costs a few queries, not minutes.
    """
    from tanso.catalog import CatalogError, dataset
    from tanso.db.load import is_loaded

    name = parameters.get("dataset")
    if not name:
        return None
    try:
        pinned = dataset(name)
    except CatalogError:
        return None  # the notebook will fail with the catalog's message
    return pinned.version if is_loaded(engine, pinned.name, pinned.version, pinned.sha256) else None


@dataclass
class StepRun:
    step: str
    status: str = "pending"
    up_to_date: bool = False     # the pinned version was already loaded; nothing ran
    rows_written: int | None = None
    dataset_version: str | None = None
    error: str | None = None
    output_path: Path | None = None
    seconds: float = 0.0
    row_id: int | None = None    # its row in ops.pipeline_runs once started


@dataclass
class PipelineRun:
    run_id: str
    pipeline: Pipeline
    steps: list[StepRun] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def succeeded(self) -> bool:
        return all(s.status == "succeeded" for s in self.steps)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def _short_error(exc: BaseException, lines: int = 6) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        text = f"{exc.ename}: {exc.evalue}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return "\n".join(text.strip().splitlines()[:lines])


# First cell of every step in the run's shared kernel: the previous step's variables go,
# the imported modules (most of a step's start-up) stay.
RESET_CELL = "# tanso: a fresh namespace in the pipeline run's kernel\n%reset -f"


class _SharedKernelClientNoise(logging.Filter):
    # papermill makes a kernel client per notebook; dropping one while the shared kernel
    # lives on makes jupyter_client warn that it "could not destroy zmq context": harmless,
    # and nothing a user can act on.
    def filter(self, record: logging.LogRecord) -> bool:
        return "Could not destroy zmq context" not in record.getMessage()


logging.getLogger("traitlets").addFilter(_SharedKernelClientNoise())


KERNEL_LOGGERS = ("papermill", "nbclient", "traitlets")
KILL_GRACE_S = 5  # after an interrupt: time for a kernel that was starting to appear and be killed


@contextlib.contextmanager
def _quiet(*names: str):
    loggers = [logging.getLogger(name) for name in names]
    before = [each.disabled for each in loggers]
    for each in loggers:
        each.disabled = True
    try:
        yield
    finally:
        for each, disabled in zip(loggers, before, strict=True):
            each.disabled = disabled


class WarmKernel:
    """One kernel for the steps of a pipeline run, so each step does not pay a kernel start
    and the imports again. Every step starts with an empty namespace; a step that fails in
    any way (cell error, timeout, dead kernel) takes the kernel down with it, so the next
    step gets a new one and no half-finished state.

    papermill runs in a worker thread. In the main thread nbclient replaces the SIGINT and
    SIGTERM handlers with its own for each notebook and then restores the *default* ones, so
    the runner would lose its interrupt handling after the first step. Here the runner's
    handler raises Interrupted in the main thread, which kills the kernel process (again, for
    a few seconds, in case one was still starting) and leaves the worker, which may be blocked
    on the dead kernel's socket, to die with the process (it is a daemon thread)."""

    def __init__(self) -> None:
        self.km = None
        self._step: Future | None = None
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._serve, name="tanso-kernel", daemon=True).start()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            call, done = job
            try:
                done.set_result(call())
            except BaseException as exc:  # handed to the waiting thread
                done.set_exception(exc)

    def _submit(self, call: Callable[[], None]) -> Future:
        done: Future = Future()
        self._jobs.put((call, done))
        return done

    def execute(self, step: Step, parameters: dict, output: Path) -> None:
        self._step = work = self._submit(lambda: self._execute(step, parameters, output))
        try:
            work.result()
        except Interrupted:
            with _quiet(*KERNEL_LOGGERS):  # they would report the kernel killed here as an error
                deadline = time.monotonic() + KILL_GRACE_S
                while time.monotonic() < deadline and not work.done() and not self._kill():
                    futures_wait([work], timeout=0.2)
            raise

    def _execute(self, step: Step, parameters: dict, output: Path) -> None:
        import jupytext
        import nbformat
        import papermill
        from jupyter_client.manager import KernelManager

        options = papermill_options()
        notebook = jupytext.read(step.notebook)
        notebook.cells.insert(0, nbformat.v4.new_code_cell(RESET_CELL))
        if self.km is None:
            self.km = KernelManager(kernel_name=options["kernel_name"], config=options["config"])
        try:
            papermill.execute_notebook(notebook, str(output), parameters=parameters,
                                       km=self.km, **options)
        except BaseException:
            self._shutdown()
            raise

    def _kill(self) -> bool:
        """Kill the kernel process now; False when there is none (yet)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is None:
            return False
        if process.poll() is None:
            process.kill()
        return True

    def _shutdown(self) -> None:
        km, self.km = self.km, None
        if km is not None and km.has_kernel:
            km.shutdown_kernel(now=True)

    def close(self) -> None:
        self._kill()
        if self._step is None or self._step.done():  # else it is stuck on the killed kernel
            self._submit(self._shutdown).result()
        self._jobs.put(None)


def _execute(kernel: WarmKernel, step: Step, parameters: dict, output: Path) -> None:
    from nbclient.exceptions import DeadKernelError

    for attempt in range(DEAD_KERNEL_RETRIES + 1):
        try:
            kernel.execute(step, parameters, output)
            return
        except DeadKernelError:
            if attempt == DEAD_KERNEL_RETRIES:
                raise
            log.warning("kernel died; retrying step", extra={"step": step.name})


class RunRecorder:
    """Writes each step's row in ops.pipeline_runs as it starts and ends."""

    def __init__(self, engine: sa.Engine, run: PipelineRun):
        self.engine, self.run = engine, run

    def start(self, step: StepRun, parameters: dict) -> int:
        with self.engine.begin() as conn:
            return conn.execute(sa.text(
                "INSERT INTO ops.pipeline_runs (run_id, pipeline, step, status, started_at, "
                "parameters, output_path) VALUES (:r, :p, :s, 'running', now(), "
                "CAST(:params AS jsonb), :out) RETURNING id"),
                {"r": self.run.run_id, "p": self.run.pipeline.name, "s": step.step,
                 "params": json.dumps(parameters, default=str),
                 "out": str(step.output_path) if step.output_path else None}).scalar_one()

    def finish(self, row_id: int | None, step: StepRun) -> None:
        with self.engine.begin() as conn:
            values = {"st": step.status, "rows": step.rows_written, "err": step.error,
                      "ver": step.dataset_version}
            if row_id is None:  # a skipped step never started
                conn.execute(sa.text(
                    "INSERT INTO ops.pipeline_runs (run_id, pipeline, step, status, started_at, "
                    "finished_at, error) VALUES (:r, :p, :s, :st, now(), now(), :err)"),
                    values | {"r": self.run.run_id, "p": self.run.pipeline.name, "s": step.step})
            else:
                conn.execute(sa.text(
                    "UPDATE ops.pipeline_runs SET status = :st, finished_at = now(), "
                    "rows_written = :rows, error = :err, dataset_version = :ver WHERE id = :id"),
                    values | {"id": row_id})


Progress = Callable[[str, StepRun, int, int], None]  # (event "start"|"finish", step, i, n)


def run_pipeline(pipeline: Pipeline, overrides: dict[str, Any], engine: sa.Engine, *,
                 force: bool = False, wait: bool = False,
                 progress: Progress | None = None) -> PipelineRun:
    """Run every step in order under the pipeline's lock; see the module docstring.

    Raises PipelineBusy when another run holds the lock (unless `wait`), and Interrupted after
    recording what was kept when Ctrl-C or SIGTERM arrives.
    """
    parameters = step_parameters(pipeline, overrides)
    run = PipelineRun(new_run_id(), pipeline)
    token = run_id_var.set(run.run_id)
    # the kernels inherit this environment: same home and checkout as the runner
    os.environ.setdefault("TANSO_HOME", str(settings().home))
    os.environ.setdefault("TANSO_PROJECT_ROOT", str(settings().project_root))
    started = time.monotonic()
    try:
        with pipeline_lock(engine, pipeline.name, wait=wait), interrupts_raise():
            _run_steps(run, parameters, engine, force=force, progress=progress or _no_progress)
    finally:
        run.seconds = time.monotonic() - started
        run_id_var.reset(token)
    return run


def _no_progress(event: str, step: StepRun, index: int, total: int) -> None:
    pass


def _run_steps(run: PipelineRun, parameters: dict, engine: sa.Engine, *, force: bool,
               progress: Progress) -> None:
    pipeline = run.pipeline
    out_dir = settings().runs_dir / pipeline.name / run.run_id
    out_dir.mkdir(parents=True, exist_ok=True)
    recorder = RunRecorder(engine, run)
    order = pipeline.ordered_steps()
    log.info("pipeline started", extra={"pipeline": pipeline.name, "steps": len(order)})
    kernel = WarmKernel()
    try:
        _run_ordered(run, order, parameters, engine, recorder, kernel, out_dir, force=force,
                     progress=progress)
    finally:
        kernel.close()


def _run_ordered(run: PipelineRun, order: list[Step], parameters: dict, engine: sa.Engine,
                 recorder: RunRecorder, kernel: WarmKernel, out_dir: Path, *, force: bool,
                 progress: Progress) -> None:
    pipeline, blocked = run.pipeline, set[str]()
    for index, step in enumerate(order, start=1):
        step_run = StepRun(step.name, output_path=out_dir / f"{step.name}.ipynb")
        run.steps.append(step_run)
        progress("start", step_run, index, len(order))
        log.info("step started", extra={"step": step.name, "index": index, "total": len(order),
                                        "notebook": str(step.notebook)})
        if step.name in blocked:
            step_run.status, step_run.output_path = "skipped", None
            step_run.error = "not run: a step it depends on failed"
            recorder.finish(None, step_run)
        elif not force and (version := up_to_date_version(step, parameters[step.name], engine)):
            step_run.status, step_run.up_to_date, step_run.output_path = "succeeded", True, None
            step_run.rows_written, step_run.dataset_version = 0, version
            recorder.finish(recorder.start(step_run, parameters[step.name]), step_run)
        else:
            try:
                _run_step(kernel, step, step_run, parameters[step.name], recorder, out_dir)
            except (Interrupted, KeyboardInterrupt) as exc:
                raise _interrupted(run, step_run, exc, recorder) from None
            if step_run.status == "failed":
                blocked |= pipeline.dependants(step.name)
        progress("finish", step_run, index, len(order))
        log.info("step finished", extra={"step": step.name, "index": index, "total": len(order),
                                         "status": step_run.status,
                                         "rows_written": step_run.rows_written,
                                         "seconds": round(step_run.seconds, 2)})


def _run_step(kernel: WarmKernel, step: Step, step_run: StepRun, parameters: dict,
              recorder: RunRecorder, out_dir: Path) -> None:
    result_path = out_dir / f"{step.name}.result.json"
    params = parameters | {"run_id": recorder.run.run_id, "step_result_path": str(result_path)}
    row_id = recorder.start(step_run, parameters)
    step_run.row_id = row_id
    t0 = time.monotonic()
    try:
        _execute(kernel, step, params, step_run.output_path)
        result = json.loads(result_path.read_text()) if result_path.exists() else {}
        step_run.status = "succeeded"
        step_run.rows_written = result.get("rows_written", 0)
        step_run.dataset_version = result.get("dataset_version")
    except Interrupted:
        raise  # not the step's failure: the run stops and says what it kept
    except Exception as exc:
        step_run.status, step_run.error = "failed", _short_error(exc)
        log.error("step failed", extra={"step": step.name, "error": step_run.error})
    finally:
        step_run.seconds = time.monotonic() - t0
    recorder.finish(row_id, step_run)


def _interrupted(run: PipelineRun, step_run: StepRun, exc: BaseException,
                 recorder: RunRecorder) -> Interrupted:
    """Record the interrupted step; an Interrupted saying what was kept and what was not."""
    signal_name = exc.signal_name if isinstance(exc, Interrupted) else "SIGINT"
    exit_code = exc.exit_code if isinstance(exc, Interrupted) else 130
    step_run.status = "interrupted"
    step_run.error = f"interrupted by {signal_name}; its load was rolled back"
    with contextlib.suppress(Exception):  # the database may be what went away
        recorder.finish(step_run.row_id, step_run)
    done = [s.step for s in run.steps if s.status == "succeeded"]
    not_run = [s.name for s in run.pipeline.ordered_steps()
               if s.name not in {r.step for r in run.steps}]
    kept = (f"steps {', '.join(done)} finished and their data is kept" if done
            else "no step had finished")
    message = (f"run {run.run_id} interrupted by {signal_name} during step {step_run.step!r}: "
               f"{kept}; {step_run.step}'s load was rolled back, so the data it would replace is "
               f"unchanged" + (f"; not run: {', '.join(not_run)}" if not_run else "")
               + f". Rerun `tanso pipeline run {run.pipeline.name}` to finish.")
    log.warning("pipeline interrupted", extra={"step": step_run.step, "signal": signal_name})
    return Interrupted(signal_name, exit_code, message)


def history(engine: sa.Engine, pipeline: str | None = None, limit: int = 50) -> list[dict]:
    query = sa.text("SELECT run_id, pipeline, step, dataset_version, "
                    "ops.run_status(status, pipeline) AS status, started_at, "
                    "finished_at, rows_written, error FROM ops.pipeline_runs "
                    "WHERE CAST(:p AS text) IS NULL OR pipeline = :p "
                    "ORDER BY started_at DESC, id DESC LIMIT :n")
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query, {"p": pipeline, "n": limit})]
