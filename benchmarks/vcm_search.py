"""VCM search + facet counts against the OffsetsDB approach, on real and synthetic data.

    python benchmarks/vcm_search.py [--repeat 5] [--scales 1,10,100]

Builds the vcm tables from the pinned catalog (tanso.vcm.harmonise, timed) in a scratch
database `<db>_vcm_bench` on the same server (DATABASE_URL or the embedded one), then for each
scale k adds synthetic copies of every project (ids suffixed X1…X(k-1), same text) so the table
holds k × the real projects. For each scale and a fixed workload (words, phrases, ids in other
spellings, a misspelling, empty query, facet filters) it times, alternating:

- ours: `tanso.vcm.queries.search` — ranked full-text + id trigram match, one page, and
  the counts of all 11 facets (what the explorer and its JSON endpoint run per request);
- baseline (OffsetsDB's API): `ILIKE '%q%'` on project_id and name with trigram GIN indexes,
  ordered by id, one page plus the total count — no ranking and no facet counts.

After loading and after each growth it does what the `vcm` notebook does after a load:
refresh the stored facet counts and "did you mean" words, then VACUUM ANALYZE.

Prints median and p95 (ms) per scale and ours/baseline ratios of both. Targets: ours p95
≤ 50 ms on the real data, ≤ 150 ms at 100×. The scratch database is dropped at the end.
`--before REV` also times tanso/vcm/queries.py as it was at git revision REV, alternating with
the current one on the same data (its figures on the line "before"), and checks that both
return the same results for every request.

Last run (2026-12-02, `--before 9eff06c`, distinct names for the misspelling fallback and
facet combinations without text; load 1.3–1.8 on 2 shared cores): 1× p50 6.8 → 7.1 ms, p95
22.3 → 20.7 ms (target ≤ 50); 100× p50 139 → 94 ms, p95 1098 → 707 ms (target ≤ 150, missed:
words and phrases matching 70–180k projects); ILIKE at 100× 1520 / 1705 ms. docs/design.md has
the per-request figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess  # nosec B404 - git show of a revision the user names
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tanso.db import migrations
from tanso.db.engine import check_connection, get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.vcm import harmonise, queries, sources

WORKLOAD = [
    queries.Filters(),
    queries.Filters(query="cookstove"),
    queries.Filters(query="cookstove kenya"),
    queries.Filters(query="REDD+ brazil"),
    queries.Filters(query="landfill gas"),
    queries.Filters(query="\"improved forest management\""),
    queries.Filters(query="solar -wind"),
    queries.Filters(query="VCS981"),
    queries.Filters(query="gs 1005"),
    queries.Filters(query="biochar"),
    queries.Filters(query="cokstove"),  # misspelt: fuzzy fallback
    queries.Filters(query="wind", registry=("verra",), country=("India",)),
    queries.Filters(registry=("gold-standard",), vintage_min=2020),
    queries.Filters(corsia=True, sort="retired"),
    queries.Filters(query="rice", page=2),
]

BASELINE = sa.text("""
    SELECT project_id, name, registry, country, issued, retired, count(*) OVER () AS total
    FROM mart.vcm_projects
    WHERE project_id ILIKE :like OR name ILIKE :like
    ORDER BY project_id LIMIT 25""")

GROW = sa.text("""
    INSERT INTO core.vcm_projects (project_id, registry, name, developer, proponent, status,
        country, region, state, location, scope, category, project_type, reduction_removal,
        methodology, methodology_version, description, arb_wa, certifications, listed_at,
        registered_at, registry_url, website, notes, corsia, ccb, first_vintage, issued,
        retired, retired_year_unknown, remaining, buffer_deposits, reversals_covered,
        reversals_not_covered, buffer_released, sources, in_vrod, in_offsetsdb,
        in_registry_export)
    SELECT project_id || 'X' || g, registry, name, developer, proponent, status, country,
        region, state, location, scope, category, project_type, reduction_removal,
        methodology, methodology_version, description, arb_wa, certifications, listed_at,
        registered_at, registry_url, website, notes, corsia, ccb, first_vintage, issued,
        retired, retired_year_unknown, remaining, buffer_deposits, reversals_covered,
        reversals_not_covered, buffer_released, sources, in_vrod, in_offsetsdb,
        in_registry_export
    FROM core.vcm_projects, generate_series(CAST(:first AS int), CAST(:last AS int)) g
    WHERE project_id NOT LIKE '%X%'""")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def scratch_engine(base: sa.Engine) -> tuple[sa.Engine, str]:
    url = make_url(base.url)
    name = f"{url.database}_vcm_bench"
    with base.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return sa.create_engine(url.set(database=name), pool_pre_ping=True), name


def settle(engine: sa.Engine) -> float:
    """The notebook's after-load steps (see notebooks/etl/vcm.py); seconds taken."""
    start = time.perf_counter()
    with engine.begin() as conn:
        queries.refresh_search_aids(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE core.vcm_projects, core.vcm_flags, "
                             "core.vcm_facet_counts, core.vcm_facet_combos, core.vcm_search_names, "
                             "core.vcm_search_words, core.vcm_search_keys"))
    return time.perf_counter() - start


