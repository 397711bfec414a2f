"""Field rules of proposals, comments and reports. Each rule returns the cleaned value or adds
a `Problem` naming the field; the caller keeps the user's text (nothing is saved on error).
"""

from __future__ import annotations

import math
import re

from tanso.community.errors import InputProblems, Problem
from tanso.vcm.ids import REGISTRIES

# Control characters other than tab and newline; PostgreSQL refuses NUL in text outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINK = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)

LIMITS = {"name": 200, "country": 80, "project_type": 120, "methodology": 200,
          "description": 20_000, "link": 500, "body": 5_000, "reason": 1_000}
MIN_NAME = 3
MAX_LINKS = 10
MAX_CREDITS = 10_000_000_000            # tCO2e; larger than any registered project by 100×
PROPOSAL_FIELDS = ("name", "registry", "country", "project_type", "methodology",
                   "description", "links", "expected_credits")


class _Checker:
    def __init__(self):
        self.problems: list[Problem] = []

    def text(self, field: str, value, *, required: bool = False, limit_key: str | None = None,
             minimum: int = 0, single_line: bool = True) -> str:
        text = "" if value is None else str(value)
        text = text.replace("\r\n", "\n").strip()
        if single_line:
            text = " ".join(text.split())
        limit = LIMITS[limit_key or field]
        if _CONTROL.search(text):
            self.problems.append(Problem("control", field))
        elif required and not text:
            self.problems.append(Problem("required", field))
        elif len(text) > limit:
            self.problems.append(Problem("too_long", field, {"limit": limit,
                                                             "length": len(text)}))
        elif text and len(text) < minimum:
            self.problems.append(Problem("too_short", field, {"limit": minimum}))
        return text

    def done(self):
        if self.problems:
            raise InputProblems(self.problems)


def clean_proposal(values: dict, *, submitting: bool = False) -> dict:
    """The proposal fields cleaned, or InputProblems listing every bad field at once.

    A draft needs only a name; submitting needs country, type, methodology and description.
    """
    check = _Checker()
    out = {"name": check.text("name", values.get("name"), required=True, minimum=MIN_NAME)}
    for field in ("country", "project_type", "methodology"):
        out[field] = check.text(field, values.get(field), required=submitting)
    out["description"] = check.text("description", values.get("description"),
                                    required=submitting, single_line=False)
    registry = check.text("registry", values.get("registry"), limit_key="country").lower()
    if registry and registry not in REGISTRIES:
        check.problems.append(Problem("unknown_registry", "registry", {"value": registry}))
    out["registry"] = registry or None
    out["links"] = _links(check, values.get("links"))
    out["expected_credits"] = _credits(check, values.get("expected_credits"))
    check.done()
    return out


def _links(check: _Checker, value) -> list[str]:
    items = value.split() if isinstance(value, str) else list(value or [])
    links = [str(item).strip() for item in items if str(item).strip()]
    if len(links) > MAX_LINKS:
        check.problems.append(Problem("too_many_links", "links", {"limit": MAX_LINKS}))
        return links
    for link in links:
        if len(link) > LIMITS["link"] or not _LINK.fullmatch(link) or _CONTROL.search(link):
            check.problems.append(Problem("bad_link", "links", {"value": link[:80]}))
            break
    return links


def _credits(check: _Checker, value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", "").replace("_", "").strip())
    except ValueError:
        check.problems.append(Problem("not_number", "expected_credits",
                                      {"value": str(value)[:40]}))
        return None
    if not math.isfinite(number) or not 0 <= number <= MAX_CREDITS:
        check.problems.append(Problem("out_of_range", "expected_credits",
                                      {"limit": MAX_CREDITS}))
        return None
    return number


def clean_body(body) -> str:
    """A comment's Markdown: required, at most LIMITS['body'] characters, no control characters."""
    check = _Checker()
    text = check.text("body", body, required=True, single_line=False)
    check.done()
    return text


def clean_reason(reason, *, field: str = "reason") -> str:
    """Why a proposal is rejected, a comment hidden or reported: required, one paragraph."""
    check = _Checker()
    text = check.text(field, reason, required=True, limit_key="reason")
    check.done()
    return text
