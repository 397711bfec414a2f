"""Korean for the texts the domain writes in English: gap caveats and target names.

The gap analysis (`tanso.emissions.gap`) writes its caveats as English sentences with numbers in them,
shared by the CLI and the report; the page translates each known sentence shape with a catalog
message (`nt.caveat.*`) and keeps the numbers. An unknown sentence stays English rather than wrong.
"""

from __future__ import annotations

import re

from tanso.sectors.bases import basis_name
from tanso.ui.i18n import t

_NUMBER = r"[-+−]?[\d,]+(?:\.\d+)?"
CAVEAT_SHAPES = (
    ("nt.caveat.base_differs", re.compile(
        rf"The target's stated (?P<year>\d{{4}}) base \((?P<stated>{_NUMBER}) Mt\) differs from this data's "
        rf"\d{{4}} (?P<metric>\w+) \((?P<data>{_NUMBER}) Mt, (?P<diff>{_NUMBER}) %\), likely another inventory "
        rf"edition or scope\. The gap is shown against the stated target \((?P<target>{_NUMBER}) Mt\) and against "
        rf"-(?P<pct>{_NUMBER}) % applied to the data's own base \((?P<rebased>{_NUMBER}) Mt\)\.")),
    ("nt.caveat.below", re.compile(r"Already at or below the target level in (?P<year>\d{4})\.")),
    ("nt.caveat.rose", re.compile(rf"Emissions rose over (?P<first>\d{{4}})–(?P<last>\d{{4}}) \((?P<rate>{_NUMBER}) "
                                  r"%/yr\): at this pace the target is not reached\.")),
    ("nt.caveat.zero", re.compile(r"A constant percentage rate never reaches zero: use the required annual change "
                                  r"\(Mt/yr, straight line\) and the trend-based year instead\.")),
    ("nt.caveat.low_r2", re.compile(rf"The linear trend explains little of (?P<first>\d{{4}})–(?P<last>\d{{4}}) "
                                    rf"\(R² = (?P<r2>{_NUMBER})\)\.")),
    ("nt.caveat.not_level", re.compile(r"(?P<name>.+) is a (?P<kind>[\w ]+) target: not comparable as an absolute "
                                       r"level\.")),
    ("nt.caveat.basis", re.compile(r"Inventory basis: the target is stated on .+ \((?P<basis_key>\w+)\); "
                                   r"this series is .+ \((?P<series_key>\w+)\)\.")),
    ("nt.caveat.scope", re.compile(r"Target scope: (?P<scope>.+)\.")),
)
# Stated target names (mart.targets) in Korean: pattern → template ({0}, {1}… are the groups).
TARGET_NAMES_KO = (
    (re.compile(r"Net zero (\d{4})"), "{0}년 넷제로"),
    (re.compile(r"Carbon neutrality (\d{4})"), "{0}년 탄소중립"),
    (re.compile(r"Carbon neutrality before (\d{4})"), "{0}년 이전 탄소중립"),
    (re.compile(r"Climate neutrality (\d{4})"), "{0}년 기후중립"),
    (re.compile(r"GHG neutrality (\d{4})"), "{0}년 온실가스 중립"),
    (re.compile(r"CO2 peak before (\d{4})"), "{0}년 이전 CO2 배출 정점"),
    (re.compile(r"Peak by (\d{4})"), "{0}년까지 배출 정점"),
    (re.compile(r"(\d{4}) (E?NDC) conditional"), "{0} {1}(조건부)"),
    (re.compile(r"(\d{4}) (E?NDC) unconditional"), "{0} {1}(무조건부)"),
    (re.compile(r"(\d{4}) (E?NDC) \((\d{4}) adjustment\)"), "{0} {1}({2}년 조정)"),
    (re.compile(r"(\d{4}) (E?NDC)"), "{0} {1}"),
    (re.compile(r"(\d{4}) emissions intensity"), "{0}년 배출 원단위 목표"),
    (re.compile(r"(\d{4}) CO2 intensity"), "{0}년 CO2 원단위 목표"),
    (re.compile(r"(\d{4}) national target"), "{0}년 국가 목표"),
)


def caveat_text(text: str, lang: str) -> str:
    """``text`` in ``lang``: a translated sentence when its shape is known, else the text itself."""
    if lang == "en":
        return text
    for key, shape in CAVEAT_SHAPES:
        if match := shape.fullmatch(text.strip()):
            values = match.groupdict()
            if "name" in values:
                values["name"] = target_name(values["name"], lang)
            for group in ("basis_key", "series_key"):  # inventory bases by name (tanso.sectors.bases)
                if group in values:
                    values[group.removesuffix("_key")] = basis_name(values[group], lang)
            if "kind" in values:
                values["kind"] = t(f"nt.target_type.{values['kind'].replace(' ', '_')}", lang)
            return t(key, lang, **values)
    return text


def target_name(name: str, lang: str) -> str:
    """A stated target's name in ``lang`` ("Net zero 2050" → "2050년 넷제로"); unknown names unchanged."""
    if lang != "ko":
        return name
    for pattern, template in TARGET_NAMES_KO:
        if match := pattern.fullmatch(name.strip()):
            return template.format(*match.groups())
    return name
