"""Time `analyse_all_gaps` for every target in the shipped targets CSV on the real OWID data.

Prints the median and 95th percentile over repeated runs (the issue asks for ≤ 200 ms).
Run: python benchmarks/gap_all.py [--runs 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

from tanso import catalog
from tanso.emissions import national
from tanso.emissions.gap import analyse_all_gaps
from tanso.emissions.targets import read_targets, targets_from_frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    owid = catalog.read("owid_co2")
    frame = national.tidy_owid(owid, national.build_countries(owid))
    targets = targets_from_frame(read_targets(catalog.verified_path("targets")))
    analyse_all_gaps(frame, targets)  # warm-up: imports and first-call caches

    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        table = analyse_all_gaps(frame, targets)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(f"data: catalog owid_co2 ({len(frame):,} rows); targets: {len(targets)} "
          f"({table['comparable'].eq(True).sum()} comparable as a level, {table['error'].notna().sum()} errors)")
    print(f"analyse_all_gaps over {args.runs} runs: median {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
