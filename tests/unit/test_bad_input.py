"""Bad input the way a new user types it: one clear line on stderr, exit 1, never a traceback.

The `tanso` entry point runs in-process against a scratch project (a copy of catalog/ and
pipelines/ with the real notebooks and data), so each broken file is broken only here.
"""

from __future__ import annotations

import shutil
import sys

import pytest

from tanso import cli
from tanso.config import settings
from tests.conftest import ROOT


@pytest.fixture
def project(tmp_path, monkeypatch):
    for folder in ("catalog", "pipelines"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for folder in ("notebooks", "data", "apps"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    monkeypatch.setenv("TANSO_PROJECT_ROOT", str(tmp_path))
    monkeypatch.setenv("TANSO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings.cache_clear()
    yield tmp_path
    settings.cache_clear()


def tanso(capsys, *args: str) -> tuple[int, str, str]:
    """Run `tanso args…` as the console script does; (exit code, stdout, stderr)."""
    sys.argv = ["tanso", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def error_of(capsys, *args: str) -> str:
    code, _, err = tanso(capsys, *args)
    assert code == 1, err
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert lines, err
    return lines[0].removeprefix("error: ")


@pytest.mark.parametrize(("text", "message"), [
    (": [\n", "catalog.yaml:1:1: the catalog is not valid YAML: expected <block end>, but found ':'"),
    ("", "catalog.yaml: the catalog must be a YAML mapping of keys, but the file is empty"),
    ("- a\n", "the catalog must be a YAML mapping of keys, but the file is a list"),
    ("version: 2\ndata: 5\n", "not an Intake 2 catalog (needs `version: 2` and a `data:` mapping"),
])
@pytest.mark.parametrize("command", [("catalog", "verify"), ("catalog", "list")])
def test_a_malformed_or_empty_catalog_is_named(project, capsys, text, message, command):
    (project / "catalog" / "catalog.yaml").write_text(text)
    assert message in error_of(capsys, *command)


def _edit_first_entry_pin(project, replacement: str) -> None:
    path = project / "catalog" / "catalog.yaml"
    text = path.read_text()
    pin = "sha256: 51bf76402f548a66ae4fff5b44cf10279b2ffd1c90b73039a39cb17883527c44"
    assert text.count(pin) == 1  # the one pin of owid_co2, in its data item
    path.write_text(text.replace(pin, replacement))


def test_an_entry_without_sha256_is_named(project, capsys):
    _edit_first_entry_pin(project, "description: no pin")
    assert "entry 'owid_co2' has no sha256 in its metadata" in error_of(capsys, "catalog", "verify")


def test_an_all_digit_sha256_says_to_quote_it(project, capsys):
    _edit_first_entry_pin(project, "sha256: 1234567890")
    assert ("entry 'owid_co2': sha256 is all digits, so YAML read it as a number"
            in error_of(capsys, "catalog", "list"))


@pytest.mark.parametrize(("text", "message"), [
    (": [\n", "bad.yaml:1:1: the pipeline is not valid YAML"),
    ("", "bad.yaml: the pipeline must be a YAML mapping of keys, but the file is empty"),
    ("schedule: x\nsteps: 5\n", "bad.yaml: `steps` must be a non-empty list of steps"),
    ("schedule: x\nsteps: [5]\n", "bad.yaml: step #1 must be a mapping with 'name' and 'notebook', got 5"),
])
def test_a_malformed_pipeline_is_named_by_run_and_list(project, capsys, text, message):
    (project / "pipelines" / "bad.yaml").write_text(text)
    assert message in error_of(capsys, "pipeline", "run", "bad", "--dry-run")
    code, out, err = tanso(capsys, "pipeline", "list")
    assert code == 1 and message in err and out.startswith("etl ")  # the good ones still listed


def test_a_pipeline_name_cannot_reach_outside_pipelines(project, capsys):
    (project / "x.yaml").write_text("schedule: x\nsteps: []\n")
    assert "'../x' is not a pipeline name" in error_of(capsys, "pipeline", "run", "../x", "--dry-run")


def test_a_parameter_that_is_not_yaml_is_named(project, capsys):
    message = error_of(capsys, "pipeline", "run", "etl", "--dry-run", "-p", "dataset=[1,")
    assert message.startswith("parameter 'dataset': '[1,' is not a valid YAML value")


def test_history_limit_must_be_positive(project, capsys):
    code, _, err = tanso(capsys, "pipeline", "history", "--limit", "-1")
    assert code == 2 and "--limit" in err


@pytest.mark.parametrize(("url", "message"), [
    ("foo", "DATABASE_URL is not a database URL (it cannot be parsed); expected postgresql://"),
    ("postgresql://u:pw@h:abc/db", "DATABASE_URL is not a database URL (its port is not a number)"),
    ("mysql://u:pw@h/db", "DATABASE_URL names a 'mysql' database; Tanso needs PostgreSQL"),
    ("host=h port=x password=pw", "DATABASE_URL: port 'x' is not a number"),
])
def test_a_bad_database_url_is_one_line_without_the_password(project, capsys, monkeypatch, url, message):
    monkeypatch.setenv("DATABASE_URL", url)
    settings.cache_clear()
    text = error_of(capsys, "db", "url")
    assert message in text and "pw" not in text


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://u:s3cret@127.0.0.1:5/db", "postgresql+psycopg://u:***@127.0.0.1:5/db"),
    ("postgresql://u:p@ss@127.0.0.1:5/db", "postgresql+psycopg://u:***@127.0.0.1:5/db"),
    ("postgresql://u@127.0.0.1:5/db?password=s3cret", "postgresql+psycopg://u@127.0.0.1:5/db?password=%2A%2A%2A"),
    ("host=127.0.0.1 port=5 dbname=db user=u password=s3cret", "postgresql+psycopg://u:***@127.0.0.1:5/db"),
])
def test_db_url_and_errors_hide_every_form_of_password(project, capsys, monkeypatch, url, shown):
    monkeypatch.setenv("DATABASE_URL", url)
    settings.cache_clear()
    code, out, _ = tanso(capsys, "db", "url")
    assert (code, out.strip()) == (0, shown)
    err = error_of(capsys, "db", "status")  # nothing listens on port 5
    assert err.startswith(f"cannot connect to {shown}: ") and "s3cret" not in err and "ss@" not in err
    code, out, _ = tanso(capsys, "db", "url", "--show-password")
    assert "s3cret" in out or "p%40ss" in out


def test_an_unknown_file_in_data_raw_fails_verify(project, capsys):
    (project / "data").unlink()
    shutil.copytree(ROOT / "data", project / "data")
    code, _, err = tanso(capsys, "catalog", "verify")
    assert code == 0, err
    (project / "data" / "raw" / "owid_co2" / "2025-05" / "extra.csv").write_text("a,b\n1,2\n")
    code, _, err = tanso(capsys, "catalog", "verify")
    assert code == 1
    assert "data/raw/owid_co2/2025-05/extra.csv: not pinned in the catalog" in err


def test_a_database_that_goes_away_mid_command_is_one_line(project, capsys, monkeypatch):
    import sqlalchemy as sa

    from tanso.errors import database_fault

    engine = sa.create_engine("postgresql+psycopg://u@127.0.0.1:1/db",
                              connect_args={"connect_timeout": 2})
    with pytest.raises(sa.exc.OperationalError) as lost:
        engine.connect()
    assert database_fault(lost.value).startswith("lost the database connection (connection failed")
    assert database_fault(ValueError("x")) is None

    def stopped(*_args, **_kw):
        raise lost.value

    monkeypatch.setattr("tanso.catalog.datasets", stopped)  # any step of a command
    message = error_of(capsys, "catalog", "list")
    assert message.startswith("lost the database connection (connection failed")
    assert message.endswith("what was committed before is kept, the unfinished work was rolled back")
