"""The landing page: a card for each app the server actually serves (never a promise of a 404)."""

from __future__ import annotations

import panel as pn

from tanso.ui import safe
from tanso.ui.app import AppContext, Page
from tanso.ui.registry import AppInfo, available_apps
from tanso.ui.view import wrap_row


def app_card(app: AppInfo, lang: str) -> pn.Card:
    ctx_t = AppContext(slug=app.slug, lang=lang).t
    link = safe.link(f"./{app.slug}?lang={lang}", f"{ctx_t('nav.open')} →", class_="tanso-open",
                     data_testid=f"open-{app.slug}")
    return pn.Card(
        pn.pane.SVG(app.icon_svg(), width=32, height=32, margin=(0, 10), alt_text=""),  # our constant SVG
        safe.Markdown(ctx_t(app.desc_key), margin=(0, 10)),
        safe.HTML(link, margin=(0, 10, 10, 10)),
        title=ctx_t(app.title_key), collapsible=False, width=340, min_height=150, margin=10,
    )


def build(ctx: AppContext) -> Page:
    cards = wrap_row(*[app_card(a, ctx.lang) for a in available_apps()], margin=(10, 0))
    intro = safe.Markdown(safe.markdown("### {tagline}", tagline=ctx.t("suite.tagline")), margin=(10, 10, 0, 10))
    return Page(main=[intro, cards])
