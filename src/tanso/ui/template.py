"""The one page template and theme every app uses: title, home link, language switch, footer.

No request leaves the server: the Fast design's Google font is dropped (a system font stack with
Korean fonts is used instead), and the page has a viewport meta so phones lay it out at their width.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import panel as pn
from panel.layout import Tabs
from panel.theme.base import Inherit
from panel.theme.fast import Fast
from panel.widgets import Button, FileDownload, Toggle
from panel.widgets.button import _ButtonBase

from tanso.ui import safe
from tanso.ui.i18n import LANGUAGES, page_language, t

ACCENT = "#0f766e"  # teal: readable on white, not a traffic-light colour
FONT = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans KR', 'Noto Sans CJK KR', "
        "'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif")
VIEWPORT = "width=device-width, initial-scale=1"
# Our own scripts, served from src/tanso/ui/assets/ at /assets/ (`tanso.serve.ASSETS`); relative URLs,
# so a page under a path prefix finds them too. SORT_JS sorts `tanso.ui.safe.table(..., sortable=True)`.
LINKS_JS = "assets/lang_links.js"
SORT_JS = "assets/sort_tables.js"
# Phones (≤ 700 px): the sidebar stacks above the page instead of squeezing it, and starts closed; the
# header wraps. This is CSS on purpose. The template's only option, `collapsed_sidebar`, is one value
# fixed when the server renders the page, and the server does not know the screen's width (Panel's
# browser info has none); a script that closed it after load would show it first and would need a
# CSP exception. So below 700 px the template's own "hidden" class is read the other way round: its
# menu button keeps working unchanged (it only toggles that class), the page is laid out closed from
# the first paint, and turning a phone to landscape or widening a window needs no reload.
# The open sidebar takes the screen's width including its padding (border-box: no sideways scroll);
# the button's hover tooltip is left out on phones, where a tap leaves it over the title.
PAGE_CSS = """
@media (max-width: 700px) {
  #content { flex-direction: column; height: auto; }
  #sidebar:not(.hidden) { display: none; }
  #sidebar.hidden { display: block; min-width: 100% !important; max-width: 100% !important; height: auto;
                    padding: 10px 5px; overflow: visible; box-sizing: border-box; }
  #main { width: 100%; min-width: 0; height: auto; padding: 0 4px; box-sizing: border-box; }
  #header { flex-wrap: wrap; height: auto; padding-bottom: 4px; }
  .app-header .title { font-size: 1.15em !important; white-space: normal; }
  fast-tooltip[anchor="sidebar-button"] { display: none; }
}
"""

HEADER_CSS = """
:host { color: white; }
:host > div { display: flex; flex-wrap: wrap; align-items: center; column-gap: 20px; row-gap: 4px; }
:host span { white-space: nowrap; }
:host a { color: white; text-decoration: none; opacity: 0.85; }
:host .home a, :host a.current { opacity: 1; font-weight: 600; }
:host .links:last-child { margin-left: auto; }
"""

# Panel's Fast design links a fonts.googleapis.com stylesheet on every page (render-blocking, a
# third party, broken offline). Drop it process-wide (a subclass would move the design's other
# resource paths); FONT below names local fonts instead.
Fast._resources = {k: v for k, v in Fast._resources.items() if k != "font"}

# Tab names wrap onto another row when the bar is narrower than they are (a phone): Bokeh's tab bar
# keeps them on one line and its header hides the overflow, so the last names were cut off with no
# way to reach them. Wrapping (rather than a strip that scrolls sideways) shows every name at once and
# keeps the active tab in sight when a link opens a later one, with no script (the CSP allows none
# of ours). Set on the design, so every tab bar of every app gets it.
TABS_CSS = """
:host .bk-header { min-width: 0; }
:host .bk-headers-wrapper { flex-wrap: wrap; min-width: 0; }
@media (max-width: 700px) { :host .bk-header { --pn-tab-padding-x: 0.7rem; } }
"""
Fast.modifiers[Tabs] = {"stylesheets": [Inherit, TABS_CSS]}

# Buttons look like buttons and show where the keyboard is. The Fast design draws a "light" button (the
# Gap table's "All columns" toggle, the custom target's "Remove") white on the white page, its border
# transparent: it read as plain text. A light button or toggle gets a grey face and border (selectors as
# specific as Panel's transparent one), a pressed toggle the accent's; not the light button groups: on
# the grey sidebar their white already shows. Fast also removes the focus ring of every button, groups'
# too: Tab reached a button with no sign of it; `:focus-visible` draws the ring for the keyboard only
# (a click leaves none).
LIGHT_BUTTON_CSS = f"""
:host(.solid) .bk-btn.bk-btn-light {{ background-color: #f3f4f6; border-color: #9ca3af; }}
:host(.solid) .bk-btn.bk-btn-light:hover {{ background-color: #e5e7eb; }}
:host(.solid) .bk-btn.bk-btn-light.bk-active {{ background-color: #ccfbf1; border-color: {ACCENT}; }}
"""
FOCUS_CSS = f":host .bk-btn:focus-visible {{ outline: 2px solid {ACCENT}; outline-offset: 2px; }}"
Fast.modifiers.update({_ButtonBase: {"stylesheets": [Inherit, FOCUS_CSS]},  # buttons, toggles, groups
                       FileDownload: {"stylesheets": [Inherit, FOCUS_CSS]},
                       Button: {"stylesheets": [Inherit, LIGHT_BUTTON_CSS]},
                       Toggle: {"stylesheets": [Inherit, LIGHT_BUTTON_CSS]}})


def current_lang() -> str:
    """The session's language: `?lang=`, else the signed-in user's, else English."""
    from tanso.auth import current_user

    args = pn.state.session_args or {}
    raw = args.get("lang", [b""])[0]
    return page_language(raw.decode(errors="replace") if isinstance(raw, bytes) else raw,
                         current_user().language)


def language_links(lang: str, search: str) -> safe.Markup:
    """English · 한국어 as plain links to this page in the other language, keeping the rest of the
    query (the view state): a navigation, so the new page is built in that language. Links, not a
    widget with a JavaScript callback: the page's CSP allows no code compiled from strings. Rendered
    once with the page request's query; `assets/lang_links.js` (LINKS_JS) keeps their `href` in step
    with the URL as the view changes, in the browser (found by `hreflang`)."""
    kept = [(key, value) for key, value in parse_qsl(search.lstrip("?"), keep_blank_values=True) if key != "lang"]
    return safe.join(" · ", [
        safe.link("?" + urlencode([*kept, ("lang", code)]), label, hreflang=code, data_testid=f"lang-{code}",
                  class_="current" if code == lang else "other")
        for code, label in LANGUAGES.items()])


def account_links(lang: str) -> safe.Markup:
    """Sign in / Register for guests; the user's name (to their account page) and Sign out when signed
    in (tanso.auth; the name is escaped like any text)."""
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
    return safe.join(" · ", links)


def header(lang: str) -> pn.pane.HTML:
    """The header's links in one pane (each pane is a root of the page, built for every session): home,
    account, and the language switch. Built once: the browser keeps the language links following the
    URL (LINKS_JS); re-rendering the pane on each URL change re-sent the whole header (~1.2 kB in its
    own message) with every widget change."""
    location = pn.state.location
    home = safe.link(f"./?lang={lang}", t("nav.home", lang), data_testid="home-link", class_="home")
    languages = language_links(lang, location.search if location else "")
    return safe.HTML(safe.Markup(f'<span class="home">{home}</span><span class="links">{account_links(lang)}</span>'
                                 f'<span class="links">{languages}</span>'),
                     margin=(14, 10), sizing_mode="stretch_width", stylesheets=[HEADER_CSS])


def page(slug: str | None, main: list, *, lang: str, sidebar: list | None = None):
    """A served page: `slug` names the app (title from the message catalog), None = landing. Its main
    area is one column: ``main``, then the footer (`template.main[0]`, footer last)."""
    title = t(f"app.{slug}.title", lang) if slug not in (None, "index") else t("suite.title", lang)
    footer = safe.Markdown(t("footer.sources", lang), styles={"color": "#555"}, margin=(24, 10, 4, 10))
    template = pn.template.FastListTemplate(
        title=title, header=[header(lang)], main=[pn.Column(*main, footer, sizing_mode="stretch_width")],
        sidebar=sidebar or [], accent=ACCENT, theme_toggle=False, main_layout=None,
        font=FONT, font_url="", meta_viewport=VIEWPORT, raw_css=[PAGE_CSS], sidebar_width=300,
        # Panel's busy indicator follows one busy flag per process: any visitor's work spins every open
        # page's indicator, and each toggle is a message to every page (N² messages when N pages change
        # at once). No page has one.
        busy_indicator=None,
    )
    # The template's modal actions are a ReactiveHTML component, which BokehJS compiles with `new Function`
    # (refused by the CSP, tanso.security_headers); no page opens the template's modal, so an empty pane
    # takes the place the template's HTML embeds.
    template._render_items["actions"] = (pn.pane.HTML("", margin=0, width=0, height=0), [])
    template.config.js_files["tanso_lang_links"] = LINKS_JS
    template.config.js_files["tanso_sort_tables"] = SORT_JS
    return template
