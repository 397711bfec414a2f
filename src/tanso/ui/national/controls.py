"""The sidebar: entities (filtered by kind), indicator, exact years, scale, values, overlays."""

from __future__ import annotations

import panel as pn

from tanso.emissions.indicators import INDICATORS
from tanso.emissions.national_view import ENTITY_KINDS
from tanso.ui import safe
from tanso.ui.national.options import entity_options
from tanso.ui.view import Message, View

SEARCHABLE_KINDS = tuple(k for k in ENTITY_KINDS if k != "other")


class Controls(View):
    """Sidebar widgets bound to `store.selection` (`from_param`), plus the two that need care:
    the entity picker (a link may name unknown codes, which the store reports and keeps out of the
    widget) and the exact year inputs (a reversed range is refused at the field)."""

    def _country_options(self, kinds) -> dict[str, str]:
        s = self.store
        options = entity_options(s.data, s.lang, tuple(kinds))
        chosen = entity_options(s.data, s.lang, ENTITY_KINDS)
        by_code = {code: label for label, code in chosen.items()}
        # Selected entities first, in the order of the selection (= the URL), so chips keep that order,
        # and stay choosable when their kind is filtered out.
        first = {by_code[c]: c for c in s.codes if c in by_code}
        ordered = first | {label: code for label, code in options.items() if code not in first.values()}
        return {safe.choice_label(label): code for label, code in ordered.items()}  # Choices.js shows HTML

    def _picker(self):
        s, sel = self.store, self.store.selection
        kinds = pn.widgets.CheckBoxGroup(
            label=self.t("nt.kinds"), inline=True, value=["country", "world"],
            options={self.t(f"kind.{k}"): k for k in SEARCHABLE_KINDS}, sizing_mode="stretch_width",
            stylesheets=[":host .bk-input-group {flex-wrap: wrap; row-gap: 4px}"])
        picker = pn.widgets.MultiChoice(
            label=self.t("nt.countries"), options=self._country_options(kinds.value), value=list(s.codes),
            search_option_limit=40, option_limit=300, placeholder=self.t("nt.search"),
            sizing_mode="stretch_width", solid=False)
        kinds.param.watch(lambda e: picker.param.update(options=self._country_options(e.new)), "value")

        def push(event):
            if list(event.new) != list(s.codes):
                sel.countries = list(event.new)

        def pull(_):
            wanted = [c for c in s.codes if c in picker.options.values()]
            if picker.value == wanted:
                return  # the picker's own change: the browser already shows these chips in this order
            # Set from elsewhere (a link, the map): BokehJS redraws the chips in the order of the
            # options, so they go out again with the selection first. Param compares dicts without
            # their order, so a reordered dict alone sends nothing: trigger it.
            with pn.io.hold():
                picker.options = self._country_options(kinds.value)
                picker.param.trigger("options")
                picker.value = wanted

        picker.param.watch(push, "value")
        sel.param.watch(pull, "countries")
        return picker, kinds

    def _years(self):
        sel = self.store.selection
        first, last = sel.param.years.bounds
        slider = pn.widgets.IntRangeSlider.from_param(sel.param.years, label=self.t("nt.years"), start=first,
                                                      end=last, sizing_mode="stretch_width")
        start = pn.widgets.IntInput(label=self.t("nt.years.from"), value=sel.years[0], start=first, end=last,
                                    width=100)
        end = pn.widgets.IntInput(label=self.t("nt.years.to"), value=sel.years[1], start=first, end=last, width=100)
        column = pn.Column(slider, pn.Row(start, end, margin=0), sizing_mode="stretch_width", margin=0)
        error = Message(column, safe.Markdown, index=None, styles={"color": "#b91c1c", "font-size": "0.85em"},
                        margin=(0, 10))

        def push(_):
            try:
                sel.years = (start.value, end.value)
                error.show(None)
            except ValueError:
                error.show(self.t("nt.years.reversed", first=start.value, last=end.value))

        def pull(event):
            start.value, end.value = event.new
            error.show(None)

        start.param.watch(push, "value")
        end.param.watch(push, "value")
        sel.param.watch(pull, "years")
        return column

    def __panel__(self):
        return pn.Column(*self.objects(), sizing_mode="stretch_width")

    def objects(self) -> list:
        """The sidebar's widgets, headings and the years' column, for a column of the page's own."""
        sel = self.store.selection
        picker, kinds = self._picker()
        groups = {}
        for ind in INDICATORS:
            groups.setdefault(self.t(f"nt.group.{ind.group}"), {})[ind.label(self.lang)] = ind.key
        # Grouped options cannot come through `from_param` (groups and options exclude each other): link both ways.
        indicator = pn.widgets.Select(label=self.t("nt.indicator"), groups=groups, value=sel.indicator,
                                      sizing_mode="stretch_width")
        indicator.link(sel, value="indicator", bidirectional=True)
        # No description: `from_param` would add the parameter's English doc as a tooltip model that a
        # button group never shows (the headings say what they are, in the page's language).
        scale = pn.widgets.RadioButtonGroup.from_param(
            sel.param.scale, label=self.t("nt.scale"), variant="outline", color="primary",
            options={self.t("scale.linear"): "linear", self.t("scale.log"): "log"}, description=None)
        mode = pn.widgets.RadioButtonGroup.from_param(
            sel.param.mode, label=self.t("nt.mode"), variant="outline", color="primary",
            options={self.t("mode.absolute"): "absolute", self.t("mode.relative"): "relative"}, description=None)
        trend = pn.widgets.Checkbox.from_param(sel.param.trend, label=self.t("nt.trend"))
        targets = pn.widgets.Checkbox.from_param(sel.param.show_targets, label=self.t("nt.targets"))

        def heading(key):
            return safe.Markdown(safe.markdown("**{text}**", text=self.t(key)), margin=(8, 10, 0, 10))

        return [picker, heading("nt.kinds"), kinds, indicator, self._years(),
                heading("nt.scale"), scale, heading("nt.mode"), mode, trend, targets]
