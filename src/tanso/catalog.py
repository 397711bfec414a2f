"""The Intake 2 catalog of pinned datasets, read with checksum verification.

Each file in catalog/catalog.yaml is pinned once: `version` and `sha256` in the metadata of
its `data:` item, which both `verify` and the readers use. Intake itself does not check
files, so the readers named in the YAML are the small subclasses below, which refuse a file
whose bytes differ from the pinned checksum.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import intake
from intake.readers import datatypes, readers

from tanso.config import settings
from tanso.errors import UserError, read_yaml_mapping


class CatalogError(UserError):
    """A dataset is unknown, missing or not the pinned bytes."""


class ChecksumMismatch(CatalogError):
    pass


@lru_cache(maxsize=64)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    stat = path.stat()
    return _sha256_cached(str(path), stat.st_size, stat.st_mtime_ns)


def check_file(path: Path, expected_sha256: str, *, name: str) -> None:
    if not path.exists():
        raise CatalogError(f"dataset {name!r}: file {path} is missing")
    actual = sha256_of(path)
    if actual != expected_sha256:
        raise ChecksumMismatch(
            f"dataset {name!r}: {path} has sha256 {actual}, but the catalog pins "
            f"{expected_sha256}; the file was changed — restore it or add a new version"
        )


def local_path(url: str) -> Path:
    """Intake renders {CATALOG_DIR} as a file: URL; turn it into a clean local path."""
    return Path(url.removeprefix("file://").removeprefix("file:")).resolve()


class _Verified:
    """Mixin: check the pinned checksum before handing the file to pandas."""

    def _read(self, data, **kw):
        self._check(data)
        return super()._read(data, **kw)

    @staticmethod
    def _check(data) -> None:
        meta = data.metadata or {}
        check_file(local_path(data.url), meta["sha256"], name=meta.get("name", data.url))


class VerifiedParquet(_Verified, readers.PandasParquet):
    pass


class VerifiedCSV(_Verified, readers.PandasCSV):
    pass


class VerifiedExcel(_Verified, readers.PandasExcel):
    pass


class VerifiedGeoJSON(_Verified, readers.FileReader):
    """A GeoJSON file as a dict (ETL turns it into rows with `tanso.geo.boundaries.read_boundaries`)."""

    implements: ClassVar[set] = {datatypes.GeoJSON}
    output_instance = "builtins:dict"

    def _read(self, data, **kw):
        self._check(data)
        return json.loads(local_path(data.url).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Dataset:
    name: str
    version: str
    sha256: str
    path: Path
    description: str
    licence: str
    attribution: str
    source_url: str

    def verify(self) -> str | None:
        """None when the file is the pinned one, else what is wrong."""
        try:
            check_file(self.path, self.sha256, name=self.name)
        except CatalogError as exc:
            return str(exc)
        return None


def open_catalog(path: Path | None = None):
    path = path or settings().catalog_path
    if not path.exists():
        raise CatalogError(f"catalog file {path} does not exist")
    try:
        spec = read_yaml_mapping(path, what="the catalog")
    except UserError as exc:
        raise CatalogError(str(exc)) from None
    if spec.get("version") != 2 or not isinstance(spec.get("data"), dict):
        raise CatalogError(f"{path}: not an Intake 2 catalog (needs `version: 2` and a `data:` "
                           "mapping of entries)")
    try:
        return intake.from_yaml_file(str(path))
    except Exception as exc:  # intake's own errors are not one type
        raise CatalogError(f"{path}: Intake cannot read it: {type(exc).__name__}: {exc}") from None


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _pinned_sha256(entry: str, meta: dict, path: Path) -> str:
    """The entry's sha256 as 64 lowercase hex digits, or a CatalogError saying how to fix it."""
    value = meta.get("sha256")
    if value is None:
        raise CatalogError(f"{path}: entry {entry!r} has no sha256 in its metadata; pin the file "
                           "with `sha256: '<64 hex digits>'`")
    if isinstance(value, int) and not isinstance(value, bool):
        raise CatalogError(f"{path}: entry {entry!r}: sha256 is all digits, so YAML read it as a "
                           "number (leading zeros lost); quote it: sha256: '…'")
    if not isinstance(value, str) or not _SHA256.match(value):
        raise CatalogError(f"{path}: entry {entry!r}: sha256 {value!r} is not 64 lowercase hex "
                           "digits")
    return value


