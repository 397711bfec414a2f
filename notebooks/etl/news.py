# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # News feeds
# Fetches the RSS/Atom feeds listed in `feeds` (else the file $TANSO_NEWS_FEEDS names, which the
# Helm chart mounts from a ConfigMap, else catalog/feeds.yaml; README "News feeds"),
# conditionally (the ETag / Last-Modified each feed last sent), with a timeout; keeps new and
# edited items as plain text, de-duplicated by key and content; links every stored item to the
# VCM projects it names (`tanso.news.links`). A feed that fails keeps what it had, and fails
# the step after the others are saved. Retention (`tanso.news.retention`: TANSO_NEWS_KEEP_DAYS,
# TANSO_NEWS_KEEP_PER_FEED) then removes items older than the age kept or past each feed's count.

# %% tags=["parameters"]
feeds = None   # a feeds file; None: $TANSO_NEWS_FEEDS, else catalog/feeds.yaml
run_id = None
step_result_path = None

# %%
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa

from tanso.db.engine import get_engine
from tanso.db.load import TableLoad, load_dataset
from tanso.news import batch as news_batch
from tanso.news.feeds import config_path, read_config
from tanso.news.retention import retention_policy
from tanso.pipelines import record_step_result

engine = get_engine()
now = datetime.now(UTC)
retention = retention_policy()

# %% [markdown]
# ## Load inputs
# The feed list, what the last runs stored (feed state, item keys and hashes) and the projects.

# %%
config = read_config(config_path(feeds))
with engine.connect() as conn:
    state = pd.read_sql(sa.text("SELECT * FROM core.news_feeds"), conn)
    stored = pd.read_sql(sa.text(f"SELECT {', '.join(news_batch.STORED_COLUMNS)} "
                                 "FROM core.news_items"), conn)
    projects = pd.read_sql(sa.text("SELECT project_id, name FROM core.vcm_projects"), conn)
print(f"{len(config.feeds)} feed(s), {len(stored)} item(s) stored, {len(projects)} project(s)")

# %% [markdown]
# ## Process data
# Fetch and parse each feed; de-duplicate; apply retention; link to projects. One line per
# feed problem.

# %%
news = news_batch.collect(config, state=state, stored=stored, projects=projects, now=now,
                          retention=retention)
print(news.feeds[["feed", "status", "items_in_feed"]].to_string(index=False))
print("\n".join(news.messages) or "no feed problems")
print(f"{len(news.items)} new or changed item(s); {len(news.links)} project link(s); "
      f"{len(news.removed)} stored item(s) past retention ({retention.keep_days} days, "
      f"{retention.keep_per_feed} per feed)")

# %% [markdown]
# ## Save outputs
# One transaction: items upserted (first_seen_at kept for an edited item), links replaced,
# feed state upserted, and the run recorded in ops.loaded_datasets. Then the items past
# retention are deleted (their links go with them), also when a feed failed.

# %%
loads = [
    TableLoad("core.news_items", news.items[["item_key", "feed", "guid", "link", "title", "summary",
                                             "published_at", "first_seen_at", "content_hash"]],
              key=("item_key",), mode="upsert"),
    TableLoad("core.news_item_projects", news.links, key=("item_key", "project_id")),
    TableLoad("core.news_feeds", news.feeds, key=("feed",), mode="upsert"),
]
rows = load_dataset(engine, loads, dataset="news", version=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    sha256=news.fingerprint, run_id=run_id)
record_step_result(step_result_path, rows_written=len(news.items))
with engine.begin() as conn:
    conn.execute(sa.text("DELETE FROM core.news_items WHERE item_key = ANY(:keys)"),
                 {"keys": news.removed})
print(f"items written: {len(news.items)}; removed: {len(news.removed)}")
if news.failed:
    raise news_batch.FeedsFailed(news)
