"""One canonical project id per project, whatever spelling a source uses.

Canonical ids follow OffsetsDB's API (`VCS1234`, `GLD1234`, `ACR123`, `CAR123`, `ART101`,
`ISO…`, `CCB…`), because that is what its users and links already use; VROD writes Gold
Standard as `GS1234`, registry exports write bare numbers. The source's own id is kept next
to the canonical one (`source_id`), so nothing is lost.
"""

from __future__ import annotations

import re

import pandas as pd

from tanso.vcm.checks import InputError, read_mapping

REGISTRIES: dict[str, dict] = read_mapping(__file__, "registries.json")
PREFIX_TO_REGISTRY = {p: name for name, spec in REGISTRIES.items() for p in spec["id_prefixes"]}
_NAME_TO_REGISTRY = {n: name for name, spec in REGISTRIES.items() for n in spec["names"]}
# Longest prefix first so GOLD wins over GS… and VCS over nothing; the rest is the number,
# possibly itself lettered (VCSOPR2, Isometric's short codes).
_ID = re.compile(r"^(" + "|".join(sorted(PREFIX_TO_REGISTRY, key=len, reverse=True))
                 + r")[-_]?([A-Z0-9]+)$")


def registry_name(value: str, *, source: str = "input") -> str:
    """'GOLD', 'gs', 'Gold Standard' → 'gold-standard'; an unknown registry is an error."""
    key = str(value).strip().upper()
    if key.lower() in REGISTRIES:
        return key.lower()
    if key not in _NAME_TO_REGISTRY:
        raise InputError(f"{source}: unknown registry {value!r} "
                         f"(known: {', '.join(REGISTRIES)})")
    return _NAME_TO_REGISTRY[key]


def normalise_registries(values: pd.Series, *, source: str, column: str) -> pd.Series:
    """A column of registry spellings → registry names; names the first bad row."""
    keys = values.astype("string").str.strip().str.upper()
    names = keys.map(lambda k: k.lower() if isinstance(k, str) and k.lower() in REGISTRIES
                     else _NAME_TO_REGISTRY.get(k))
    bad = names.isna()
    if bad.any():
        row = int(values.index[bad.to_numpy()][0]) + 2
        raise InputError(f"{source}: column {column!r} row {row}: unknown registry "
                         f"{values[bad].iloc[0]!r} (known: {', '.join(REGISTRIES)})")
    return names.astype("string")


def canonical_ids(values: pd.Series, *, registry: str | pd.Series | None = None,
                  source: str, column: str) -> pd.Series:
    """Source ids → canonical ids.

    Tolerates what exports contain: surrounding or inner spaces, lower case, a dash or
    underscore after the prefix (`gs 1234`, ` VCS-981`), and bare numbers when the registry
    is known. Anything else is an error naming the row.
    """
    text = values.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    text = text.str.replace(r"\.0$", "", regex=True)  # numbers read as floats: 1234.0
    if registry is not None:
        prefixes = (pd.Series(REGISTRIES[registry]["prefix"], index=values.index)
                    if isinstance(registry, str)
                    else registry.map(lambda r: REGISTRIES[r]["prefix"]))
        bare = text.str.fullmatch(r"[0-9]+")
        text = text.where(~bare.fillna(False), prefixes + text)
    parts = text.str.extract(_ID)
    bad = (parts[0].isna() | text.isna()).to_numpy()
    if bad.any():
        row = int(values.index[bad][0]) + 2
        raise InputError(f"{source}: column {column!r} row {row}: project id "
                         f"{values[bad].iloc[0]!r} is not a known registry id "
                         "(expected e.g. VCS1234, GS1234/GLD1234, ACR123, CAR123, ART101)")
    prefix = parts[0].map(lambda p: REGISTRIES[PREFIX_TO_REGISTRY[p]]["prefix"])
    return (prefix + parts[1]).astype("string")


def registry_of(project_ids: pd.Series) -> pd.Series:
    """The registry named by each canonical id's prefix."""
    prefix = project_ids.str.extract(_ID)[0]
    return prefix.map(PREFIX_TO_REGISTRY).astype("string")


def registry_urls(project_ids: pd.Series, registries: pd.Series) -> pd.Series:
    """The registry's public page of each project (None where the registry has no pattern)."""
    numbers = project_ids.str.extract(_ID)[1]
    return pd.Series(
        [REGISTRIES[r]["url"].format(number=n) if isinstance(n, str) and isinstance(r, str)
         else None for r, n in zip(registries, numbers)],
        index=project_ids.index, dtype="string")