def datasets(path: Path | None = None) -> list[Dataset]:
    path = path or settings().catalog_path
    catalog = open_catalog(path)
    result = []
    for name in catalog.entries:
        meta = catalog.entries[name].metadata or {}
        data = catalog[name].data  # reader's datatype, with {CATALOG_DIR} resolved
        pin = data.metadata or {}  # the one pin (version, sha256), which the readers check too
        if pin.get("version") is None:
            raise CatalogError(f"{path}: the data item of entry {name!r} has no version in its "
                               "metadata")
        result.append(
            Dataset(
                name=name,
                version=str(pin["version"]),
                sha256=_pinned_sha256(name, pin, path),
                path=local_path(data.url),
                description=meta.get("description", ""),
                licence=meta.get("licence", ""),
                attribution=meta.get("attribution", ""),
                source_url=meta.get("source_url", ""),
            )
        )
    return result


def dataset(name: str, path: Path | None = None) -> Dataset:
    known = {d.name: d for d in datasets(path)}
    if name not in known:
        raise CatalogError(f"unknown dataset {name!r}; the catalog has: {', '.join(sorted(known))}")
    return known[name]


def read(name: str, path: Path | None = None):
    """Read a dataset through the catalog; raises ChecksumMismatch for changed bytes."""
    import pandas as pd

    catalog = open_catalog(path)
    if name not in catalog.entries:
        dataset(name, path)  # raises with the list of known names
    try:
        data = catalog[name].read()
    except pd.errors.EmptyDataError:
        raise CatalogError(f"dataset {name!r}: {dataset(name, path).path} is empty") from None
    if isinstance(data, pd.DataFrame) and data.empty:
        raise CatalogError(f"dataset {name!r}: {dataset(name, path).path} has no rows"
                           + (" (only a header)" if len(data.columns) else ""))
    return data


def verified_path(name: str, path: Path | None = None) -> Path:
    """The local file of a dataset after checking its checksum (for non-pandas readers)."""
    pinned = dataset(name, path)
    check_file(pinned.path, pinned.sha256, name=name)
    return pinned.path


# beside the data, never data themselves: notes, licences, the scripts that made a file
_NOT_DATA = (".md", ".txt", ".py")


def unpinned_files(path: Path | None = None) -> list[Path]:
    """Files under data/raw/ that no catalog entry pins (directly or through a pinned
    MANIFEST.csv of path and sha256 columns): data nobody can check or reproduce."""
    import csv

    pinned = {d.path for d in datasets(path)}
    for manifest in [p for p in pinned if p.name == "MANIFEST.csv" and p.exists()]:
        with manifest.open(encoding="utf-8", newline="") as handle:
            pinned |= {(manifest.parent / row["path"]).resolve() for row in csv.DictReader(handle)
                       if row.get("path")}
    raw = (path or settings().catalog_path).parent.parent / "data" / "raw"
    return sorted(p for p in raw.rglob("*") if p.is_file() and p.resolve() not in pinned
                  and p.suffix.lower() not in _NOT_DATA and not p.name.upper().startswith("LICENSE"))


def verify(path: Path | None = None) -> list[str]:
    """Recompute every checksum; one message per file that differs, is missing or is unpinned."""
    problems = [problem for d in datasets(path) if (problem := d.verify())]
    root = (path or settings().catalog_path).parent.parent
    problems += [f"{f.relative_to(root)}: not pinned in the catalog — add an entry with its sha256, "
                 "or remove the file" for f in unpinned_files(path)]
    return problems
