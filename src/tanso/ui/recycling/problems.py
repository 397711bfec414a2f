"""Campaign problems as a person reads them: the field by its label and, on a Korean page, in Korean.
The checks (tanso.recycling.validation, tanso.db.campaigns) word their messages in English for the CLI;
the patterns cover what the campaign forms can produce, anything else is shown as it is."""

from __future__ import annotations

import re

from tanso.ui.i18n import t

LABELS = {"name": "recycling.campaign.name", "organisation": "recycling.campaign.organisation",
          "period": "recycling.campaign.period", "collected_on": "recycling.entry.date", "kg": "recycling.entry.kg",
          "campaign": "recycling.campaign.choose", "entry": "recycling.entries", "account": "recycling.account"}
KOREAN = [
    (re.compile(r"^a campaign needs a name$"), "캠페인 이름을 입력하세요"),
    (re.compile(r"^a campaign named (?P<name>.+) already exists in this organisation$"),
     "이 기관에 같은 이름의 캠페인이 이미 있습니다: {name}"),
    (re.compile(r"^a campaign needs a start and an end date$"), "시작일과 종료일을 입력하세요"),
    (re.compile(r"^the period ends \((?P<end>[^)]+)\) before it starts \((?P<start>[^)]+)\)$"),
     "종료일({end})이 시작일({start})보다 빠릅니다"),
    (re.compile(r"^a campaign belongs to an organisation$"), "기관 이름을 입력하세요"),
    (re.compile(r"^(?P<when>\S+) is outside the campaign period (?P<period>.+)$"),
     "{when}: 캠페인 기간({period}) 밖의 날짜입니다"),
]


def problem_text(field: str, message: str, lang: str) -> str:
    if lang == "ko":
        for pattern, korean in KOREAN:
            if match := pattern.match(message):
                message = korean.format(**match.groupdict())
                break
    label = t(LABELS[field], lang) if field in LABELS else field
    return f"{label}: {message}"


def problems_text(problems, lang: str) -> str:
    return "; ".join(problem_text(field, message, lang) for field, message in problems)
