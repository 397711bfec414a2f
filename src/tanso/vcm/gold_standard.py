"""Gold Standard Impact Registry exports (projects, issuances, retirements).

Projects are identified by GSID; the canonical id is GLD<GSID> (OffsetsDB's), which VROD
writes GS<GSID>. Gold Standard's terms require its files to be downloaded by hand.
"""

from __future__ import annotations

import pandas as pd

from tanso.vcm import exports

REGISTRY = "gold-standard"


def parse_projects(raw: pd.DataFrame, *, file: str = "gold-standard/projects.csv") -> pd.DataFrame:
    return exports.projects(raw, registry=REGISTRY, file=file)


def parse_transactions(raw: pd.DataFrame, *, kind: str, file: str | None = None) -> pd.DataFrame:
    """`kind` is 'issuance' or 'retirement' (one file each)."""
    return exports.transactions(raw, registry=REGISTRY, kind=kind,
                                file=file or f"{REGISTRY}/{kind}s.csv")
