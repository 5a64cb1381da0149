"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests and the benchmarks.

It runs the machine's own PostgreSQL binaries (Debian's `postgresql` package puts them in
/usr/lib/postgresql/<version>/bin), in a new temporary folder, as an unprivileged user:
initdb refuses to run as root, so under root the cluster belongs to the `postgres` system
user the package creates (or `nobody`). Nothing listens beyond the loopback address, and
`stop()` shuts the server down and deletes the folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl (the newest version installed), or None."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """`start()` returns the URL of an empty database; `stop()` ends it all."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable  # False: fsync off, as a test cluster can afford
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="newsmate-pg-"))
        self.data = self.dir / "data"
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres" if _user_exists("postgres") else "nobody"
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.started = False

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]], user=self.user, cwd=self.dir,
            capture_output=True, text=True, check=True, timeout=120,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        )

    def start(self) -> str:
        # C collation: text sorts by code point, as SQLite's does; UTF-8 for Hangul.
        self._run("initdb", "-D", str(self.data), "-U", "newsmate", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--lc-collate=C", "--no-instructions")
        options = [f"-p {self.port}", "-h 127.0.0.1", f"-k {self.dir}", "-c max_connections=200",
                   "-c shared_buffers=256MB"]
        if self.durable:  # fsync on; a commit does not wait for its WAL flush (SQLite's NORMAL)
            options += ["-c synchronous_commit=off"]
        else:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"),
                  "-o", " ".join(options), "-w", "-t", "60", "start")
        self.started = True
        return self.url("postgres")

    def url(self, database: str) -> str:
        return f"postgresql://newsmate@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of `template` when given); returns its URL."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            clause = f" TEMPLATE {template}" if template else ""
            conn.execute(f"CREATE DATABASE {name}{clause}")
        return self.url(name)

    def stop(self) -> None:
        if self.started:
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except subprocess.CalledProcessError:
                pass
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
