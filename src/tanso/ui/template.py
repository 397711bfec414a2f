"""The one page template and theme every app uses: title, home link, language switch, footer."""

from __future__ import annotations

import panel as pn

from tanso.ui.i18n import LANGUAGES, normalise, t

ACCENT = "#0f766e"  # teal: readable on white, not a traffic-light colour


def current_lang() -> str:
    """The session's language from `?lang=`; English when absent or unknown."""
    args = pn.state.session_args or {}
    raw = args.get("lang", [b""])[0]
    return normalise(raw.decode() if isinstance(raw, bytes) else raw)


def language_switch(lang: str) -> pn.widgets.RadioButtonGroup:
    switch = pn.widgets.RadioButtonGroup(
        name=t("lang.label", lang), options={label: code for code, label in LANGUAGES.items()},
        value=lang, button_type="light", button_style="outline", width=160, margin=(12, 10),
    )

    # Navigate in the browser: the new page is built in the new language and keeps the rest
    # of the URL (view state). A server-side Location update raced with the reload.
    switch.jscallback(value="""
        const url = new URL(window.location.href);
        url.searchParams.set('lang', codes[cb_obj.active]);
        window.location.assign(url.toString());
    """, args={"codes": list(LANGUAGES)})
    return switch


def page(slug: str | None, main: list, *, lang: str, sidebar: list | None = None):
    """A served page: `slug` names the app (title from the message catalog), None = landing."""
    title = t(f"app.{slug}.title", lang) if slug else t("suite.title", lang)
    home = pn.pane.HTML(
        f'<a href="./?lang={lang}" style="color:white;font-weight:600;text-decoration:none;'
        f'margin-right:12px" data-testid="home-link">{t("nav.home", lang)}</a>',
        margin=(18, 6),
    )
    footer = pn.pane.Markdown(t("footer.sources", lang), styles={"color": "#555"},
                              margin=(24, 10, 4, 10))
    template = pn.template.FastListTemplate(
        title=title, header=[home, language_switch(lang)], main=[pn.Column(*main, footer, sizing_mode="stretch_width")],
        sidebar=sidebar or [], accent=ACCENT, theme_toggle=False, main_layout=None,
    )
    return template
