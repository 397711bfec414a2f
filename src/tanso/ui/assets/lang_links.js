// The header's language links (English · 한국어, tanso.ui.template.language_links) follow the page's
// URL in the browser: each widget change updates the query (Panel's URL sync, history.pushState), and
// the link to the other language must carry that view state. The server renders the links once, with
// the query of the page request (enough without JavaScript); this file keeps them current, so the
// server no longer re-renders and re-sends the header on every change. Served from this server (the
// CSP allows no inline script). A link is also refreshed as it is hovered, focused or pressed, in case
// the URL changed before Bokeh had drawn the header.
(() => {
  "use strict";

  const LINK = "a[hreflang]";

  // Same as the server's: the query without `lang`, then `lang` last.
  const href = (lang) => {
    const query = new URLSearchParams(window.location.search);
    query.delete("lang");
    query.append("lang", lang);
    return "?" + query.toString();
  };

  const follow = (link) => link.setAttribute("href", href(link.getAttribute("hreflang")));

  // Bokeh draws each pane in a shadow root: look through them, within the page header only.
  const links = (root) => {
    const found = [...root.querySelectorAll(LINK)];
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) found.push(...links(element.shadowRoot));
    }
    return found;
  };

  const refresh = () => links(document.getElementById("header") || document).forEach(follow);

  for (const name of ["pushState", "replaceState"]) {
    const original = window.history[name];
    window.history[name] = function (...args) {
      const result = original.apply(this, args);
      refresh();
      return result;
    };
  }
  window.addEventListener("popstate", refresh);
  window.addEventListener("DOMContentLoaded", refresh);

  const header = (event) => event.composedPath().some((node) => node.id === "header");
  for (const type of ["pointerover", "focusin", "pointerdown", "click"]) {
    window.addEventListener(type, (event) => {
      const link = event.composedPath().find((node) => node instanceof Element && node.matches(LINK));
      if (link && header(event)) follow(link);
    }, true);
  }
})();
