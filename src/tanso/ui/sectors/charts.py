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
    fig = figure(title=title, tools="pan,wheel_zoom,box_zoom,reset,save", toolbar_location="above",
                 **size, **kwargs)
    fig.toolbar.logo = None
    fig.yaxis.axis_label = y_label
    fig.title.text_font_size = "12pt"
    fig.add_layout(Title(text=source, align="left", text_font_size="9pt", text_color="#6b7280",
                         text_font_style="normal", name="tanso-source"), "below")
    return fig


def _stack_columns(levels: pd.DataFrame, *, value: str, order: list[tuple[str, str]]) -> dict[str, dict]:
    """Per sector: the bounds of its positive part (stacked up from 0) and negative part (down from 0)."""
    wide = levels.pivot_table(index="year", columns="sector", values=value, aggfunc="sum").sort_index()
    years = wide.index.to_numpy()
    up, down = np.zeros(len(years)), np.zeros(len(years))
    columns = {}
    for sector, label in order:
        values = wide[sector].fillna(0.0).to_numpy() if sector in wide else np.zeros(len(years))
        pos, neg = np.clip(values, 0, None), np.clip(values, None, 0)
        columns[sector] = {"year": years, "up_lo": up, "up_hi": up + pos, "dn_lo": down + neg, "dn_hi": down,
                           "y": np.where(values >= 0, up + pos, down + neg), "value": values,
                           "sector": [label] * len(years)}
        up, down = up + pos, down + neg
    return columns


def _relabel(fig, *, title: str, source: str, y_label: str) -> None:
    fig.title.text = title
    fig.yaxis.axis_label = y_label
    for caption in fig.below:
        if getattr(caption, "name", "") == "tanso-source":
            caption.text = source


def stacked_area(levels: pd.DataFrame, *, value: str, order: list[tuple[str, str]], title: str,
                 y_label: str, source: str, fig=None):
    """Stacked areas by sector over years; positive parts above zero, negative parts below.

    levels: year, sector, <value>; order: (sector, label) bottom to top. Given the figure this
    function drew before for the same sectors, only its data and labels change (no new models:
    building Bokeh models is what makes a redraw slow).
    """
    columns = _stack_columns(levels, value=value, order=order)
    if fig is not None and getattr(fig, "tags", None) == [("stack", tuple(order))]:
        for renderer in fig.renderers:
            if renderer.name in columns:
                renderer.data_source.data = columns[renderer.name]
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
            fig.varea(x="year", y1="up_lo", y2="up_hi", source=data, fill_color=colour, fill_alpha=0.85),
            fig.varea(x="year", y1="dn_lo", y2="dn_hi", source=data, fill_color=colour, fill_alpha=0.85,
                      hatch_pattern="/", hatch_alpha=0.25),
            fig.scatter("year", "y", source=data, size=6, alpha=0, name=sector),
        ]
        legend_items.append((label, renderers))
    fig.add_tools(HoverTool(tooltips=[("", "@sector"), ("year", "@year"), ("", "@value{0,0.0}")]))
    fig.add_layout(Span(location=0, dimension="width", line_color="#111827", line_width=1))
    fig.add_layout(Legend(items=legend_items, click_policy="hide", label_text_font_size="9pt"), "right")
    return fig


def waterfall(contrib: pd.DataFrame, *, total_from: float, total_to: float, start_label: str,
              end_label: str, title: str, source: str, y_label: str, fig=None):
    """Total at the start, each counted sector's change as a floating bar, total at the end.

    Given its previous figure, only the data, factors and labels change.
    """
    counted = contrib[contrib["in_total"]]
    labels = [start_label, *counted["label"], end_label]
    bottoms, tops, colours_, values = [0.0], [total_from], [TOTAL], [total_from]
    level = total_from
    for change in counted["change"].fillna(0.0):
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


def sunburst(tree: pd.DataFrame, *, title: str, source: str, unit: str, max_level: int = 4):
    """Rings of the GIR tree (field inside, items outside), angles by value; sinks left out.

    tree: code, parent_code, level, label, field, value_mt for one year.
    """
    rows = tree[(tree["level"].between(1, max_level)) & tree["field"].notna() & (tree["field"] != "lulucf")]
    value = rows.set_index("code")["value_mt"].clip(lower=0).fillna(0.0)
    children = rows.groupby("parent_code")["code"].apply(list).to_dict()
    field_colour = colours(["energy", "ippu", "agriculture", "waste"])
    wedges = []

    def place(code: str, start: float, span: float, level: int) -> None:
        field = rows.set_index("code").at[code, "field"]
        wedges.append({"code": code, "start": start, "end": start + span, "level": level,
                       "colour": field_colour.get(field, TOTAL),
                       "alpha": max(0.35, 1.0 - 0.18 * (level - 1)),
                       "label": rows.set_index("code").at[code, "label"], "value": value[code]})
        kids = [k for k in children.get(code, []) if value.get(k, 0) > 0]
        total = sum(value[k] for k in kids)
        offset = start
        for kid in kids:
            share = span * value[kid] / total if total else 0
            place(kid, offset, share, level + 1)
            offset += share

    fields = [c for c in rows.loc[rows["level"] == 1, "code"] if value.get(c, 0) > 0]
    grand = sum(value[c] for c in fields)
    angle = math.pi / 2
    for code in fields:
        span = 2 * math.pi * value[code] / grand
        place(code, angle, span, 1)
        angle += span
    frame = pd.DataFrame(wedges)
    frame["inner"] = 0.25 + 0.2 * (frame["level"] - 1)
    frame["outer"] = frame["inner"] + 0.19
    frame["share"] = frame["value"] / grand * 100
    fig = _figure(title=title, source=source, x_range=(-1.05, 1.05), y_range=(-1.05, 1.05), height=640,
                  square=True)
    fig.axis.visible = False
    fig.grid.visible = False
    data = ColumnDataSource(frame)
    fig.annular_wedge(x=0, y=0, inner_radius="inner", outer_radius="outer", start_angle="start",
                      end_angle="end", fill_color="colour", fill_alpha="alpha", line_color="white",
                      source=data)
    fig.add_tools(HoverTool(tooltips=[("", "@code @label"), (unit, "@value{0,0.00}"),
                                      ("%", "@share{0.0}")]))
    fig.text(x=0, y=0, text=[f"{grand:,.0f}"], text_align="center", text_baseline="middle",
             text_font_size="14pt")
    return fig


