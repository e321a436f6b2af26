"""Private PostgreSQL and Redis instances that a fault test may stop, restart and starve.

The machine's shared services must never be stopped, so each fault module starts its own:
a PostgreSQL cluster (``initdb`` into a temporary directory, as the ``postgres`` user when the
tests run as root) and a ``redis-server`` without persistence, each on a free port. Without
the binaries a test skips, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import free_port


def _required(binary: str | None, what: str) -> str:
    if binary and os.access(binary, os.X_OK):
        return binary
    if os.environ.get("CI", "").lower() in {"1", "true"}:
        pytest.fail(f"CI: the fault tests need {what}")
    pytest.skip(f"the fault tests need {what}")


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = found[-1] if found else shutil.which("initdb")
    return Path(_required(initdb, "PostgreSQL's initdb (/usr/lib/postgresql/*/bin)")).parent


class PrivateRedis:
    """``redis-server`` on a free loopback port, no persistence; stop and start keep the port."""

    def __init__(self, log_path: Path) -> None:
        self.binary = _required(shutil.which("redis-server"), "redis-server")
        self.port = free_port()
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 30.0) -> None:
        import redis

        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=1).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(self.log_path.read_text(errors="replace")) from None
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGKILL: the server vanishes with its data, as a crashed Redis does."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class PrivatePostgres:
    """A PostgreSQL cluster of its own (``max_connections`` as given) on a free port."""

    def __init__(self, root: Path, *, max_connections: int = 40) -> None:
        self.bin = _pg_bin()
        self.root = root
        self.data = root / "data"
        self.sockets = root / "sockets"
        self.port = free_port()
        self.max_connections = max_connections
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str, timeout: float = 120) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def init(self) -> None:
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            f"-c max_connections={self.max_connections} -c fsync=off "
            "-c superuser_reserved_connections=3"
        )
        log = str(self.root / "pg.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        self.wait_ready()

    def wait_ready(self, timeout: float = 60.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.dsn(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m fast`` (sessions are ended) or ``immediate`` (a crash)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def sessions(self, dbname: str) -> int:
        """Client sessions connected to ``dbname`` (pg_stat_activity), this query's excluded."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True, connect_timeout=5) as db:
            row = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                [dbname],
            ).fetchone()
        assert row is not None
        return int(row[0])


@contextlib.contextmanager
def private_postgres(max_connections: int = 40) -> Iterator[PrivatePostgres]:
    root = Path(tempfile.mkdtemp(prefix="titan-faults-pg-"))
    pg = PrivatePostgres(root, max_connections=max_connections)
    try:
        pg.init()
        pg.start()
        yield pg
    finally:
        with contextlib.suppress(Exception):
            pg.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def private_redis(log_dir: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(log_dir / "redis.log")
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()
