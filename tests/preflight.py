"""Find the services the test suite needs and print their settings as shell exports.

Uses DATABASE_URL / REDIS_URL when set, else the local services on their default ports
when they answer; installs Debian's Chromium when it is missing and we run as root.
Anything missing is named on stderr with how to get it, and the exit code is 1.
"""

import os
import shutil
import socket
import subprocess
import sys
from urllib.parse import urlparse

LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/classcontact"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def say(message: str) -> None:
    print(message, file=sys.stderr)


def answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def check_postgres(url: str) -> str | None:
    """Connect, and create the named database when it does not exist yet."""
    import psycopg
    import psycopg.sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "classcontact"
    try:
        with psycopg.connect(
            host=parsed.hostname,
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
            password=parsed.password,
            dbname="postgres",
            connect_timeout=3,
            autocommit=True,
        ) as connection:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            if not connection.execute(query, [name]).fetchone():
                create = psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name))
                connection.execute(create)
    except psycopg.Error as error:
        return str(error).strip()
    return None


def check_redis(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return str(error)
    return None


def find_database(missing: list[str], *, bench: bool) -> str:
    database_url = os.environ.get("DATABASE_URL") or (
        LOCAL_DATABASE_URL if answers(LOCAL_DATABASE_URL, 5432) else ""
    )
    if not database_url:
        missing.append(
            "PostgreSQL: nothing answers on 127.0.0.1:5432 and DATABASE_URL is not set.\n"
            "    Install it (apt-get install postgresql) or start it with `docker compose up -d postgres`,\n"
            "    or set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/classcontact"
        )
    elif not database_url.startswith(("postgres://", "postgresql://")):
        missing.append(
            f"DATABASE_URL must point to PostgreSQL for the tests, not {database_url.split(':')[0]}."
        )
    if bench and database_url:
        # The benchmark seeds tens of thousands of rows: it gets a database of its own.
        database_url = (
            os.environ.get("BENCH_DATABASE_URL") or database_url.rsplit("/", 1)[0] + "/classcontact_bench"
        )
    if database_url and not missing and (error := check_postgres(database_url)):
        missing.append(f"PostgreSQL at {database_url} refused the connection: {error}")
    return database_url


def find_redis(missing: list[str]) -> str:
    redis_url = os.environ.get("REDIS_URL") or (LOCAL_REDIS_URL if answers(LOCAL_REDIS_URL, 6379) else "")
    if not redis_url:
        missing.append(
            "Redis: nothing answers on 127.0.0.1:6379 and REDIS_URL is not set.\n"
            "    Install it (apt-get install redis-server) or start it with `docker compose up -d redis`,\n"
            "    or set REDIS_URL=redis://HOST:6379/0"
        )
    elif error := check_redis(redis_url):
        missing.append(f"Redis at {redis_url} does not answer: {error}")
    return redis_url


def find_chromium(missing: list[str], *, needed: bool) -> str:
    """Chromium's path; when ``needed``, installed from Debian if it is missing and we run as root."""
    if needed and not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.geteuid() == 0:
            say("Chromium is missing: installing Debian's chromium package…")
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update", "-qq"], stdout=sys.stderr, env=env, check=False)
            done = subprocess.run(
                ["apt-get", "install", "-y", "-qq", "chromium", "fonts-dejavu-core"],
                stdout=sys.stderr,
                env=env,
                check=False,
            )
            if done.returncode != 0:
                missing.append("Chromium: `apt-get install chromium` failed (see above).")
        else:
            missing.append("Chromium: not installed. As root, run: apt-get install chromium")
    return CHROMIUM if os.path.exists(CHROMIUM) else (shutil.which("chromium") or CHROMIUM)


def main() -> int:
    missing = []
    exports = {}
    bench = "--bench" in sys.argv
    exports["DATABASE_URL"] = find_database(missing, bench=bench)
    exports["REDIS_URL"] = find_redis(missing)
    exports["CHROMIUM_PATH"] = find_chromium(missing, needed=not bench)

    if missing:
        say("The test suite needs real PostgreSQL, Redis and Chromium. Missing:")
        for item in missing:
            say(f"  - {item}")
        return 1
    for key, value in exports.items():
        print(f"export {key}='{value}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
