"""Which VCM projects a news item mentions: by canonical id, or by a distinctive exact name.

A false link (a story shown on the wrong project's page) is worse than a missed one, so:

- ids: VCS1234, GS1234/GLD1234, ACR123, CAR123, ART101 written in capitals, optionally with a
  space or dash before the number, linked only when the project exists. With a space, a number
  that reads as a year (1990–2039) is taken as a year: "the VCS 2023 rules" is not VCS2023.
- names: the project's whole name as a run of words (case, punctuation and spacing ignored),
  only for names that are distinctive: at least three words and 15 characters, at least one
  word that is not generic ("project", "wind", "power", a country…), and not shared by another
  project. "Guyana" (ART102), "Wind Power Project" or "Costa Rica" never link by name.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

LINK_COLUMNS = ("item_key", "project_id", "matched_by", "matched_text")
NAME_MIN_WORDS = 3
NAME_MIN_CHARS = 15

_ID = re.compile(r"(?<![A-Za-z0-9])(VCS|GLD|GS|ACR|CAR|ART)(?:(-?)|( ))(\d{1,6})(?![0-9]|[.,]\d)")
_CANONICAL_PREFIX = {"GS": "GLD"}
_WORD = re.compile(r"\w+")

# Words that say what kind of project it is or where, not which one.
GENERIC = frozenset(["a", "an", "and", "at", "by", "de", "del", "des", "du", "el", "en", "for", "from", "in", "la", "le", "les", "of", "on", "the", "to", "with", "y", "project", "projects", "programme", "program", "poa", "cpa", "vpa", "rvpa", "grouped", "bundled", "phase", "ii", "iii", "iv", "i", "power", "energy", "wind", "solar", "hydro", "hydropower", "hydroelectric", "biogas", "biomass", "methane", "landfill", "gas", "plant", "farm", "farms", "station", "generation", "electricity", "grid", "renewable", "clean", "efficient", "efficiency", "improved", "cookstove", "cookstoves", "cook", "stoves", "stove", "cooking", "household", "households", "water", "safe", "forest", "forests", "forestry", "redd", "afforestation", "reforestation", "conservation", "restoration", "management", "carbon", "emission", "emissions", "reduction", "reductions", "ghg", "avoided", "capture", "recovery", "utilization", "sustainable", "rural", "community", "communities", "district", "county", "province", "region", "national", "park", "reserve", "mw", "kw", "small", "large", "scale", "limited", "ltd", "co", "inc", "company"])
COUNTRIES = frozenset(["africa", "asia", "america", "europe", "india", "china", "brazil", "kenya", "uganda", "ghana", "peru", "guyana", "colombia", "indonesia", "mexico", "turkey", "vietnam", "viet", "nam", "cambodia", "zambia", "zimbabwe", "malawi", "madagascar", "nepal", "bangladesh", "pakistan", "ethiopia", "tanzania", "rwanda", "nigeria", "chile", "ecuador", "bolivia", "honduras", "guatemala", "nicaragua", "panama", "costa", "rica", "gabon", "congo", "thailand", "philippines", "malaysia", "korea", "usa", "united", "states", "kingdom", "canada", "australia"])


def _words(text: str) -> list[str]:
    return _WORD.findall(str(text).casefold())


def distinctive(name: str) -> bool:
    """A name specific enough to link on (see the module docstring)."""
    words = _words(name)
    return (len(words) >= NAME_MIN_WORDS and len(" ".join(words)) >= NAME_MIN_CHARS
            and any(w not in GENERIC and w not in COUNTRIES and not w.isdigit() for w in words))


class ProjectMatcher:
    """Built once from the projects (project_id, name); `match(text)` per item."""

    def __init__(self, projects: pd.DataFrame):
        self.ids = set(projects["project_id"].astype(str))
        by_words: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for project_id, name in zip(projects["project_id"], projects["name"], strict=True):
            if isinstance(name, str) and name.strip():
                by_words[tuple(_words(name))].append(str(project_id))
        # first word → [(name words, project id)], unique distinctive names only, longest first
        self._names: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for words, owners in by_words.items():
            if len(owners) == 1 and distinctive(" ".join(words)):
                self._names[words[0]].append((words, owners[0]))
        for candidates in self._names.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def match(self, text: str) -> list[tuple[str, str, str]]:
        """[(project_id, "id" | "name", the text matched)], each project once, ids first."""
        found: dict[str, tuple[str, str, str]] = {}
        for m in _ID.finditer(text or ""):
            prefix, space, number = m.group(1), m.group(3), m.group(4)
            if space and 1990 <= int(number) <= 2039:
                continue  # "VCS 2023 rules": a year
            project_id = _CANONICAL_PREFIX.get(prefix, prefix) + number
            if project_id in self.ids and project_id not in found:
                found[project_id] = (project_id, "id", m.group(0))
        words = _words(text or "")
        for i, word in enumerate(words):
            for name_words, project_id in self._names.get(word, ()):
                if tuple(words[i:i + len(name_words)]) == name_words and project_id not in found:
                    found[project_id] = (project_id, "name", " ".join(name_words))
        return list(found.values())


def link_items(items: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Item ↔ project links (LINK_COLUMNS) from each item's title and summary."""
    matcher = ProjectMatcher(projects)
    rows = [{"item_key": key, "project_id": pid, "matched_by": how, "matched_text": matched}
            for key, title, summary in zip(items["item_key"], items["title"], items["summary"],
                                           strict=True)
            for pid, how, matched in matcher.match(f"{title}\n{summary}")]
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS))
