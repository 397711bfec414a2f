"""News pipeline figures on the sample feeds (printed; target: the whole pipeline ≤ 10 s).

    python benchmarks/news.py [--repeat 5] [--feeds catalog/feeds.yaml]

Measured in one run, alternating so background load hits all alike, each on emptied news
tables (a first load) unless said:

- `parse`     feedparser + normalising of every feed's bytes, in process: the floor;
- `work`      what the notebook does, in process: read the state, fetch (local files), parse,
              de-duplicate, apply retention, link to the projects in the database, load in
              one transaction, delete what retention removes;
- `rerun`     `work` again on the loaded tables (nothing new: the idempotent path);
- `link`      linking the sample items against all 10,975 VROD projects (names and ids as VROD
              writes them): the matcher's build and scan at real size;
- `kernel`    a notebook that does nothing, run by the runner's kernel (start, papermill, stop):
              the floor of any pipeline step on this machine right now;
- `pipeline`  `tanso pipeline run news` through the runner (kernel start, papermill, the
              run's bookkeeping): what the scheduler pays.

Uses DATABASE_URL or the embedded server, migrated to head; it empties core.news_* (the
benchmark is for a development database).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from tanso import catalog
from tanso.config import settings
from tanso.db import migrations
from tanso.db.engine import check_connection, get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.news import batch, feeds, items, links, retention
from tanso.pipelines import Step, WarmKernel, load_pipeline, run_pipeline

TARGET_SECONDS = 10.0


def empty(engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM core.news_item_projects"))
        conn.execute(sa.text("DELETE FROM core.news_items"))
        conn.execute(sa.text("DELETE FROM core.news_feeds"))


def parse_all(config: feeds.FeedConfig) -> int:
    n = 0
    for feed in config.feeds:
        fetched = feeds.fetch(feed, timeout=config.timeout, max_bytes=config.max_bytes)
        n += len(items.parse_feed(fetched.body, feed=feed.name).items)
    return n


def work(engine, config: feeds.FeedConfig) -> int:
    """The notebook's three parts, in process."""
    now = datetime.now(UTC)
    with engine.connect() as conn:
        state = pd.read_sql(sa.text("SELECT * FROM core.news_feeds"), conn)
        stored = pd.read_sql(sa.text(f"SELECT {', '.join(batch.STORED_COLUMNS)} "
                                     "FROM core.news_items"), conn)
        projects = pd.read_sql(sa.text("SELECT project_id, name FROM core.vcm_projects"), conn)
    news = batch.collect(config, state=state, stored=stored, projects=projects, now=now,
                         retention=retention.retention_policy())
    load_dataset(engine, [
        TableLoad("core.news_items", news.items[["item_key", "feed", "guid", "link", "title",
                                                 "summary", "published_at", "first_seen_at",
                                                 "content_hash"]], key=("item_key",),
                  mode="upsert"),
        TableLoad("core.news_item_projects", news.links, key=("item_key", "project_id")),
        TableLoad("core.news_feeds", news.feeds, key=("feed",), mode="upsert"),
    ], dataset="news", version=now.isoformat(), sha256=news.fingerprint)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM core.news_items WHERE item_key = ANY(:keys)"),
                     {"keys": news.removed})
    return len(news.items)


def sample_items(config: feeds.FeedConfig) -> pd.DataFrame:
    frames = [items.parse_feed(feeds.fetch(f).body, feed=f.name).items for f in config.feeds]
    return pd.concat(frames, ignore_index=True)


def vrod_projects() -> pd.DataFrame:
    vrod = catalog.read("vrod")
    return pd.DataFrame({"project_id": vrod["Project ID"].astype(str),
                         "name": vrod["Project Name"]})


NOOP = """# %% tags=["parameters"]
run_id = None
step_result_path = None
"""


def empty_step(folder: Path) -> float:
    notebook = folder / "noop.py"
    notebook.write_text(NOOP)
    kernel = WarmKernel()
    t0 = time.perf_counter()
    try:
        kernel.execute(Step("noop", notebook, {}, ()), {}, folder / "noop.ipynb")
    finally:
        kernel.close()
    return time.perf_counter() - t0


def timed(func, *args) -> float:
    t0 = time.perf_counter()
    func(*args)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--feeds", default="catalog/feeds.yaml")
    args = parser.parse_args()
    engine = check_connection(get_engine())
    migrations.upgrade(engine)
    config = feeds.read_config(settings().project_root / args.feeds)
    with engine.connect() as conn:
        projects = conn.execute(sa.text("SELECT count(*) FROM core.vcm_projects")).scalar_one()
    print(f"feeds: {args.feeds} ({len(config.feeds)} feeds, {parse_all(config)} items); "
          f"{projects:,} VCM projects to link against; repeat {args.repeat}")
    pipeline = load_pipeline("news")
    news_items, projects_frame = sample_items(config), vrod_projects()
    folder = Path(tempfile.mkdtemp(prefix="tanso-bench-news-"))
    times: dict[str, list[float]] = {"parse": [], "work": [], "rerun": [], "link": [],
                                     "kernel": [], "pipeline": []}
    for _ in range(args.repeat):
        times["parse"].append(timed(parse_all, config))
        times["link"].append(timed(links.link_items, news_items, projects_frame))
        times["kernel"].append(empty_step(folder))
        empty(engine)
        times["work"].append(timed(work, engine, config))
        times["rerun"].append(timed(work, engine, config))
        empty(engine)
        t0 = time.perf_counter()
        run = run_pipeline(pipeline, {"feeds": args.feeds}, engine, wait=True)
        times["pipeline"].append(time.perf_counter() - t0)
        if not run.succeeded:
            raise SystemExit(f"the news pipeline failed: {run.steps[-1].error}")
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["parse"]
    print(f"{'measure':<10} {'median s':>9} {'× parse':>8}   (min … max)")
    for name, values in times.items():
        print(f"{name:<10} {medians[name]:9.3f} {medians[name] / base:8.1f}   "
              f"({min(values):.3f} … {max(values):.3f})")
    verdict = "meets" if medians["pipeline"] <= TARGET_SECONDS else "MISSES"
    print(f"pipeline median {medians['pipeline']:.2f} s {verdict} the target of "
          f"≤ {TARGET_SECONDS:.0f} s; the kernel and runner cost "
          f"{medians['pipeline'] - medians['work']:.2f} s of it, an empty step "
          f"{medians['kernel']:.2f} s; linking at full VROD size adds {medians['link']:.2f} s")


if __name__ == "__main__":
    main()
