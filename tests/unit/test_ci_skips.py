"""In CI a skipped suite is a failure naming what was missing; locally it is a skip with the fix."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

PROBE = textwrap.dedent('''
    from tests.requirements import chromium, need_binary

    def test_needs_a_browser():
        chromium()

    def test_needs_a_tool():
        need_binary("no-such-tool-xyz", install="apt-get install no-such-tool")
''')


def run_probe(tmp_path, **env) -> subprocess.CompletedProcess:
    probe = ROOT / "tests" / "unit" / f"probe_{tmp_path.name}_test.py"
    probe.write_text(PROBE)
    try:
        return subprocess.run(
            [sys.executable, "-m", "pytest", str(probe), "-q", "-rA", "-p", "no:cacheprovider",
             "-o", "python_files=probe_*"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)} | env)
    finally:
        probe.unlink()


def test_locally_a_missing_browser_skips_with_what_to_install(tmp_path):
    result = run_probe(tmp_path, CI="", TANSO_CHROMIUM="/nonexistent/chromium")
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout
    assert "$TANSO_CHROMIUM=/nonexistent/chromium is not an executable file" in result.stdout
    assert "`no-such-tool-xyz` is not installed: apt-get install no-such-tool" in result.stdout


def test_in_ci_a_missing_browser_fails_and_says_why(tmp_path):
    result = run_probe(tmp_path, CI="true", TANSO_CHROMIUM="/nonexistent/chromium")
    assert result.returncode == 1, result.stdout
    assert "2 failed" in result.stdout
    assert ("CI must run every suite, but this one skipped: "
            "$TANSO_CHROMIUM=/nonexistent/chromium is not an executable file") in result.stdout
    assert "this one skipped: `no-such-tool-xyz` is not installed" in result.stdout


def test_chromium_is_found_on_path_under_any_of_its_names(tmp_path, monkeypatch):
    from tests import requirements

    fake = tmp_path / "chromium-browser"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.delenv("TANSO_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert requirements.chromium_candidates()[0] == str(fake)
