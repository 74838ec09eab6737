"""A throwaway PostgreSQL server for the history tests: initdb into a temp dir, listen on a Unix socket only.

``find_binaries()`` is None when PostgreSQL's server binaries or the psycopg driver (with libpq) are missing;
the tests that need a server skip then. As root (CI), the server runs as the ``postgres`` user, which
initdb insists on.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


def find_binaries() -> Path | None:
    """The directory holding initdb and pg_ctl, when a server can be started here."""
    try:
        import psycopg  # noqa: F401  (needs libpq at import time)
    except ImportError:
        return None
    candidates = [shutil.which("initdb"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)]
    for found in candidates:
        if found and Path(found).with_name("pg_ctl").exists():
            if os.geteuid() == 0 and not _user("postgres"):
                return None
            return Path(found).resolve().parent
    return None


def _user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class PostgresServer:
    """Start with ``start()``, stop with ``stop()``; ``url(dbname)`` names a database on it."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="ae-coach-pg-"))
        self.data = self.root / "data"
        self.port = 5432 + os.getpid() % 1000  # the socket lives in our own dir: the port only names it
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> PostgresServer:
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-k {self.root} -c listen_addresses='' -p {self.port} -F"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "-t", "60", "start"
        )
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.root}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.root, ignore_errors=True)
