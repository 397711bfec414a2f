"""Rendered chart objects shared by the deployment tests (rendering costs ~0.3 s)."""

from __future__ import annotations

import pytest

from tests.deploy.helpers import PRODUCTION_VALUES, load_yaml, render_chart


@pytest.fixture(scope="session")
def default_objects() -> list[dict]:
    return render_chart()


@pytest.fixture(scope="session")
def production_objects() -> list[dict]:
    return render_chart(load_yaml(PRODUCTION_VALUES), upgrade=True)
