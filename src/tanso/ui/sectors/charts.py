"""Bokeh figures of the sector app, pure functions of frames (the store computes the frames).

Every figure carries its source and version under the plot, so a PNG still says where the
numbers come from. Negative values (LULUCF sinks) are stacked *below* zero: each sector's
positive part is stacked upwards from 0 and its negative part downwards, year by year, so a
sink never hides inside the positive stack (OWID's open grapher#3556).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, HoverTool, Legend, NumeralTickFormatter, Span, Title
from bokeh.plotting import figure

from tanso.ui.national.charts import PALETTE
from tanso.ui.titles import set_fitted

UP, DOWN, TOTAL = "#c2410c", "#0f766e", "#64748b"
HEIGHT = 430


def colours(keys) -> dict[str, str]:
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}


def _figure(*, title: str, source: str, y_label: str = "", x_range=None, y_range=None,
            height: int = HEIGHT, square: bool = False):
    kwargs = {"x_range": x_range} if x_range is not None else {}
    if y_range is not None:
        kwargs["y_range"] = y_range
    # a square figure scales with the width (a sunburst must stay round on a phone)
    size = ({"sizing_mode": "scale_width", "width": height, "height": height, "max_width": height}
            if square else {"sizing_mode": "stretch_width", "height": height})
    fig = figure(tools="pan,wheel_zoom,box_zoom,reset,save",
                 toolbar_location="above" if square else "right",
                 **size, **kwargs)
    fig.toolbar.logo = None
    fig.title.text_font_size = "12pt"
    fig.add_layout(Title(align="left", text_font_size="9pt", text_color="#6b7280", text_font_style="normal",
                         name="tanso-source"), "below")
    _relabel(fig, title=title, source=source, y_label=y_label)
    return fig


def stack_columns(levels: pd.DataFrame, *, value: str, order: list[tuple[str, str]]) -> dict[str, dict]:
    """Per sector: the bounds of its positive part (stacked up from 0) and negative part (down from 0).

    A year without a value for a sector (NaN, or no row) is missing, never 0: that sector's bounds are NaN
    there (no segment is drawn, its area has a gap) and the sectors above it stack on the known values.
    """
    # `pivot`, not `pivot_table(aggfunc="sum")`: a sum would turn a missing value into 0
    wide = levels.pivot(index="year", columns="sector", values=value).sort_index()
    years = wide.index.to_numpy()
    up, down = np.zeros(len(years)), np.zeros(len(years))
    columns = {}
    for sector, label in order:
        values = wide[sector].to_numpy(dtype=float) if sector in wide else np.full(len(years), np.nan)
        known = ~np.isnan(values)
        pos, neg = np.clip(np.where(known, values, 0.0), 0, None), np.clip(np.where(known, values, 0.0), None, 0)
        bounds = {"up_lo": up, "up_hi": up + pos, "dn_lo": down + neg, "dn_hi": down,
                  "y": np.where(values >= 0, up + pos, down + neg)}
        columns[sector] = {"year": years, **{k: np.where(known, v, np.nan) for k, v in bounds.items()},
                           "value": values, "sector": [label] * len(years)}
        up, down = up + pos, down + neg
    return columns


def missing_values(levels: pd.DataFrame, *, value: str, order: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """(sector label, year) of every sector in ``order`` without a value in a year that others have."""
    wide = levels.pivot(index="year", columns="sector", values=value).sort_index()
    return [(label, int(year)) for sector, label in order if sector in wide
            for year in wide.index[wide[sector].isna()]]


def area_outline(years, lo, hi) -> dict[str, np.ndarray]:
    """The polygon(s) of an area between ``lo`` and ``hi``, one per run of years with values, separated by
    NaN (Bokeh's `patch` draws NaN-separated polygons; `varea` would join the years around a gap)."""
    xs, ys = [], []
    known = ~(np.isnan(lo) | np.isnan(hi))
    start = None
    for i in range(len(years) + 1):
        if i < len(years) and known[i]:
            start = i if start is None else start
            continue
        if start is not None:
            if xs:
                xs.append(np.nan)
                ys.append(np.nan)
            run = slice(start, i)
            xs += [*years[run], *years[run][::-1]]
            ys += [*hi[run], *lo[run][::-1]]
            start = None
    return {"x": np.asarray(xs, dtype=float), "y": np.asarray(ys, dtype=float)}


def legend_height(labels) -> int:
    """Pixels a legend of ``labels`` takes below a chart (see `_legend_below`)."""
    return 24 * math.ceil(len(labels) / _legend_columns(labels)) + 12


def _legend_columns(labels) -> int:
    # Two columns when two of the longest label fit a phone's 360 px (a CJK character ≈ 12 px, others ≈ 6.5
    # at 9 pt), else one: a legend at the right squeezed the plot to a sliver on a phone.
    widest = max((sum(12 if ord(c) > 0x2E80 else 6.5 for c in str(label)) for label in labels), default=0)
    return 2 if 2 * (widest + 40) <= 360 else 1


def _legend_below(fig, items) -> None:
    """The legend under the plot (readable on a phone), the figure made taller by its rows."""
    labels = [label for label, _ in items]
    fig.add_layout(Legend(items=items, click_policy="hide", label_text_font_size="9pt",
                          ncols=_legend_columns(labels), location="top_left"), "below")
    fig.height += legend_height(labels)


def _relabel(fig, *, title: str, source: str, y_label: str) -> None:
    """New titles on a kept figure; only what changed is set (each set is a message to the browser)."""
    set_fitted(fig, fig.title, title, "12pt")
    for axis in fig.yaxis:
        _set(axis, "axis_label", y_label)
    for caption in fig.below:
        if getattr(caption, "name", "") == "tanso-source":
            set_fitted(fig, caption, source, "9pt")


def _set(model, name: str, value) -> None:
    if getattr(model, name) != value:
        setattr(model, name, value)


def _part(column: dict, part: str) -> dict:
    """The outline of a sector's positive ("up") or negative ("dn") part."""
    return area_outline(column["year"], column[f"{part}_lo"], column[f"{part}_hi"])


def stacked_area(columns: dict[str, dict], *, order: list[tuple[str, str]], title: str,
                 y_label: str, source: str, year_label: str, fig=None):
    """Stacked areas by sector over years; positive parts above zero, negative parts below.

    columns: `stack_columns` of the levels; order: (sector, label) bottom to top. Given the figure
    this function drew before for the same sectors, only its data and labels change (no new models:
    building Bokeh models is what makes a redraw slow).
    """
    if fig is not None and getattr(fig, "tags", None) == [("stack", tuple(order))]:
        for renderer in fig.renderers:
            sector, _, part = (renderer.name or "").partition(":")
            if sector in columns:
                renderer.data_source.data = _part(columns[sector], part) if part else columns[sector]
        _relabel(fig, title=title, source=source, y_label=y_label)
        return fig
    fig = _figure(title=title, source=source, y_label=y_label)
    fig.tags = [("stack", tuple(order))]
    palette = colours([s for s, _ in order])
    legend_items = []
    for sector, label in order:
        data = ColumnDataSource(columns[sector])
        colour = palette[sector]
        renderers = [
            fig.patch(x="x", y="y", source=ColumnDataSource(_part(columns[sector], "up")), name=f"{sector}:up",
                      fill_color=colour, fill_alpha=0.85, line_color=None),
            fig.patch(x="x", y="y", source=ColumnDataSource(_part(columns[sector], "dn")), name=f"{sector}:dn",
                      fill_color=colour, fill_alpha=0.85, line_color=None, hatch_pattern="/", hatch_alpha=0.25),
            fig.scatter("year", "y", source=data, size=6, alpha=0, name=sector),
        ]
        legend_items.append((label, renderers))
    # the points carry the values (the areas only their outlines); a missing year has no point
    points = [r for r in fig.renderers if r.name in columns]
    fig.add_tools(HoverTool(renderers=points, tooltips=[("", "@sector"), (year_label, "@year"),
                                                        ("", "@value{0,0.0}")]))
    fig.add_layout(Span(location=0, dimension="width", line_color="#111827", line_width=1))
    _legend_below(fig, legend_items)
    return fig


def waterfall(contrib: pd.DataFrame, *, total_from: float, total_to: float, start_label: str,
              end_label: str, title: str, source: str, y_label: str, fig=None):
    """Total at the start, each counted sector's change as a floating bar, total at the end.

    Given its previous figure, only the data, factors and labels change.
    """
    # a sector without a value in either year is out of the totals (contributions_to_change): no bar
    counted = contrib[contrib["in_total"] & contrib["change"].notna()]
    labels = [start_label, *counted["label"], end_label]
    bottoms, tops, colours_, values = [0.0], [total_from], [TOTAL], [total_from]
    level = total_from
    for change in counted["change"]:
        bottoms.append(min(level, level + change))
        tops.append(max(level, level + change))
        colours_.append(UP if change > 0 else DOWN)
        values.append(change)
        level += change
    bottoms.append(0.0)
    tops.append(total_to)
    colours_.append(TOTAL)
    values.append(total_to)
    data = {"x": labels, "bottom": bottoms, "top": tops, "colour": colours_, "value": values}
    low = min([*bottoms[1:-1], total_from, total_to])
    start = max(0.0, low - (max(tops) - low) * 0.15) if low > 0 else min(bottoms) * 1.05
    if fig is not None and getattr(fig, "tags", None) == ["waterfall"]:
        fig.x_range.factors = labels
        fig.renderers[0].data_source.data = data
        fig.y_range.start, fig.y_range.end = start, max(tops) * 1.01
        _relabel(fig, title=title, source=source, y_label=y_label)
        return fig
    fig = _figure(title=title, source=source, y_label=y_label, x_range=labels)
    fig.tags = ["waterfall"]
    fig.vbar(x="x", bottom="bottom", top="top", width=0.7, fill_color="colour", line_color="colour",
             source=ColumnDataSource(data))
    fig.add_tools(HoverTool(tooltips=[("", "@x"), ("", "@value{+0,0.0}")]))
    fig.xaxis.major_label_orientation = math.pi / 5
    fig.y_range.start, fig.y_range.end = start, max(tops) * 1.01
    return fig


def sunburst_wedges(tree: pd.DataFrame, *, max_level: int = 4) -> pd.DataFrame:
    """The rings of the GIR tree as wedges (field inside, items outside), angles by value; sinks left out.

    tree: code, parent_code, level, label, field, value_mt for one year. Returns code, label, level,
    start, end, inner, outer, colour, alpha, value, share (of the drawn total), one row per wedge.
    """
    rows = tree[(tree["level"].between(1, max_level)) & tree["field"].notna() & (tree["field"] != "lulucf")]
    value = dict(zip(rows["code"], rows["value_mt"].clip(lower=0).fillna(0.0), strict=True))
    field = dict(zip(rows["code"], rows["field"], strict=True))
    label = dict(zip(rows["code"], rows["label"], strict=True))
    children: dict = {}
    for code, parent in zip(rows["code"], rows["parent_code"], strict=True):
        children.setdefault(parent, []).append(code)
    field_colour = colours(["energy", "ippu", "agriculture", "waste"])
    wedges = []

    def place(code: str, start: float, span: float, level: int) -> None:
        wedges.append((code, label[code], level, start, start + span, field_colour.get(field[code], TOTAL),
                       max(0.35, 1.0 - 0.18 * (level - 1)), value[code]))
        kids = [k for k in children.get(code, []) if value[k] > 0]
        total = math.fsum(value[k] for k in kids)
        offset = start
        for kid in kids:
            share = span * value[kid] / total if total else 0
            place(kid, offset, share, level + 1)
            offset += share

    fields = [c for c in rows.loc[rows["level"] == 1, "code"] if value[c] > 0]
    grand = math.fsum(value[c] for c in fields)
    angle = math.pi / 2
    for code in fields:
        span = 2 * math.pi * value[code] / grand
        place(code, angle, span, 1)
        angle += span
    frame = pd.DataFrame(wedges, columns=["code", "label", "level", "start", "end", "colour", "alpha", "value"])
    frame["inner"] = 0.25 + 0.2 * (frame["level"] - 1)
    frame["outer"] = frame["inner"] + 0.19
    frame["share"] = frame["value"] / grand * 100 if grand else 0.0
    frame.attrs["total"] = grand
    return frame


def sunburst(wedges: pd.DataFrame, *, title: str, source: str, unit: str, fig=None):
    """The wedges of `sunburst_wedges` as rings, their drawn total in the middle.

    Given its previous figure, only the wedges, the total and the labels change.
    """
    total = [f"{wedges.attrs.get('total', 0.0):,.0f}"]
    if fig is not None and getattr(fig, "tags", None) == ["sunburst"]:
        named = {r.name: r for r in fig.renderers}  # not `select_one`: it walks every model (≈ 150 ms)
        wedge, centre = named["wedges"], named["total"]
        wedge.data_source.data = {c: wedges[c].to_numpy() for c in wedges.columns}  # from_df: ≈ 30 ms more
        centre.data_source.data = {"text": total}
        _relabel(fig, title=title, source=source, y_label="")
        return fig
    fig = _figure(title=title, source=source, height=640, square=True)
    fig.tags = ["sunburst"]
    fig.axis.visible = False
    fig.grid.visible = False
    # The rings' radii are in x units: with fixed ranges a frame that is not square (title, toolbar and
    # caption take height, more so on a phone) cut the rings off. Auto ranges with `match_aspect` keep
    # x and y scales equal; two invisible corner points give the extent the rings need.
    fig.match_aspect = True
    fig.scatter([-1.05, 1.05], [-1.05, 1.05], alpha=0)
    rings = fig.annular_wedge(x=0, y=0, inner_radius="inner", outer_radius="outer", start_angle="start",
                              end_angle="end", fill_color="colour", fill_alpha="alpha", line_color="white",
                              source=ColumnDataSource(wedges), name="wedges")
    fig.add_tools(HoverTool(renderers=[rings], tooltips=[("", "@code @label"), (unit, "@value{0,0.00}"),
                                                         ("%", "@share{0.0}")]))
    fig.text(x=0, y=0, text="text", text_align="center", text_baseline="middle", text_font_size="14pt",
             source=ColumnDataSource({"text": total}), name="total")
    return fig


def effect_bars(effects: dict[str, str | float], *, labels: dict[str, str], total_label: str,
                title: str, source: str, y_label: str, fig=None):
    """One bar per effect and one for the total change (their sum).

    Given its previous figure, only the bars' values, colours and labels change.
    """
    keys = list(effects)
    names = [labels[k] for k in keys] + [total_label]
    values = [float(effects[k]) for k in keys]
    values.append(math.fsum(values))
    data = {"x": names, "value": values, "colour": [UP if v > 0 else DOWN for v in values[:-1]] + [TOTAL]}
    if fig is not None and getattr(fig, "tags", None) == ["effects"]:
        fig.x_range.factors = names
        fig.renderers[0].data_source.data = data
        _relabel(fig, title=title, source=source, y_label=y_label)
        return fig
    fig = _figure(title=title, source=source, y_label=y_label, x_range=names, height=360)
    fig.tags = ["effects"]
    fig.vbar(x="x", top="value", width=0.6, fill_color="colour", line_color="colour",
             source=ColumnDataSource(data))
    fig.add_layout(Span(location=0, dimension="width", line_color="#111827", line_width=1))
    fig.add_tools(HoverTool(tooltips=[("", "@x"), (y_label, "@value{+0,0.0}")]))
    fig.xaxis.major_label_orientation = math.pi / 5  # five names side by side overlap on a phone
    return fig


def index_lines(trends: pd.DataFrame, *, labels: dict[str, str], title: str, source: str, y_label: str,
                year_label: str, fig=None):
    """Factor indices (start year = 100) as lines, one per key of `labels`.

    Given its previous figure for the same labels, only the lines' data and the titles change.
    """
    shape = [("lines", tuple(labels.items()))]
    factor, year, index = (trends[c].to_numpy() for c in ("factor", "year", "index"))
    columns = {}
    for key, label in labels.items():
        mask = factor == key
        columns[key] = {"year": year[mask], "index": index[mask], "name": [label] * int(mask.sum())}
    if fig is not None and getattr(fig, "tags", None) == shape:
        for renderer in fig.renderers:
            renderer.data_source.data = columns[renderer.name]
        _relabel(fig, title=title, source=source, y_label=y_label)
        return fig
    fig = _figure(title=title, source=source, y_label=y_label, height=330)
    fig.tags = shape
    palette = colours(list(labels))
    items = []
    for key, label in labels.items():
        dash = "dashed" if key == "co2" else "solid"
        items.append((label, [fig.line("year", "index", source=ColumnDataSource(columns[key]), line_width=2.5,
                                       color=palette[key], line_dash=dash, name=key)]))
    fig.add_layout(Span(location=100, dimension="width", line_color="#9ca3af", line_dash="dotted"))
    fig.add_tools(HoverTool(tooltips=[("", "@name"), (year_label, "@year"), (y_label, "@index{0.0}")]))
    _legend_below(fig, items)
    return fig


def share_columns(comparison: pd.DataFrame, *, order: list[tuple[str, str]],
                  countries: list[tuple[str, str]]) -> dict[str, dict]:
    """Per sector: left/right of its bar segment per country, positive shares rightwards from 0 and
    negative shares (sinks) leftwards."""
    names = [name for _, name in countries][::-1]
    codes = [code for code, _ in countries][::-1]
    wide = comparison.pivot_table(index="country_code", columns="sector", values="share_pct",
                                  aggfunc="sum").reindex(codes)
    right, left = np.zeros(len(codes)), np.zeros(len(codes))
    columns = {}
    for sector, label in order:
        values = wide[sector].fillna(0.0).to_numpy() if sector in wide else np.zeros(len(codes))
        pos, neg = np.clip(values, 0, None), np.clip(values, None, 0)
        columns[sector] = {"y": names, "left": np.where(values >= 0, right, left + neg),
                           "right": np.where(values >= 0, right + pos, left), "value": values,
                           "sector": [label] * len(names)}
        right, left = right + pos, left + neg
    return columns


def share_bars(columns: dict[str, dict], *, order: list[tuple[str, str]], countries: list[tuple[str, str]],
               title: str, source: str, x_label: str, fig=None):
    """Horizontal 100 % bars per country (`share_columns`); negative shares (sinks) left of zero.

    Given its previous figure for the same sectors, only the bars, the country axis and the titles change.
    """
    names = [name for _, name in countries][::-1]
    height = max(260, 70 + 48 * len(names)) + legend_height([label for _, label in order])
    shape = [("shares", tuple(order))]
    if fig is not None and getattr(fig, "tags", None) == shape:
        fig.y_range.factors = names
        for renderer in fig.renderers:
            renderer.data_source.data = columns[renderer.name]
        fig.height = height
        _relabel(fig, title=title, source=source, y_label="")
        fig.xaxis.axis_label = x_label
        return fig
    fig = _figure(title=title, source=source, y_label="", y_range=names, height=max(260, 70 + 48 * len(names)))
    fig.tags = shape
    fig.xaxis.axis_label = x_label
    palette = colours([s for s, _ in order])
    items = []
    for sector, label in order:
        items.append((label, [fig.hbar(y="y", left="left", right="right", height=0.7,
                                       source=ColumnDataSource(columns[sector]), fill_color=palette[sector],
                                       line_color="white", name=sector)]))
    fig.add_layout(Span(location=0, dimension="height", line_color="#111827", line_width=1))
    fig.add_tools(HoverTool(tooltips=[("", "@sector"), ("", "@y"), ("%", "@value{0.0}")]))
    _legend_below(fig, items)
    fig.xaxis.formatter = NumeralTickFormatter(format="0")
    return fig


def basis_lines(bases: pd.DataFrame, *, labels: dict[str, str], title: str, source: str, y_label: str,
                year_label: str, difference_label: str):
    """One line per inventory basis over the years."""
    fig = _figure(title=title, source=source, y_label=y_label)
    palette = colours(list(labels))
    items = []
    for key, label in labels.items():
        rows = bases[bases["basis"] == key]
        data = ColumnDataSource({"year": rows["year"], "value": rows["value_mt"],
                                 "diff": rows["difference_pct"], "name": [label] * len(rows)})
        dash = "solid" if key.startswith("gir") else "dashed"
        items.append((label, [fig.line("year", "value", source=data, line_width=2.5, color=palette[key],
                                       line_dash=dash)]))
    fig.add_tools(HoverTool(tooltips=[("", "@name"), (year_label, "@year"), (y_label, "@value{0,0.0}"),
                                      (difference_label, "@diff{+0.0}")]))
    _legend_below(fig, items)
    return fig
