"""Backing up and restoring the database as the README says ("Backup and
restore"), on the demo data set: a round trip, then the README's restore check.

On SQLite: SQLite's online backup (``sqlite3 db.sqlite3 ".backup FILE"``; here
the same API through Python's ``sqlite3.Connection.backup``), the backup file
put in place of a fresh database. On PostgreSQL (DATABASE_URL): ``pg_dump -Fc``,
then ``createdb`` and ``pg_restore`` into a new database; skipped, saying why,
when the client tools are missing or older than the server.

Both compare the restored database with the original: the same tables, the same
rows in each (count and content), and the README's restore check run through
``manage.py`` on the restored database: ``migrate --check`` and the row count of
every model.

The tests are in tests/demo/test_seed_demo.py, on the data set that module
seeds once and commits (pg_dump and ``manage.py`` read it from other processes).
"""

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection

from ateliers.models import Proposal, ProposalRevision
from audit.models import AuditEvent
from referentiel.models import Edition

ROOT = Path(__file__).resolve().parent.parent.parent

# The README's restore check: the row count of every model.
COUNT_ROWS = (
    "from django.apps import apps\n"
    "for m in apps.get_models(include_auto_created=True):\n"
    "    print(m._meta.label, m._base_manager.count())"
)


def assert_a_full_data_set() -> None:
    """The demo data set is there: about fifty proposals, their revisions,
    editions, the audit log."""
    assert Proposal.objects.count() > 40
    assert ProposalRevision.objects.exists()
    assert AuditEvent.objects.exists()
    assert Edition.objects.exists()


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """``manage.py`` in a process of its own, on another database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cucs_portal.settings.development",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_restore_check(database_url: str, expected: dict[str, int]) -> None:
    """The README's restore check passes on the restored database."""
    migrated = manage(database_url, "migrate", "--check")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    counted = manage(database_url, "shell", "--no-imports", "-c", COUNT_ROWS)
    assert counted.returncode == 0, counted.stderr
    counts = {
        label: int(number)
        for label, number in (line.split() for line in counted.stdout.splitlines())
    }
    assert counts == expected


# --- SQLite ------------------------------------------------------------------


def sqlite_tables(db: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Every table: its row count and a digest of its rows."""
    names = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    tables = {}
    for name in names:
        rows = sorted(repr(row) for row in db.execute(f'SELECT * FROM "{name}"'))
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        tables[name] = (len(rows), digest)
    return tables


def sqlite_round_trip(tmp_path: Path) -> None:
    """SQLite's online backup of the live database, put in place of a fresh
    one: every table the same, and the README's restore check passes."""
    assert_a_full_data_set()
    connection.ensure_connection()
    live = connection.connection  # the sqlite3 connection Django uses
    expected = model_counts()

    # Backup: SQLite's online backup, what `sqlite3 db.sqlite3 ".backup FILE"`
    # does, safe while the portal writes.
    backup_file = tmp_path / "cucs-backup.sqlite3"
    with sqlite3.connect(backup_file) as target:
        live.backup(target)
    target.close()

    # Restore: the backup file takes the place of the database file.
    restored_file = tmp_path / "db.sqlite3"
    shutil.copyfile(backup_file, restored_file)

    # Read as Django reads it (its column converters), like the live database.
    restored = sqlite3.connect(
        restored_file, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    )
    try:
        assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        original_tables = sqlite_tables(live)
        restored_tables = sqlite_tables(restored)
    finally:
        restored.close()
    assert set(restored_tables) == set(original_tables)
    for name, (rows, digest) in original_tables.items():
        assert restored_tables[name] == (rows, digest), f"table {name} differs"
    assert_restore_check(f"sqlite:///{restored_file}", expected)


# --- PostgreSQL ----------------------------------------------------------------


def pg_client_problem() -> str | None:
    """Why the PostgreSQL round trip cannot run here, if it cannot."""
    missing = [t for t in ("pg_dump", "pg_restore", "createdb") if not shutil.which(t)]
    if missing:
        return f"{', '.join(missing)} not found (Debian: postgresql-client)"
    version = subprocess.run(
        ["pg_dump", "--version"], capture_output=True, text=True, check=True
    ).stdout
    client = int(re.search(r"(\d+)(?:\.\d+)*", version).group(1))
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if client < server:
        return f"pg_dump {client} is older than the server ({server})"
    return None


def pg_environment() -> dict[str, str]:
    """libpq's variables for the test database's server and role."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def pg_url(name: str) -> str:
    settings = connection.settings_dict
    credentials = quote(settings.get("USER") or "", safe="")
    if settings.get("PASSWORD"):
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = settings.get("HOST") or "localhost"
    port = settings.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{name}"


PG_TABLE = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
    ' FROM "{}" t'
)


def pg_tables(cursor, names) -> dict[str, tuple[int, str]]:
    tables = {}
    for name in names:
        cursor.execute(PG_TABLE.format(name))
        tables[name] = tuple(cursor.fetchone())
    return tables


def pg_round_trip(tmp_path: Path) -> None:
    """``pg_dump -Fc`` of the test database restored into a new one: every
    table the same, and the README's restore check passes; skipped, saying
    why, without the client tools or with older ones than the server."""
    assert_a_full_data_set()
    problem = pg_client_problem()
    if problem:
        pytest.skip(f"PostgreSQL backup round trip not tested: {problem}")
    import psycopg2

    env = pg_environment()
    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored"
    expected = model_counts()

    def run(*command):
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{command[0]}: {done.stderr}"

    # Backup: the custom format, compressed, restorable table by table.
    dump = tmp_path / "cucs.dump"
    run("pg_dump", "--format=custom", f"--file={dump}", original)

    run("dropdb", "--if-exists", restored)
    try:
        # Restore into a new, empty database.
        run("createdb", restored)
        run(
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={restored}",
            str(dump),
        )
        names = connection.introspection.table_names()
        with connection.cursor() as cursor:
            original_tables = pg_tables(cursor, names)
        other = psycopg2.connect(pg_url(restored))
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
                assert {name for (name,) in cursor} == set(names)
                restored_tables = pg_tables(cursor, names)
        finally:
            other.close()
        for name, (rows, digest) in original_tables.items():
            assert restored_tables[name] == (rows, digest), f"table {name} differs"
        assert_restore_check(pg_url(restored), expected)
    finally:
        run("dropdb", "--if-exists", restored)
