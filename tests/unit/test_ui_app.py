"""serve_app: the outage message names no host, user or password, and the page fills itself in later."""

import panel as pn

from tanso.db.engine import DatabaseUnavailable
from tanso.ui import app as kit
from tanso.ui.app import Page


def _texts(template) -> str:
    return " ".join(str(getattr(m, "object", "")) for m in template.main.objects[0].select(pn.pane.Markdown))


def test_outage_message_is_generic_and_the_page_recovers(monkeypatch):
    secret = "postgresql+psycopg://tanso:s3cr3t@db.internal:5432/tanso?password=s3cr3t"
    state = {"up": False}

    def engine():
        if not state["up"]:
            raise DatabaseUnavailable(f"cannot connect to {secret}: connection refused")
        return "engine"

    callbacks = []

    class Callback:
        def __init__(self, fn):
            self.fn, self.stopped = fn, False

        def stop(self):
            self.stopped = True

    def add_periodic_callback(fn, period):
        callbacks.append(Callback(fn))
        return callbacks[-1]

    monkeypatch.setattr(kit, "database_engine", engine)
    monkeypatch.setattr(pn.state, "add_periodic_callback", add_periodic_callback)
    built = []

    def build(ctx):
        built.append(ctx.engine)
        return Page(main=[pn.pane.Markdown("the app")], sidebar=[pn.pane.Markdown("controls")])

    template = kit.serve_app("example", build, sidebar=True)
    text = _texts(template)
    assert "cannot be reached" in text
    for leak in ("s3cr3t", "db.internal", "5432", "tanso:", "postgresql"):
        assert leak not in text
    assert built == [] and len(callbacks) == 1

    callbacks[0].fn()  # still down: still the message, still retrying
    assert not callbacks[0].stopped and "cannot be reached" in _texts(template)
    state["up"] = True
    callbacks[0].fn()  # back: the app fills the page, no more retries
    assert built == ["engine"] and callbacks[0].stopped
    assert "the app" in _texts(template)


def test_language_links_keep_the_view_and_the_page_loads_the_script_that_keeps_them_current():
    from tanso.serve import ASSETS, ServeOptions, panel_serve_argv
    from tanso.ui import template

    links = str(template.language_links("en", "?countries=KOR,JPN&lang=en&indicator=co2"))
    assert 'href="?countries=KOR%2CJPN&amp;indicator=co2&amp;lang=ko" hreflang="ko"' in links
    page = template.page("national_trends", [pn.pane.Markdown("x")], lang="en")
    assert page.config.js_files["tanso_lang_links"] == template.LINKS_JS == "assets/lang_links.js"
    argv = panel_serve_argv(ServeOptions())
    assert argv[argv.index("--static-dirs") + 1] == f"assets={ASSETS}" and (ASSETS / "lang_links.js").is_file()
