"""VROD December-2021 registry tabs (ACR/CAR issuances and retirements, GOLD and VCS
issuances): transaction-level rows Berkeley copied from the registries. Stale (to 2021-11)
and kept as a second, independent record of issuance and retirement events.
"""

from __future__ import annotations

import pandas as pd

from tanso.vcm import exports, ids

SOURCE = "vrod-2021"
TABS = tuple(exports.MAPPINGS[SOURCE])  # ACR_issuances, …, VCS_issuances


def parse_tab(raw: pd.DataFrame, *, tab: str, file: str | None = None) -> pd.DataFrame:
    """One tab (named like its file, e.g. 'CAR_retirements') → transaction rows."""
    if tab not in TABS:
        raise ValueError(f"unknown VROD 2021 tab {tab!r} (known: {', '.join(TABS)})")
    prefix, kind = tab.split("_")
    return exports.transactions(raw, registry=ids.registry_name(prefix, source=tab),
                                kind=kind.removesuffix("s"), file=file or f"{tab}.csv",
                                table=tab, source=SOURCE)
