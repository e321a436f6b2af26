"""Exit 0 when this machine's PostgreSQL and Redis answer, 1 otherwise (used by `make test`)."""

from __future__ import annotations

import os
import sys


def main() -> int:
    ok = True
    try:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3
        ):
            pass
    except Exception as exc:
        print(f"PostgreSQL unreachable: {exc}", file=sys.stderr)
        ok = False
    try:
        import redis

        redis.Redis.from_url(
            os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"), socket_connect_timeout=3
        ).ping()
    except Exception as exc:
        print(f"Redis unreachable: {exc}", file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
