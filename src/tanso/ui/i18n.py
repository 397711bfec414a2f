"""UI text in English and Korean. English is the default; `?lang=ko` switches a page."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    return json.loads(Path(__file__).with_name("messages.json").read_text(encoding="utf-8"))


def t(key: str, lang: str = DEFAULT, **values) -> str:
    """The message for `key` in `lang`; falls back to English, then to the key itself."""
    entry = messages().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT]
    return text.format(**values) if values else text


def normalise(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT


def markup(key: str, lang: str = DEFAULT, **values):
    """The message for `key` as Markdown (the catalog is trusted), every value escaped."""
    from tanso.ui.safe import markdown

    return markdown(t(key, lang), **values)
