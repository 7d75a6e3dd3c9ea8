"""Real parts for fault tests: a redis-server of the test's own, and Celery worker processes.

The worker is a separate ``celery worker -B`` process (its own beat, sweeping the outbox
every second) on the test database, so that it can be stopped, killed and started again.
"""

from email import message_from_bytes, policy
import os
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
import pytest

from tests.smtp_server import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
ROOT = Path(__file__).resolve().parents[2]
SEPARATOR = "\n" + "-" * 79 + "\n"


def wait_for(check, timeout: float = 60.0, every: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return bool(check())


class RedisServer:
    """``redis-server`` on a free port, without persistence; stop and start it at will."""

    def __init__(self, folder: Path):
        if not os.path.exists(REDIS_SERVER):
            pytest.skip(
                "redis-server is not installed (apt-get install redis-server): "
                "the broker-outage tests need a Redis of their own to stop and start."
            )
        self.port = free_port()
        self.folder = folder
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        import redis

        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)

        def answers():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        assert wait_for(answers, timeout=10), "redis-server did not start"
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def database_url() -> str:
    """The test database (pytest-django's), for the worker process."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A ``celery worker -B`` process (solo pool) on the test database and the given broker."""

    count = 0

    def __init__(self, *, broker_url: str, folder: Path, **environment: str):
        self.folder = folder
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url,
            "PRIVATE_ROOT": str(settings.PRIVATE_ROOT),
            "TESTING": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(folder / "mail"),
            "OUTBOX_SWEEP_SECONDS": "1",
            "OUTBOX_LEASE_SECONDS": "4",
            "OUTBOX_RETRY_SECONDS": "1",
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "SITE_URL": settings.SITE_URL,
            **environment,
        }
        self.process = None

    def start(self) -> "Worker":
        Worker.count += 1
        log = open(self.folder / f"worker-{Worker.count}.log", "w")  # noqa: SIM115 - kept by the process
        command = [sys.executable, "-m", "celery", "-A", "classcontact", "worker", "-B", "--pool=solo"]
        command += ["-s", str(self.folder / "beat-schedule"), "--loglevel=WARNING"]
        command += ["-n", f"fault{Worker.count}-{os.getpid()}@%h"]
        # A group of its own: the worker's embedded beat is a child process, which must go with it.
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        return self

    def kill(self) -> None:
        """SIGKILL to the worker and its beat: no clean-up, no acknowledgement, as when the
        machine loses the process."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # a beat that outlived its worker
        except ProcessLookupError:
            pass
        self.process = None

    def log(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.folder.glob("worker-*.log")))


def mails_in(folder: Path) -> list:
    """Every message the file backend wrote (``EMAIL_FILE_PATH``), parsed."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for raw in path.read_bytes().split(SEPARATOR.encode()):
            if raw.strip():
                messages.append(message_from_bytes(raw, policy=policy.default))
    return messages


def use_broker(url: str) -> None:
    """This test process hands its work to ``url`` (no inline tasks)."""
    from classcontact import outbox
    from classcontact.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = url
    outbox._broker_down_until = 0.0


def use_inline_tasks() -> None:
    from classcontact import outbox
    from classcontact.celery import app

    app.conf.task_always_eager = True
    app.conf.broker_url = settings.CELERY_BROKER_URL
    outbox._broker_down_until = 0.0


def text_of(message) -> str:
    """The plain-text part of a parsed message, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""
