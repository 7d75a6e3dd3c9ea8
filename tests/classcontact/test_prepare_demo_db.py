"""``make run`` on a checkout whose demo SQLite file was made by an older layout of the apps."""

import os
from pathlib import Path
import sqlite3
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[2]


def _demo_file(path: Path, migrations: list[tuple[str, str]]) -> None:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE django_migrations (id integer primary key, app varchar, name varchar, applied datetime)"
        )
        db.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-01')", migrations
        )


def _prepare(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "1", "DEMO_MODE": "1", "DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": ""}
    return subprocess.run(
        [sys.executable, "manage.py", "prepare_demo_db"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_a_demo_file_of_the_old_layout_is_removed_and_the_person_is_told(tmp_path):
    path = tmp_path / "db.sqlite3"
    _demo_file(path, [("schools", "0001_initial"), ("loans", "0002_kits")])
    done = _prepare(path)
    assert done.returncode == 0, done.stderr
    assert not path.exists()
    assert "older layout" in done.stdout and "loans.0002_kits" in done.stdout


def test_a_demo_file_of_the_current_layout_is_kept(tmp_path):
    path = tmp_path / "db.sqlite3"
    _demo_file(path, [("schools", "0001_initial"), ("loans", "0001_initial"), ("cases", "0001_initial")])
    done = _prepare(path)
    assert done.returncode == 0, done.stderr
    assert path.exists() and done.stdout == ""
