"""Migrations, connection handling and the CLI's messages against real PostgreSQL."""

import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from tanso.db import migrations, views
from tanso.db.engine import DatabaseUnavailable, check_connection
from tanso.errors import UserError
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


@pytest.fixture
def empty_database(backend):
    """A database of its own on the backend's server, dropped afterwards."""
    name = f"tanso_scratch_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(backend.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with server.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine = sa.create_engine(sa.make_url(backend.url).set(database=name), poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()
    with server.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")


def test_an_empty_database_is_built_at_head_from_the_table_definitions(empty_database):
    assert migrations.current_revision(empty_database) is None
    migrations.upgrade(empty_database)
    assert migrations.current_revision(empty_database) == migrations.head_revision()
    assert migrations.differences(empty_database) == []
    with empty_database.connect() as conn:  # what the metadata builds beyond tables
        assert conn.execute(sa.text("SELECT ops.run_status('running', 'etl')")).scalar_one() == "abandoned"
        assert conn.execute(sa.text("SELECT similarity('cookstove', 'cookstoves') > 0.5")).scalar_one()
        partitions = conn.execute(sa.text(
            "SELECT oid::regclass::text FROM pg_class WHERE relispartition AND relkind = 'r' ORDER BY 1")).scalars().all()
    assert partitions == ["core.gcb_co2_current", "core.national_indicators_current"]


def test_an_empty_database_is_not_built_at_an_older_revision(empty_database):
    with pytest.raises(UserError, match="only be built at head"):
        migrations.upgrade(empty_database, "0001")
    assert migrations.current_revision(empty_database) is None


def test_no_revision_is_written_from_an_empty_database(empty_database):
    """It would be built from the edited tables and show no change: say so instead."""
    with pytest.raises(UserError, match="cannot show what changed"):
        migrations.new_revision(empty_database, "anything")


def test_revisions_after_the_baseline_take_a_database_down_and_up_again(empty_database):
    """Each revision after the baseline changes databases that existed before it: down to the
    baseline and up again must give the tables as defined (with no revision yet, both are no-ops)."""
    migrations.upgrade(empty_database)
    baseline = ScriptDirectory(str(migrations.SCRIPT_LOCATION)).get_base()
    with empty_database.begin() as conn:
        views.drop_views(conn.connection.cursor())  # a revision may drop what a view reads
    command.downgrade(migrations._config(empty_database), baseline)
    assert migrations.current_revision(empty_database) == baseline
    migrations.upgrade(empty_database)
    assert migrations.current_revision(empty_database) == migrations.head_revision()
    assert migrations.differences(empty_database) == []


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
