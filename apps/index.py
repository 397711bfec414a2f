"""Landing page: one card per app of the suite."""

import panel as pn

from tanso.ui.i18n import t
from tanso.ui.registry import available_apps
from tanso.ui.template import current_lang, page

pn.extension(reconnect=True)


def app_card(app, lang: str) -> pn.Card:
    link = (f'<a class="tanso-open" href="./{app.slug}?lang={lang}" data-testid="open-{app.slug}">'
            f'{t("nav.open", lang)} →</a>')
    return pn.Card(
        pn.pane.Markdown(t(app.desc_key, lang), margin=(0, 10)),
        pn.pane.HTML(link, margin=(0, 10, 10, 10)),
        title=f"{app.icon}  {t(app.title_key, lang)}",
        collapsible=False, width=340, min_height=150, margin=10,
    )


lang = current_lang()
cards = pn.FlexBox(*[app_card(a, lang) for a in available_apps()], margin=(10, 0))
intro = pn.pane.Markdown(f"### {t('suite.tagline', lang)}", margin=(10, 10, 0, 10))
page(None, [intro, cards], lang=lang).servable()
