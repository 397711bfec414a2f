"""How long `tanso report` takes for the Korea net-zero gap report, and where the time goes.

1. End to end: `tanso report notebooks/analysis/netzero_gap.py -p country=KOR` run as a user runs it
   (CLI + papermill + kernel), wall and CPU seconds (the CPU of the CLI and its kernel), median of --runs.
   Twice: with the installed bytecode (`make env` compiles it), and with an empty bytecode cache, which is
   what every process paid before when PYTHONDONTWRITEBYTECODE is set (as on these machines) and the
   environment was installed without --compile-bytecode.
2. In one process: the notebook's code cells executed one by one, seconds per cell (imports, reading
   the database, analysis, charts, writing the HTML).

Target (issue 8 §6): well under the ≈ 1 minute measured before; the figures say where the rest goes.
Run: python benchmarks/report_build.py [--runs 2] [--country KOR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analysis" / "netzero_gap.py"
TANSO = [sys.executable, "-m", "tanso.cli"]


def run_cli(country: str, out: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (this child and its kernel) of one `tanso report`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*TANSO, "report", str(NOTEBOOK), "-p", f"country={country}", "-o", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"tanso report failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def end_to_end(country: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        modes = {"bytecode as installed": {},
                 "no bytecode cache (before)": {"PYTHONPYCACHEPREFIX": str(Path(tmp) / "empty-pycache"),
                                                "PYTHONDONTWRITEBYTECODE": "1"}}
        for label, extra in modes.items():
            figures = [run_cli(country, out, os.environ | extra) for _ in range(runs)]
            wall = statistics.median(w for w, _ in figures)
            cpu = statistics.median(c for _, c in figures)
            print(f"tanso report, {label:<28} wall {wall:6.1f} s   CPU {cpu:6.1f} s   (n={runs})")
        print(f"HTML written: {out.stat().st_size / 1e6:.1f} MB")


def per_cell(country: str) -> None:
    import jupytext

    notebook = jupytext.read(NOTEBOOK)
    namespace: dict = {}
    total = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for number, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            start = time.perf_counter()
            exec(compile(cell.source, f"cell {number}", "exec"), namespace)  # our own notebook
            if "parameters" in cell.metadata.get("tags", []):
                namespace.update(country=country, output_html=str(Path(tmp) / "report.html"))
            first = next((line for line in cell.source.splitlines() if line.strip()), "")[:70]
            print(f"  {time.perf_counter() - start:6.2f} s  cell {number:>2}: {first}")
    print(f"  {time.perf_counter() - total:6.2f} s  all cells in one process (no kernel start)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--country", default="KOR")
    args = parser.parse_args()
    print(__doc__.splitlines()[0])
    end_to_end(args.country, args.runs)
    print("Where the time goes (cells of notebooks/analysis/netzero_gap.py in this process):")
    per_cell(args.country)


if __name__ == "__main__":
    main()