def effect_bars(effects: dict[str, str | float], *, labels: dict[str, str], total_label: str,
                title: str, source: str, y_label: str):
    """One bar per effect and one for the total change (their sum)."""
    keys = list(effects)
    names = [labels[k] for k in keys] + [total_label]
    values = [float(effects[k]) for k in keys]
    values.append(math.fsum(values))
    data = ColumnDataSource({"x": names, "value": values,
                             "colour": [UP if v > 0 else DOWN for v in values[:-1]] + [TOTAL]})
    fig = _figure(title=title, source=source, y_label=y_label, x_range=names, height=360)
    fig.vbar(x="x", top="value", width=0.6, fill_color="colour", line_color="colour", source=data)
    fig.add_layout(Span(location=0, dimension="width", line_color="#111827", line_width=1))
    fig.add_tools(HoverTool(tooltips=[("", "@x"), (y_label, "@value{+0,0.0}")]))
    return fig


def index_lines(trends: pd.DataFrame, *, labels: dict[str, str], title: str, source: str, y_label: str):
    """Factor indices (start year = 100) as lines."""
    fig = _figure(title=title, source=source, y_label=y_label, height=330)
    palette = colours(list(labels))
    items = []
    for key, label in labels.items():
        rows = trends[trends["factor"] == key]
        data = ColumnDataSource({"year": rows["year"], "index": rows["index"], "name": [label] * len(rows)})
        dash = "dashed" if key == "co2" else "solid"
        items.append((label, [fig.line("year", "index", source=data, line_width=2.5, color=palette[key],
                                       line_dash=dash)]))
    fig.add_layout(Span(location=100, dimension="width", line_color="#9ca3af", line_dash="dotted"))
    fig.add_tools(HoverTool(tooltips=[("", "@name"), ("year", "@year"), (y_label, "@index{0.0}")]))
    fig.add_layout(Legend(items=items, label_text_font_size="9pt"), "right")
    return fig


def share_bars(comparison: pd.DataFrame, *, order: list[tuple[str, str]], countries: list[tuple[str, str]],
               title: str, source: str, x_label: str):
    """Horizontal 100 % bars per country; negative shares (sinks) to the left of zero."""
    names = [name for _, name in countries][::-1]
    fig = _figure(title=title, source=source, y_label="", y_range=names,
                  height=max(260, 70 + 48 * len(names)))
    fig.xaxis.axis_label = x_label
    wide = comparison.pivot_table(index="country_code", columns="sector", values="share_pct", aggfunc="sum")
    codes = [code for code, _ in countries][::-1]
    wide = wide.reindex(codes)
    right, left = np.zeros(len(codes)), np.zeros(len(codes))
    palette = colours([s for s, _ in order])
    items = []
    for sector, label in order:
        if sector not in wide:
            continue
        values = wide[sector].fillna(0.0).to_numpy()
        pos, neg = np.clip(values, 0, None), np.clip(values, None, 0)
        data = ColumnDataSource({"y": names, "left": np.where(values >= 0, right, left + neg),
                                 "right": np.where(values >= 0, right + pos, left), "value": values,
                                 "sector": [label] * len(names)})
        items.append((label, [fig.hbar(y="y", left="left", right="right", height=0.7, source=data,
                                       fill_color=palette[sector], line_color="white")]))
        right, left = right + pos, left + neg
    fig.add_layout(Span(location=0, dimension="height", line_color="#111827", line_width=1))
    fig.add_tools(HoverTool(tooltips=[("", "@sector"), ("", "@y"), ("%", "@value{0.0}")]))
    fig.add_layout(Legend(items=items, click_policy="hide", label_text_font_size="9pt"), "right")
    fig.xaxis.formatter = NumeralTickFormatter(format="0")
    return fig


def basis_lines(bases: pd.DataFrame, *, labels: dict[str, str], title: str, source: str, y_label: str):
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
    fig.add_tools(HoverTool(tooltips=[("", "@name"), ("year", "@year"), (y_label, "@value{0,0.0}"),
                                      ("vs GIR gross %", "@diff{+0.0}")]))
    fig.add_layout(Legend(items=items, click_policy="hide", label_text_font_size="9pt"), "right")
    return fig
