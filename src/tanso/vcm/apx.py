"""APX-hosted registries: American Carbon Registry, Climate Action Reserve and ART TREES.

The three share APX's report format (projects, issuances, retirements, cancellations as
separate exports) but name their columns differently; the names are in
`registry_columns.json`. Ids are already prefixed (ACR123, CAR123, ART101).
"""

from __future__ import annotations

import pandas as pd

from tanso.vcm import exports

REGISTRIES = ("american-carbon-registry", "climate-action-reserve", "art-trees")


def parse_projects(raw: pd.DataFrame, *, registry: str, file: str | None = None) -> pd.DataFrame:
    return exports.projects(raw, registry=_checked(registry),
                            file=file or f"{registry}/projects.csv")


def parse_transactions(raw: pd.DataFrame, *, registry: str, kind: str,
                       file: str | None = None) -> pd.DataFrame:
    """`kind` is 'issuance', 'retirement' or 'cancellation' (one file each)."""
    return exports.transactions(raw, registry=_checked(registry), kind=kind,
                                file=file or f"{registry}/{kind}s.csv")


def _checked(registry: str) -> str:
    if registry not in REGISTRIES:
        raise ValueError(f"{registry!r} is not an APX registry ({', '.join(REGISTRIES)})")
    return registry
