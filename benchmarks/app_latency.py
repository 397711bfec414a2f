"""Server-side latency of the national-trends app, in process, on the data in the dev database.

Prints median and p95 over repeated runs of: a new session's page (build the views and `get_root()`),
a country change, an indicator change, and the gap of every target in mart.targets.
Targets (issue 3): new session ≤ 300 ms median, each change ≤ 100 ms p95, all-country gaps ≤ 200 ms.
Run: python benchmarks/app_latency.py [--runs 50]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

import panel as pn

from tanso.db.engine import get_engine
from tanso.emissions.national_view import all_gaps, load_national_data
from tanso.ui.national.app import build

COUNTRY_SETS = (["KOR", "JPN"], ["KOR", "JPN", "USA", "DEU"], ["KOR", "OWID_WRL"], ["CHN", "IND", "EU27"])
INDICATORS = ("co2", "co2_per_capita", "coal_co2", "total_ghg", "share_global_co2", "consumption_co2")


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, ms: list[float], target: str) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    print(f"{name:<28} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms"
          f"   (target {target}; n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    engine = get_engine()
    start = time.perf_counter()
    data = load_national_data(engine)
    print(f"first load of mart.national + mart.targets: {(time.perf_counter() - start) * 1000:.0f} ms "
          f"({len(data.frame):,} rows, {len(data.targets)} targets; once per process and dataset version)")

    def new_session():
        _, app = build(load_national_data(engine), "en")  # includes the version check query
        return pn.Row(*app.sidebar(), app).get_root()

    timed(new_session, 3)  # warm-up: imports, caches
    report("new session page", timed(new_session, args.runs), "≤ 300 ms median")

    store, app = build(data, "en")
    pn.Row(*app.sidebar(), app).get_root()
    countries = itertools.cycle(COUNTRY_SETS)
    indicators = itertools.cycle(INDICATORS)
    report("country change", timed(lambda: setattr(store.selection, "countries", next(countries)), args.runs * 2),
           "≤ 100 ms p95")
    report("indicator change", timed(lambda: setattr(store.selection, "indicator", next(indicators)), args.runs * 2),
           "≤ 100 ms p95")
    report("gaps, all targets", timed(lambda: all_gaps(data), args.runs), "≤ 200 ms")


if __name__ == "__main__":
    main()
