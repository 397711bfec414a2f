"""Migrations, connection handling and the CLI's messages against real PostgreSQL."""

import pytest
import sqlalchemy as sa

from tanso.db import migrations
from tanso.db.engine import DatabaseUnavailable, check_connection
from tests.conftest import base_env, run_cli

pytestmark = pytest.mark.integration

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"


def test_migrations_reach_head_with_the_four_schemas(backend):
    assert migrations.current_revision(backend.engine) == migrations.head_revision()
    with backend.engine.connect() as conn:
        schemas = set(conn.execute(sa.text("SELECT schema_name FROM information_schema.schemata"))
                      .scalars())
    assert {"core", "mart", "app", "ops"} <= schemas


def test_upgrade_twice_is_a_no_op(backend):
    assert "schema at revision" in backend.cli("db", "upgrade").stdout
    assert migrations.current_revision(backend.engine) == migrations.head_revision()


def test_migrated_database_matches_the_table_definitions_and_views(backend):
    assert migrations.differences(backend.engine) == []
    assert "matches" in backend.cli("db", "check").stdout


def test_check_names_a_column_no_revision_created(backend):
    with backend.engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE core.countries ADD COLUMN drift_probe integer"))
    try:
        result = backend.cli("db", "check", check=False)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "drift_probe" in result.stderr and "tanso db revision" in result.stderr
    finally:
        with backend.engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE core.countries DROP COLUMN drift_probe"))


def test_upgrade_recreates_a_view_that_differs_from_tanso_db_views(backend):
    with backend.engine.begin() as conn:
        conn.execute(sa.text("CREATE OR REPLACE VIEW mart.targets AS SELECT c.name AS country, "
                             "t.*, 1 AS stray FROM core.targets t "
                             "JOIN core.countries c ON c.code = t.country_code"))
    assert migrations.differences(backend.engine) == [
        "view mart.targets differs from tanso.db.views"]
    backend.cli("db", "upgrade")
    assert migrations.differences(backend.engine) == []


def test_status_reports_schema_and_datasets(backend):
    out = backend.cli("db", "status").stdout
    assert "latest" in out and "owid_co2" in out


def test_pool_survives_a_terminated_connection(backend):
    """pool_pre_ping: a server-side disconnect (as after a restart) is not seen by callers."""
    from tanso.db.engine import _engine_for

    engine = _engine_for(backend.url)
    with engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    with backend.engine.connect() as admin:
        admin.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        admin.commit()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1


def test_unreachable_database_url_gives_one_clear_message():
    with pytest.raises(DatabaseUnavailable, match=r"cannot connect to .*127.0.0.1:1"):
        check_connection(sa.create_engine(UNREACHABLE))
    result = run_cli("db", "status", env=base_env(DATABASE_URL=UNREACHABLE), check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot connect to") and "Traceback" not in result.stderr
    result = run_cli("pipeline", "run", "etl", env=base_env(DATABASE_URL=UNREACHABLE),
                     check=False)
    assert result.returncode == 1 and "cannot connect" in result.stderr
