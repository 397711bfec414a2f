"""The pinned `vcm` inputs, read through the catalog with every file's checksum checked.

Registry exports and the VROD 2021 tabs are folders of CSVs; the catalog pins a MANIFEST.csv
(registry, file, path, sha256) per folder, and each listed file is checked against it here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tanso import catalog

INPUTS = ("vrod", "offsetsdb_project_types", "vcm_registry_exports", "vrod_2021_tabs")


def _read_csv(path: Path) -> pd.DataFrame:
    # As text: the parsers type every column themselves and report bad values by row
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def manifest_files(name: str) -> list[tuple[str, str, pd.DataFrame]]:
    """(registry, file stem, frame) for each file of a manifest dataset, checksums verified."""
    pinned = catalog.dataset(name)
    manifest = catalog.read(name)
    folder = pinned.path.parent
    files = []
    for row in manifest.itertuples(index=False):
        path = folder / row.path
        catalog.check_file(path, row.sha256, name=f"{name}/{row.path}")
        files.append((row.registry, row.file, _read_csv(path)))
    return files


def read_inputs() -> dict:
    """Keyword arguments of tanso.vcm.harmonise.build_tables, from the pinned catalog."""
    exports: dict[str, dict[str, pd.DataFrame]] = {}
    for registry, stem, frame in manifest_files("vcm_registry_exports"):
        exports.setdefault(registry, {})[stem] = frame
    return {
        "vrod_raw": catalog.read("vrod"),
        "offsetsdb_types": _read_csv(catalog.verified_path("offsetsdb_project_types")),
        "registry_exports": exports,
        "vrod_2021_tabs": {stem: frame for _, stem, frame in manifest_files("vrod_2021_tabs")},
    }
