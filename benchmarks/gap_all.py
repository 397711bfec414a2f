"""Time `analyse_all_gaps` for every target in the shipped targets CSV on the real OWID data.

Prints the median and 95th percentile over repeated runs (the issue asks for ≤ 200 ms).
Run: python benchmarks/gap_all.py [--runs 200]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

from tanso.emissions.analysis import frame_from_owid
from tanso.emissions.gap import analyse_all_gaps
from tanso.emissions.targets import load_targets

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ROOT / "data" / "raw" / "targets" / "2026-11" / "targets.csv"
OWID_CANDIDATES = [
    *sorted((ROOT / "data" / "raw" / "owid_co2").glob("*/owid-co2-data.parquet"), reverse=True),
    Path("/work/shared/data/owid_co2/owid-co2-data.parquet"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    owid_path = next(path for path in OWID_CANDIDATES if path.exists())
    frame = frame_from_owid(pd.read_parquet(owid_path))
    targets = load_targets(TARGETS)
    analyse_all_gaps(frame, targets)  # warm-up: imports and first-call caches

    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        table = analyse_all_gaps(frame, targets)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(f"data: {owid_path} ({len(frame):,} rows); targets: {len(targets)} "
          f"({table['comparable'].eq(True).sum()} comparable as a level, {table['error'].notna().sum()} errors)")
    print(f"analyse_all_gaps over {args.runs} runs: median {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
