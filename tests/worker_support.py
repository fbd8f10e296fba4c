"""A real ``manage.py worker`` in a process of its own, on a database this test
process shares with it, to be killed like a worker is in real life.

On PostgreSQL the worker connects to the test database itself (the tests use
committed transactions: ``transactional_db``). SQLite's test database lives in
this process's memory: ``push`` copies it into a file the worker opens and
``pull`` copies the file back (SQLite's online backup), around each step.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


class SharedDatabase:
    def __init__(self, directory: Path):
        connection.ensure_connection()
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.file = directory / "db.sqlite3"
            self.url = f"sqlite:///{self.file}"
        else:
            db = connection.settings_dict
            auth = quote(db["USER"] or "")
            if db["PASSWORD"]:
                auth += ":" + quote(db["PASSWORD"])
            host = db["HOST"] or "127.0.0.1"
            port = db["PORT"] or 5432
            self.url = f"postgres://{auth}@{host}:{port}/{db['NAME']}"

    def push(self) -> None:
        """What this process wrote, for the worker to see."""
        if self.sqlite:
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
            target.close()

    def pull(self) -> None:
        """What the worker wrote, for this process to see."""
        if self.sqlite:
            source = sqlite3.connect(self.file, timeout=20)
            try:
                source.backup(connection.connection)
            finally:
                source.close()


def worker_environment(database: SharedDatabase, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cucs_portal.settings.development",
        "DATABASE_URL": database.url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "WORKER_HEARTBEAT_SECONDS": str(settings.WORKER_HEARTBEAT_SECONDS),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def start_worker(database: SharedDatabase, **extra: str) -> subprocess.Popen:
    """``manage.py worker`` in a process group of its own (with the PDF child
    it starts), as systemd or ``make worker`` run it."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=worker_environment(database, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL to the worker and its children: no cleanup code runs. Once
    more is harmless (the group is gone)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()


def run_worker_batch(database: SharedDatabase, **extra: str) -> str:
    """A new worker, until the queue is empty; returns what it printed."""
    done = subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=worker_environment(database, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def wait_for(condition, *, database: SharedDatabase, timeout: float = 30.0):
    """Poll ``condition`` on the shared database until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        database.pull()
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not {condition.__doc__ or condition} after {timeout} s")
