"""The news page: the latest items of the configured feeds, the projects each one mentions, and
how each feed did on its last fetch (failures in plain words).

Every text of an item came from a feed: it reaches the page escaped by `tanso.ui.safe`
(`safe.markdown` templates, `safe.link` for the two kinds of link), never as raw HTML.
"""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import panel as pn
import param

from tanso.news import queries
from tanso.ui import safe
from tanso.ui.app import AppContext, Page
from tanso.ui.data_runs import table, utc_text
from tanso.ui.i18n import t
from tanso.ui.view import View

ALL = ""
ITEMS_SHOWN = 100


def project_url(project_id: str, lang: str) -> str:
    return f"./vcm_explorer?tab=project&project={quote(project_id)}&lang={quote(lang)}"


def _day(value) -> str:
    return pd.Timestamp(value).tz_convert("UTC").strftime("%Y-%m-%d")


def item_markup(item, lang: str) -> safe.Markup:
    """One item as Markdown: the title (a link when the feed gave an http(s) one), date, feed,
    linked projects, summary. Every feed value is escaped."""
    title = (safe.link(item.link, item.title)
             if isinstance(item.link, str) and item.link else safe.escape(item.title))
    when = (t("news.undated", lang, seen=_day(item.first_seen_at)) if item.date_missing
            else _day(item.published_at))
    parts = [safe.markdown("**{title}**", title=safe.Markup(title)),
             safe.markdown(t("news.meta", lang), date=when, feed=item.feed)]
    if item.projects:
        links = safe.Markup(", ".join(safe.link(project_url(p, lang), p)
                                      for p in item.projects.split(", ")))
        parts.append(safe.markdown(t("news.projects", lang), projects=links))
    if item.summary:
        parts.append(safe.escape(item.summary))
    return safe.Markup("  \n".join(parts))


def item_panes(frame: pd.DataFrame, lang: str) -> list:
    return [safe.Markdown(item_markup(row, lang), css_classes=["news-item"],
                          sizing_mode="stretch_width", margin=(4, 10),
                          styles={"border-bottom": "1px solid #e5e7eb"})
            for row in frame.itertuples(index=False)]


class NewsStore(param.Parameterized):
    lang = param.String(default="en", doc="UI language")
    feed = param.String(default=ALL, doc="Show only this feed's items (empty: every feed)")

    def __init__(self, engine, **params):
        super().__init__(**params)
        self.engine = engine
        self.feeds = queries.feeds(engine)

    def items(self) -> pd.DataFrame:
        return queries.items(self.engine, feed=self.feed or None, limit=ITEMS_SHOWN)


class NewsView(View):
    """Feed filter, the items, the feeds' last fetch."""

    def __init__(self, **params):
        super().__init__(**params)
        store: NewsStore = self.store
        options = {self.t("news.all_feeds"): ALL} | {f: f for f in store.feeds["feed"]}
        if store.feed not in options.values():
            store.feed = ALL  # an unknown feed in the URL: show everything
        self._feed = pn.widgets.Select.from_param(store.param.feed, options=options,
                                                  label=self.t("news.feed"), width=260)
        self._summary = safe.Markdown(sizing_mode="stretch_width")
        self._items = pn.Column(sizing_mode="stretch_width")
        store.param.watch(lambda *_: pn.state.execute(self.refresh), "feed")
        self.refresh()

    def refresh(self):
        frame = self.store.items()
        self._summary.object = self.md("news.summary", shown=len(frame))
        self._items.objects = item_panes(frame, self.lang) or [
            safe.Alert(self.md("news.none"), alert_type="info")]

    def __panel__(self):
        feeds = self.store.feeds.copy()
        parts = [safe.Markdown(self.md("news.intro"), sizing_mode="stretch_width"),
                 self._feed, self._summary, self._items,
                 safe.Markdown(safe.markdown("## {h}", h=self.t("news.feeds")))]
        if feeds.empty:
            parts.append(safe.Alert(self.md("news.no_feeds"), alert_type="info"))
        else:
            for column in ("checked_at", "succeeded_at"):
                feeds[column] = utc_text(feeds[column])
            feeds["status"] = feeds["status"].map(lambda s: self.t(f"news.status.{s}"))
            parts.append(table(feeds, {"feed": self.t("news.feed"), "status": self.t("col.status"),
                                       "message": self.t("news.message"),
                                       "items_stored": self.t("news.items_stored"),
                                       "checked_at": self.t("news.checked_at"),
                                       "succeeded_at": self.t("news.succeeded_at"),
                                       "url": "URL"}, "feeds"))
        return pn.Column(*parts, sizing_mode="stretch_width")


def build(ctx: AppContext) -> Page:
    store = NewsStore(ctx.engine, lang=ctx.lang)
    ctx.sync_url(store, {"feed": "feed"})
    return Page(main=[NewsView(store=store)])
