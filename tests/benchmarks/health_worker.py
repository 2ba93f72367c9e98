"""The Celery app the health benchmark's workers run: ours, on a private queue.

The benchmark shares Redis with other people's workers. Its tasks, and the chunk tasks
its workers fan out, go to the queue named by BENCH_CELERY_QUEUE, which only these
workers consume; ``celery -A tests.benchmarks.health_worker worker -Q <that queue>``.
"""

import os

from csplatform.celery import app

app.conf.task_default_queue = os.environ["BENCH_CELERY_QUEUE"]

__all__ = ["app"]
