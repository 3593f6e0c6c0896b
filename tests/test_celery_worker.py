"""One integration test with a real Celery worker on Redis: the wiring from settings to worker.

The worker consumes a queue of its own, so a development worker on the same Redis cannot take
the message, and the test waits on the result with a timeout instead of sleeping.
"""

import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from config.celery import app
from governance.tasks import ping

pytestmark = pytest.mark.integration

RESULT_TIMEOUT = 60


@pytest.fixture
def worker_queue(redis_url, tmp_path):
    queue = f"shanzhi-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool", "solo", "--queues", queue, "--hostname", f"{queue}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "INFO",
            ],
            cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield queue, log
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_worker_runs_a_task_sent_through_redis(worker_queue):
    queue, log = worker_queue
    assert app.conf.broker_url.startswith("redis"), app.conf.broker_url
    assert app.conf.result_backend.startswith("redis"), app.conf.result_backend
    value = f"pong-{uuid.uuid4().hex}"

    result = ping.apply_async(args=[value], queue=queue)
    try:
        answer = result.get(timeout=RESULT_TIMEOUT)
    except Exception as error:
        pytest.fail(f"No answer from the worker ({error!r}). Worker log:\n{log.read_text()}")

    assert answer == value
    assert result.successful()
