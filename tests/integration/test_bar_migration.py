"""Migration 0004 (bars keyed by series id) keeps the bars stored under the old key.

Each test migrates a fresh database to 0003 with ``manage.py`` in a subprocess, stores bars
in the old layout, migrates to the latest state and reads them back through the new one.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PG = "host=127.0.0.1 user=postgres"
OLD_ROWS = [
    ("KO", "1d", "2024-01-02 00:00:00+00:00", 1.0, 2.0, 0.5, 1.5, 100.0, "csv"),
    ("KO", "1d", "2024-01-03 00:00:00+00:00", 1.5, 2.5, 1.0, 2.0, None, "csv"),
    ("KO", "1h", "2024-01-02 14:00:00+00:00", 1.1, 1.2, 1.0, 1.1, 5.0, "yahoo"),
    ("PEP", "1d", "2024-01-02 00:00:00+00:00", 9.0, 9.5, 8.5, 9.2, 7.0, "stooq"),
]
NEW_QUERY = (
    "SELECT s.symbol, s.timeframe, b.open, b.high, b.low, b.close, b.volume, b.source "
    "FROM market_bar b JOIN market_series s ON s.id = b.series_id "
    "ORDER BY s.symbol, s.timeframe, b.ts"
)
EXPECTED = sorted((r[0], r[1], *r[3:]) for r in OLD_ROWS)


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _env(tmp_path: Path, **urls: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TIMESCALE_URL")}
    env.pop("REDIS_URL", None)
    return {**env, "TITAN_VAR_DIR": str(tmp_path), **urls}


def _insert_old(cur: Any, placeholder: str) -> None:
    marks = ", ".join([placeholder] * 9)
    cur.executemany(
        "INSERT INTO market_bar (symbol, timeframe, ts, open, high, low, close, volume, source) "
        f"VALUES ({marks})",
        OLD_ROWS,
    )


def test_sqlite_bars_survive_the_series_key_migration(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _manage(env, "migrate", "--database", "timescale", "market", "0003")
    with sqlite3.connect(tmp_path / "timescale.sqlite3") as db:
        _insert_old(db, "?")
    _manage(env, "migrate", "--database", "timescale", "market")
    with sqlite3.connect(tmp_path / "timescale.sqlite3") as db:
        assert sorted(db.execute(NEW_QUERY).fetchall()) == EXPECTED
        assert db.execute("SELECT count(*) FROM market_series").fetchone()[0] == 3
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "market_bar_old" not in tables


def test_postgresql_bars_survive_the_series_key_migration(tmp_path: Path) -> None:
    names = ("titan_migrate_default", "titan_migrate_ts")
    with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
    try:
        env = _env(
            tmp_path,
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{names[0]}",
            TIMESCALE_URL=f"postgres://postgres@127.0.0.1:5432/{names[1]}",
        )
        _manage(env, "migrate", "--database", "timescale", "market", "0003")
        with psycopg.connect(f"{PG} dbname={names[1]}", autocommit=True) as db:
            _insert_old(db.cursor(), "%s")
        _manage(env, "migrate", "--database", "timescale", "market")
        with psycopg.connect(f"{PG} dbname={names[1]}") as db:
            assert sorted(db.execute(NEW_QUERY).fetchall()) == EXPECTED
            indexes = dict(
                db.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'market_bar'"
                ).fetchall()
            )
            assert set(indexes) == {"market_bar_pkey", "market_bar_ts_brin"}
            assert "(series_id, ts)" in indexes["market_bar_pkey"]
            old = db.execute("SELECT to_regclass('market_bar_old')").fetchone()[0]
            assert old is None
    finally:
        with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
