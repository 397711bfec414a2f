"""Time the Kaya LMDI-I for every country with data over one period, on the real OWID data.

Prints median and p95 of `decompose_kaya_countries` (vectorised, what app and report call)
against a baseline measured in the same run: one `decompose_kaya` per country (the general
sub-category × factor path). The issue's target: every country over one period ≤ 200 ms.
Then, with the database loaded (`tanso pipeline run etl` and `sectors`), the server-side cost of
a view change in the sector app: a store parameter change and the redraw of the visible tab
(derived frames + Bokeh figure), no browser. The issue's target: ≤ 50 ms p95.
Run: python benchmarks/sectors.py [--runs 100] [--from 2000] [--to 2020] [--no-app]
"""

from __future__ import annotations

import argparse
import statistics
import time

from tanso import catalog
from tanso.emissions import national
from tanso.sectors.lmdi import KAYA_INPUTS, decompose_kaya, decompose_kaya_countries

TARGET_MS = 200
VIEW_TARGET_MS = 50


def timed(fn, runs: int) -> tuple[float, float, float, float]:
    """Median and p95 of wall time, then median and p95 of this process's CPU time (ms). On a shared
    machine the wall time also counts waiting for a core; the CPU time is the work itself."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)

    def stats(values):
        values.sort()
        return statistics.median(values), values[min(len(values) - 1, int(0.95 * len(values)))]
    return (*stats(wall), *stats(cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--from", dest="year_from", type=int, default=2000)
    parser.add_argument("--to", dest="year_to", type=int, default=2020)
    parser.add_argument("--no-app", action="store_true", help="skip the view-change timings")
    args = parser.parse_args()

    owid = catalog.read("owid_co2")
    frame = national.tidy_owid(owid, national.build_countries(owid))[
        ["country_code", "year", *KAYA_INPUTS]]
    result = decompose_kaya_countries(frame, year_from=args.year_from, year_to=args.year_to)
    rows = frame.set_index(["country_code", "year"])

    def per_country():
        for code in result.index:
            decompose_kaya(rows.loc[(code, args.year_from)], rows.loc[(code, args.year_to)])

    vector = timed(lambda: decompose_kaya_countries(frame, year_from=args.year_from,
                                                    year_to=args.year_to), args.runs)
    baseline = timed(per_country, max(3, args.runs // 20))
    print(f"data: catalog owid_co2 ({len(frame):,} rows); {len(result)} countries and aggregates with "
          f"all four Kaya inputs in {args.year_from} and {args.year_to}")
    print(f"decompose_kaya_countries: median {vector[0]:.1f} ms, p95 {vector[1]:.1f} ms "
          f"over {args.runs} runs (target ≤ {TARGET_MS} ms)")
    print(f"baseline, decompose_kaya per country: median {baseline[0]:.1f} ms, p95 {baseline[1]:.1f} ms")
    if not args.no_app:
        view_changes(args.runs)


def view_changes(runs: int) -> None:
    """p95 of a control change + redraw of the visible tab, per tab (store and views in-process).

    Three figures per tab, in one run: "warm" (what a user sees going back and forth: derived frames
    cached per process, figures updated in place), "cold" (the process cache emptied before every
    change: the frames recomputed, figures still updated in place), and the baseline "rebuild" (a new
    tab with new figures for each change — what a redraw cost before figures were updated in place).
    """
    from tanso.db.engine import get_engine
    from tanso.ui.sectors.store import SectorStore, load_sector_data

    store = SectorStore(data=load_sector_data(get_engine()), lang="en")
    store.compare = ["KOR", "JPN", "DEU", "USA", "CHN", "GBR"]
    changes = {
        "levels": [{"country": "DEU"}, {"country": "KOR"}, {"mode": "share"}, {"mode": "stacked"},
                   {"taxonomy": "climatewatch"}, {"taxonomy": "own"}],
        "waterfall": [{"year_from": 2010}, {"year_from": 2018}, {"country": "JPN"}, {"country": "KOR"}],
        "categories": [{"tree_year": 2000}, {"tree_year": 2022}],
        "decompose": [{"year_from": 2000}, {"year_from": 2010}],
        "compare": [{"year_to": 2020}, {"year_to": 2022}, {"compare": ["KOR", "JPN", "DEU"]},
                    {"compare": ["KOR", "JPN", "DEU", "USA", "CHN", "GBR"]}],
    }
    print(f"view change → redraw of the visible tab, server side (target p95 ≤ {VIEW_TARGET_MS} ms); "
          "median / p95 in ms:")
    print(f"  {'tab':<11} {'clock':<5} {'warm':>15} {'cold':>15} {'rebuild (baseline)':>20}")
    for tab, steps in changes.items():
        warm, cold, base = time_tab(store, tab, steps, runs)
        for clock, at in (("wall", 0), ("cpu", 2)):
            print(f"  {tab if at == 0 else '':<11} {clock:<5} {warm[at]:6.1f} / {warm[at + 1]:6.1f} "
                  f"{cold[at]:6.1f} / {cold[at + 1]:6.1f} {base[at]:9.1f} / {base[at + 1]:6.1f}   "
                  f"(p95 ratio warm/baseline {warm[at + 1] / base[at + 1]:.2f})")


def time_tab(store, tab: str, steps: list[dict], runs: int):
    """(median, p95) of the warm, cold and rebuild redraws of one tab over a cycle of changes."""
    import itertools

    import panel as pn

    from tanso.ui.sectors.store import SectorStore
    from tanso.ui.sectors.views import VIEWS

    store.param.update(tab=tab, country="KOR", year_from=2018, year_to=2022)
    pn.panel(VIEWS[tab](store=store)).get_root()  # built and drawn once, as when the tab is opened
    cycle = itertools.cycle(steps)
    warm = timed(lambda: store.param.update(**next(cycle)), runs)

    def cold():
        store.data._derived.clear()
        store.param.update(**next(cycle))

    def rebuild():  # a new store (so no view is left watching the shared one) and a new tab
        store.data._derived.clear()
        fresh = SectorStore(**(store.param.values() | next(cycle)))
        pn.panel(VIEWS[tab](store=fresh)).get_root()

    return warm, timed(cold, runs), timed(rebuild, max(5, runs // 5))


if __name__ == "__main__":
    main()
