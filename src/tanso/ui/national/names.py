"""Entity names in the page's language: English from the data (OWID), Korean from `entity_names.json`.

Country names in Korean are CLDR's (the Unicode Common Locale Data Repository, as Babel ships it);
the OWID aggregates (regions, income groups, World) are translated by hand in the same file. A code
without a Korean name keeps its English one.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from tanso.emissions.national_view import NationalData


@lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, str]]:
    raw = json.loads(Path(__file__).with_name("entity_names.json").read_text(encoding="utf-8"))
    return {lang: names for lang, names in raw.items() if not lang.startswith("_")}


def entity_name(data: NationalData, code: str, lang: str) -> str:
    """The name of ``code`` in ``lang`` (English from the data when there is no translation)."""
    return _names().get(lang, {}).get(code) or data.name(code)


def cldr_names(codes, lang: str = "ko") -> dict[str, str]:
    """CLDR territory names for ISO alpha-3 ``codes`` (needs the dev packages babel and pycountry)."""
    import pycountry
    from babel import Locale

    territories = Locale(lang).territories
    out = {}
    for code in codes:
        country = pycountry.countries.get(alpha_3=code)
        if country is not None and country.alpha_2 in territories:
            out[code] = territories[country.alpha_2]
    return out
