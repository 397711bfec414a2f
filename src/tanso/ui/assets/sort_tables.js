// Sorting of our HTML tables (tanso.ui.safe.table(..., sortable=True)) in the browser: a click, Enter or
// Space on a column title sorts the rows by that column, again reverses. These tables replaced
// Tabulator, which sorted in its own script; an inline handler would need a CSP exception, so this file
// is served from this server and listens on the window (Bokeh draws each pane in a shadow root, which
// the events' composed path crosses). The server re-renders a table when the view changes: the new
// table comes in the server's order.
(() => {
  "use strict";

  // The text of a cell without its hidden column title (`.label`, shown on phones only).
  const text = (cell) => [...cell.childNodes]
    .filter((node) => !(node instanceof Element && node.classList.contains("label")))
    .map((node) => node.textContent).join("").trim();

  // The value a cell sorts by, or null when missing ("–", empty; for numbers also words such as
  // "not reached"): "1,031.6 (2023)" → 1031.6, "+2.35" → 2.35, "-38.2 Mt/yr" → -38.2.
  const value = (kind, cell) => {
    const shown = text(cell);
    if (kind !== "number") return shown && shown !== "–" ? shown : null;
    const match = shown.replace(/,/g, "").replace(/\u2212/g, "-").match(/^[+-]?\d+(\.\d+)?/);
    return match ? parseFloat(match[0]) : null;
  };

  const sort = (title) => {
    const table = title.closest("table[data-sortable]");
    const column = [...title.parentElement.children].indexOf(title);
    const kind = title.dataset.sort;
    const direction = title.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    const language = document.documentElement.lang || undefined;
    // A row and the details row under it (tr.more) move together.
    const groups = [];
    for (const row of table.tBodies[0].rows) {
      if (row.classList.contains("more") && groups.length) groups[groups.length - 1].rows.push(row);
      else groups.push({rows: [row], key: value(kind, row.cells[column])});
    }
    groups.sort((a, b) => {  // stable; missing values last in both directions
      if (a.key === null || b.key === null) return (a.key === null) - (b.key === null);
      const order = kind === "number" ? a.key - b.key : a.key.localeCompare(b.key, language);
      return direction * order;
    });
    for (const other of title.parentElement.children) other.setAttribute("aria-sort", "none");
    title.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    table.tBodies[0].append(...groups.flatMap((group) => group.rows));
  };

  const titleOf = (event) => event.composedPath().find(
    (node) => node instanceof Element && node.matches("table[data-sortable] th[data-sort]"));

  window.addEventListener("click", (event) => {
    const title = titleOf(event);
    if (title) sort(title);
  }, true);
  window.addEventListener("keydown", (event) => {
    const title = (event.key === "Enter" || event.key === " ") && titleOf(event);
    if (title) {
      event.preventDefault();
      sort(title);
    }
  }, true);
})();
