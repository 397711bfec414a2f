"""What the optional suites need, found rather than assumed, and what to install when missing.

Locally a missing tool skips its tests with the exact install command. In CI (`CI` set, as
`.ci/run` and GitHub Actions do) every skip is turned into a failure by the hook in
tests/conftest.py, so a failed apt step or a moved binary cannot turn CI green unrun.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

CHROMIUM_ENV = "TANSO_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--no-first-run"]
TEST_EXTRA = "pip install -e '.[test]' (or `make env`)"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_candidates() -> list[str]:
    """Where a Chromium may be, in order: $TANSO_CHROMIUM, PATH, Playwright's own download."""
    if explicit := os.environ.get(CHROMIUM_ENV):
        return [explicit]  # an explicit choice is never second-guessed
    found = [path for name in CHROMIUM_NAMES if (path := shutil.which(name))]
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            found.append(playwright.chromium.executable_path)
    except Exception:
        pass
    return found


def chromium() -> str:
    """Path of a runnable Chromium, or skip saying how to get one."""
    need_module("playwright.sync_api", install=TEST_EXTRA)
    candidates = chromium_candidates()
    for path in candidates:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    if explicit := os.environ.get(CHROMIUM_ENV):
        pytest.skip(f"${CHROMIUM_ENV}={explicit} is not an executable file")
    pytest.skip(f"no Chromium found (looked for {', '.join(CHROMIUM_NAMES)} on PATH and for "
                f"Playwright's download): apt-get install chromium, or set ${CHROMIUM_ENV}")


def need_module(name: str, *, install: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.skip(f"cannot import {name} ({exc}): {install}")


def need_binary(name: str, *, install: str) -> str:
    """A program on PATH or beside this Python (pip installs console tools there)."""
    beside = Path(sys.executable).with_name(name)
    path = str(beside) if beside.exists() else shutil.which(name)
    if path is None:
        pytest.skip(f"`{name}` is not installed: {install}")
    return path
