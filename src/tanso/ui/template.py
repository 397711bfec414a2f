"""The one page template and theme every app uses: title, home link, language switch, footer.

No request leaves the server: the Fast design's Google font is dropped (a system font stack with
Korean fonts is used instead), and the page has a viewport meta so phones lay it out at their width.
"""

from __future__ import annotations

import panel as pn
from panel.theme.fast import Fast

from tanso.ui import safe
from tanso.ui.i18n import LANGUAGES, page_language, t

ACCENT = "#0f766e"  # teal: readable on white, not a traffic-light colour
FONT = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans KR', 'Noto Sans CJK KR', "
        "'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif")
VIEWPORT = "width=device-width, initial-scale=1"
# Phones: the sidebar stacks above the page instead of squeezing it, and starts closed — the menu
# button's "hidden" class is read the other way round below 700 px (CSS only, the template's own
# toggle keeps working); the header wraps.
PAGE_CSS = """
@media (max-width: 700px) {
  #content { flex-direction: column; height: auto; }
  #sidebar:not(.hidden) { display: none; }
  #sidebar.hidden { display: block; min-width: 100% !important; max-width: 100% !important; height: auto;
                    padding: 10px 5px; overflow: visible; }
  #main { width: 100%; min-width: 0; height: auto; padding: 0 4px; box-sizing: border-box; }
  #header { flex-wrap: wrap; height: auto; padding-bottom: 4px; }
  .app-header .title { font-size: 1.15em !important; white-space: normal; }
}
"""


# Panel's Fast design links a fonts.googleapis.com stylesheet on every page (render-blocking, a
# third party, broken offline). Drop it process-wide (a subclass would move the design's other
# resource paths); FONT below names local fonts instead.
Fast._resources = {k: v for k, v in Fast._resources.items() if k != "font"}


def current_lang() -> str:
    """The session's language: `?lang=`, else the signed-in user's, else English."""
    from tanso.auth import current_user

    args = pn.state.session_args or {}
    raw = args.get("lang", [b""])[0]
    return page_language(raw.decode(errors="replace") if isinstance(raw, bytes) else raw,
                         current_user().language)


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


def account_controls(lang: str) -> pn.pane.HTML:
    """The header's account links: Sign in / Register for guests; the user's name (to their
    account page) and Sign out when signed in (tanso.auth; the name is escaped like any text)."""
    from urllib.parse import quote

    from tanso.auth import current_user

    user = current_user()
    here = quote(f"{pn.state.app_url or '/'}?lang={lang}", safe="/")
    if user.is_guest:   # the account pages speak the page's language too
        links = [safe.link(f"/login?next={here}&lang={lang}", t("account.sign_in", lang), data_testid="sign-in"),
                 safe.link(f"/register?next={here}&lang={lang}", t("account.register", lang),
                           data_testid="register")]
    else:
        links = [safe.link(f"/account?lang={lang}", user.display_name, data_testid="account-name"),
                 safe.link(f"/logout?lang={lang}", t("account.sign_out", lang), data_testid="sign-out")]
    return safe.HTML(safe.join(" · ", links), margin=(18, 10),
                     stylesheets=[":host a {color: white; text-decoration: none} "
                                  ":host {color: white; white-space: nowrap}"])


def page(slug: str | None, main: list, *, lang: str, sidebar: list | None = None):
    """A served page: `slug` names the app (title from the message catalog), None = landing."""
    title = t(f"app.{slug}.title", lang) if slug not in (None, "index") else t("suite.title", lang)
    home = safe.HTML(safe.link(f"./?lang={lang}", t("nav.home", lang), data_testid="home-link"),
                     styles={"font-weight": "600"}, stylesheets=[":host a {color: white; text-decoration: none}"],
                     margin=(18, 6))
    footer = safe.Markdown(t("footer.sources", lang), styles={"color": "#555"}, margin=(24, 10, 4, 10))
    return pn.template.FastListTemplate(
        title=title, header=[home, account_controls(lang), language_switch(lang)], main=[pn.Column(*main, footer, sizing_mode="stretch_width")],
        sidebar=sidebar or [], accent=ACCENT, theme_toggle=False, main_layout=None,
        font=FONT, font_url="", meta_viewport=VIEWPORT, raw_css=[PAGE_CSS], sidebar_width=300,
    )
