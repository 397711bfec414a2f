import re
import shutil
from pathlib import Path

import pytest

from tanso import catalog
from tests.conftest import ROOT


@pytest.fixture
def catalog_copy(tmp_path) -> Path:
    """A copy of catalog/ and data/raw/ so tests can damage files."""
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    return tmp_path / "catalog" / "catalog.yaml"


def test_every_shipped_file_matches_its_pin():
    assert catalog.verify() == []
    names = {d.name for d in catalog.datasets()}
    assert {"owid_co2", "owid_co2_codebook", "gcb_co2"} <= names


def test_entries_carry_version_licence_attribution_and_source():
    for d in catalog.datasets():
        assert d.version and len(d.sha256) == 64, d.name
        assert d.licence and d.attribution and d.source_url.startswith("https://"), d.name
        assert "data/raw/" in d.path.as_posix() and d.version in d.path.as_posix(), d.name


def test_a_changed_byte_is_caught_by_verify_and_refused_on_read(catalog_copy):
    gcb = catalog.dataset("gcb_co2", catalog_copy)
    data = bytearray(gcb.path.read_bytes())
    data[100] ^= 0x01
    gcb.path.write_bytes(bytes(data))

    problems = catalog.verify(catalog_copy)
    assert len(problems) == 1 and "gcb_co2" in problems[0] and "sha256" in problems[0]
    with pytest.raises(catalog.ChecksumMismatch, match="gcb_co2"):
        catalog.read("gcb_co2", catalog_copy)


def test_each_file_is_pinned_once():
    text = (ROOT / "catalog" / "catalog.yaml").read_text(encoding="utf-8")
    assert text.count("sha256:") == len(catalog.datasets())


def test_verify_and_read_agree_on_a_changed_pin(catalog_copy):
    gcb = catalog.dataset("gcb_co2", catalog_copy)
    text = catalog_copy.read_text(encoding="utf-8")
    catalog_copy.write_text(text.replace(gcb.sha256, "f" * 64), encoding="utf-8")

    [problem] = catalog.verify(catalog_copy)
    assert "gcb_co2" in problem and "f" * 64 in problem
    with pytest.raises(catalog.ChecksumMismatch, match="gcb_co2"):
        catalog.read("gcb_co2", catalog_copy)
    with pytest.raises(catalog.ChecksumMismatch, match="gcb_co2"):
        catalog.verified_path("gcb_co2", catalog_copy)


def test_a_missing_file_is_named(catalog_copy):
    catalog.dataset("owid_co2_codebook", catalog_copy).path.unlink()
    [problem] = catalog.verify(catalog_copy)
    assert "owid_co2_codebook" in problem and "missing" in problem


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(catalog.CatalogError, match=r"unknown dataset 'nope'.*owid_co2"):
        catalog.dataset("nope")
    with pytest.raises(catalog.CatalogError, match="unknown dataset"):
        catalog.read("nope")


def test_reading_through_the_catalog_gives_the_owid_frame():
    frame = catalog.read("owid_co2")
    assert frame.shape == (50191, 79)
    assert frame["country"].nunique() == 255
    assert (frame["year"].min(), frame["year"].max()) == (1750, 2023)


@pytest.mark.parametrize(("content", "problem"), [(b"", "is empty"),
                                                   (b"Entity,Code,Year,Emissions\n", "has no rows (only a header)")])
def test_an_empty_or_header_only_file_is_named(catalog_copy, content, problem):
    gcb = catalog.dataset("gcb_co2", catalog_copy)
    gcb.path.write_bytes(content)
    text = catalog_copy.read_text().replace(gcb.sha256, catalog.sha256_of(gcb.path))
    catalog_copy.write_text(text)  # pinned as a new version would be
    with pytest.raises(catalog.CatalogError, match=re.escape(f"dataset 'gcb_co2': {gcb.path} {problem}")):
        catalog.read("gcb_co2", catalog_copy)
