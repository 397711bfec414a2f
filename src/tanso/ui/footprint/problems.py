"""The day parser's problems as a person reads them: "Transport, row 1, km: …" and, on a Korean page, in
Korean. The parser (tanso.footprint.day) words its messages for DAY.json and the CLI in English; the
patterns below cover every message a table edit can produce, and anything else is shown as it is."""

from __future__ import annotations

import re

from tanso.footprint.korean import item_name
from tanso.ui.i18n import t

FIELD = re.compile(r"^(?P<category>[a-z_]+)\[(?P<row>\d+)\](?:\.(?P<key>[a-z_]+))?$")
KOREAN = [
    (re.compile(r"^missing \(a name such as (?P<names>.+)\)$"), "항목을 고르세요 (예: {names})"),
    (re.compile(r"^missing \(hours the appliance ran\)$"), "사용 시간을 입력하세요"),
    (re.compile(r"^missing$"), "값을 입력하세요"),
    (re.compile(r"^give exactly one of (?P<keys>[^()]+?)(?: \(got .+\))?$"), "다음 중 하나만 입력하세요: {keys}"),
    (re.compile(r"^(?P<value>\S+) is not a whole number$"), "{value}: 정수가 아닙니다"),
    (re.compile(r"^(?P<value>\S+) is negative$"), "{value}: 음수는 입력할 수 없습니다"),
    (re.compile(r"^(?P<value>.+) is not a number$"), "{value}: 숫자가 아닙니다"),
    (re.compile(r"^(?P<value>\S+) (?P<unit>\S+)(?: by (?P<mode>\S+))? in one day is more than the plausible "
                r"(?P<limit>\S+); check the number$"),
     "{mode_ko}하루 {value} {unit}: 가능한 최대치 {limit}보다 많습니다. 숫자를 확인하세요"),
    (re.compile(r"^(?P<kind>\S+) waste is weighed in kg, not counted$"), "{kind_ko} 쓰레기는 개수가 아니라 kg으로 입력하세요"),
    (re.compile(r"^(?P<use>\S+) is counted in uses, not minutes$"), "{use_ko}는 분이 아니라 횟수로 입력하세요"),
]


def field_label(field: str, lang: str) -> str:
    """``transport[0].km`` → "Transport, row 1, km" / "교통 1행 km"."""
    match = FIELD.match(field)
    if not match:
        return field
    category = t(f"footprint.cat.{match['category']}", lang).split(" (")[0]
    key = t(f"footprint.field.{match['key']}", lang) if match["key"] else ""
    row = int(match["row"]) + 1
    if lang == "ko":
        return f"{category} {row}행" + (f" {key}" if key else "")
    return f"{category}, row {row}" + (f", {key}" if key else "")


def problem_text(field: str, message: str, lang: str) -> str:
    if lang == "ko":
        for pattern, korean in KOREAN:
            if match := pattern.match(message):
                values = match.groupdict()
                values |= {f"{k}_ko": item_name(v) for k, v in values.items() if k in ("kind", "use")}
                values["mode_ko"] = f"{item_name(values['mode'])} " if values.get("mode") else ""
                if values.get("keys"):
                    values["keys"] = ", ".join(t(f"footprint.field.{k}", lang) for k in values["keys"].split(", "))
                if values.get("names"):
                    values["names"] = ", ".join(item_name(n) for n in values["names"].split(", "))
                message = korean.format(**values)
                break
    return f"{field_label(field, lang)}: {message}"
