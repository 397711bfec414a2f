"""The one page template and theme every app uses: title, home link, language switch, footer.

No request leaves the server: the Fast design's Google font is dropped (a system font stack with
Korean fonts is used instead), and the page has a viewport meta so phones lay it out at their width.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

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


def language_links(lang: str) -> pn.pane.HTML:
    """English · 한국어 as plain links to this page in the other language, keeping the rest of the
    query (the view state): a navigation, so the new page is built in that language. Links, not a
    widget with a JavaScript callback: the page's CSP allows no code compiled from strings."""
    pane = safe.HTML("", margin=(18, 10), stylesheets=[
        ":host a {color: white; text-decoration: none; opacity: 0.75} "
        ":host a.current {opacity: 1; font-weight: 600} :host {color: white; white-space: nowrap}"])
    location = pn.state.location

    def update(*_):
        query = parse_qsl((location.search if location else "").lstrip("?"), keep_blank_values=True)
        kept = [(key, value) for key, value in query if key != "lang"]
        pane.object = safe.join(" · ", [
            safe.link("?" + urlencode([*kept, ("lang", code)]), label, data_testid=f"lang-{code}",
                      class_="current" if code == lang else "other")
            for code, label in LANGUAGES.items()])

    update()
    if location is not None:
        location.param.watch(update, "search")  # URL sync changes the query as the view changes
    return pane


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
    template = pn.template.FastListTemplate(
        title=title, header=[home, account_controls(lang), language_links(lang)], main=[pn.Column(*main, footer, sizing_mode="stretch_width")],
        sidebar=sidebar or [], accent=ACCENT, theme_toggle=False, main_layout=None,
        font=FONT, font_url="", meta_viewport=VIEWPORT, raw_css=[PAGE_CSS], sidebar_width=300,
    )
    # The template's modal actions are a ReactiveHTML component, which BokehJS compiles with `new Function`
    # (refused by the CSP, tanso.security_headers); no page opens the template's modal, so an empty pane
    # takes the place the template's HTML embeds.
    template._render_items["actions"] = (pn.pane.HTML("", margin=0, width=0, height=0), [])
    return template