def queries_at(revision: str):
    """tanso.vcm.queries as it was at a git revision, as a module of its own."""
    source = subprocess.run(["git", "show", f"{revision}:src/tanso/vcm/queries.py"],  # nosec B603 B607
                            check=True, capture_output=True, text=True).stdout
    folder = Path(tempfile.mkdtemp())
    for data in Path(queries.__file__).parent.glob("*.json"):  # files it reads beside itself
        (folder / data.name).write_bytes(data.read_bytes())
    (folder / "queries.py").write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("queries_before", folder / "queries.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def measure(engine: sa.Engine, repeat: int, before=None) -> tuple[dict, list[float], dict]:
    """Seconds per request of ours and of `before` (by workload position), and of the baseline."""
    ours, baseline = {i: [] for i in range(len(WORKLOAD))}, []
    earlier = {i: [] for i in range(len(WORKLOAD))}
    for filters in WORKLOAD:  # warm-up: plans and caches; the same results before and now
        result = queries.search(engine, filters).as_dict()
        if before and before.search(engine, before.Filters(**vars(filters))).as_dict() != result:
            raise SystemExit(f"different results before and now: {describe(filters)}")
    with engine.connect() as conn:
        for _ in range(repeat):
            for i, filters in enumerate(WORKLOAD):
                if before:
                    old = before.Filters(**vars(filters))
                    start = time.perf_counter()
                    before.search(engine, old)
                    earlier[i].append(time.perf_counter() - start)
                start = time.perf_counter()
                queries.search(engine, filters)
                ours[i].append(time.perf_counter() - start)
                like = f"%{filters.query.strip()}%"
                start = time.perf_counter()
                conn.execute(BASELINE, {"like": like}).all()
                baseline.append(time.perf_counter() - start)
    return ours, baseline, earlier


def describe(filters: queries.Filters) -> str:
    return " ".join(f"{k}={v[0] if len(v) == 1 else ','.join(v)}"
                    for k, v in filters.to_mapping().items()) or "(no filter)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--detail", action="store_true",
                        help="also print each request's median at each scale")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch database (at the largest scale) for EXPLAIN")
    parser.add_argument("--before", metavar="REV",
                        help="also time the search code of this git revision, alternating")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    before = queries_at(args.before) if args.before else None

    base = check_connection(get_engine())
    engine, name = scratch_engine(base)
    try:
        migrations.upgrade(engine)
        start = time.perf_counter()
        tables = harmonise.build_tables(**sources.read_inputs())
        built = time.perf_counter() - start
        start = time.perf_counter()
        load_dataset(engine, [
            TableLoad("core.vcm_projects", tables.projects, key=("project_id",)),
            TableLoad("core.vcm_flags", tables.flags, key=("project_id", "flag")),
        ], dataset="vcm_bench", version="bench", sha256="-")
        loaded = time.perf_counter() - start
        real = len(tables.projects)
        print(f"build {built:.1f} s (parse + reconcile + flags), load of projects "
              f"{loaded:.1f} s; {real:,} projects; workload {len(WORKLOAD)} requests × "
              f"{args.repeat}")
        print(f"{'scale':>6} {'projects':>10} {'ours p50':>9} {'ours p95':>9} "
              f"{'ILIKE p50':>10} {'ILIKE p95':>10} {'p50 ratio':>10} {'p95 ratio':>10} "
              f"{'target p95':>11}")
        have = 1
        for scale in scales:
            if scale > have:
                start = time.perf_counter()
                with engine.begin() as conn:
                    conn.execute(GROW, {"first": have, "last": scale - 1})
                grown = time.perf_counter() - start
                have = scale
                print(f"       (grew to {scale}× in {grown:.0f} s, refresh + vacuum "
                      f"{settle(engine):.0f} s)")
            else:
                settle(engine)
            by_request, baseline, earlier = measure(engine, args.repeat, before)
            target = 50 if scale == 1 else 150 if scale >= 100 else None
            for label, samples in (("before", earlier), ("", by_request)):
                ours = [t for times in samples.values() for t in times]
                if not ours:
                    continue
                p50 = (statistics.median(ours), statistics.median(baseline))
                p95 = (percentile(ours, 0.95), percentile(baseline, 0.95))
                print(f"{label or f'{scale}×':>6} {real * scale:>10,} {p50[0] * 1000:>8.1f} "
                      f"{p95[0] * 1000:>9.1f} {p50[1] * 1000:>10.1f} {p95[1] * 1000:>10.1f} "
                      f"{p50[0] / p50[1]:>9.1f}× {p95[0] / p95[1]:>9.1f}× "
                      f"{(f'≤ {target} ms' if target else '-'):>11}")
            if args.detail:
                for i, samples in by_request.items():
                    then = (f"{statistics.median(earlier[i]) * 1000:>8.1f} →" if earlier[i]
                            else "")
                    print(f"{'':>8}{then}{statistics.median(samples) * 1000:>8.1f}  "
                          f"{describe(WORKLOAD[i])}")
            print(f"       (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    finally:
        engine.dispose()
        if args.keep:
            print(f"kept database {name}")
        else:
            with base.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))


if __name__ == "__main__":
    main()
