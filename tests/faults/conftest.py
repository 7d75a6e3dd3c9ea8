import pytest

from tests.faults.parts import RedisServer, Worker, use_inline_tasks


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own (skipped, saying why, when it is not installed)."""
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    yield server
    server.stop()


@pytest.fixture
def workers(tmp_path):
    """Start workers with ``workers.new(broker_url, **env)``; all are stopped at the end."""
    started = []

    class Workers:
        folder = tmp_path

        def new(self, broker_url: str, **environment) -> Worker:
            worker = Worker(broker_url=broker_url, folder=tmp_path, **environment)
            started.append(worker)
            return worker

    yield Workers()
    for worker in started:
        worker.stop()
    use_inline_tasks()


@pytest.fixture(autouse=True)
def _default_wording(transactional_db):
    """Version 1 of every wording (a flushed database lost what the data migration made)."""
    from conventions.services import ensure_default_templates

    ensure_default_templates()
