"""A Redis task queue that loses no task while Redis is down: ``DurableRedisHuey``.

A task that cannot be put on the queue (Redis stopped, unreachable) is written to the
database instead (``QueuedTask``), and the caller carries on: a page that queues an email
or an export does not fail because the queue is away. The backlog goes to Redis, oldest
first, when the queue answers again: on a process's next successful enqueue, and every
minute from the worker (``platform.tasks``).

Models are imported inside the functions: Huey's Django integration builds the queue while
the apps are still loading.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from huey import RedisHuey
from huey.storage import RedisStorage
from redis import ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

QUEUE_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds: a stopped Redis refuses at once, an unreachable one must not hold a request.
CONNECT_TIMEOUT = 2
# Longer than the consumer's blocking read (one second).
READ_TIMEOUT = 10
FLUSH_BATCH = 500


# Huey has no type hints: its classes are Any to mypy.
class DurableRedisStorage(RedisStorage):  # type: ignore[misc]
    """Huey's Redis storage, keeping in the database what Redis cannot take."""

    def __init__(self, *args: Any, url: str | None = None, **kwargs: Any) -> None:
        if url:
            kwargs["connection_pool"] = ConnectionPool.from_url(
                url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=READ_TIMEOUT
            )
        super().__init__(*args, **kwargs)
        # Set when this process may have a backlog to send (checked once at start too).
        self._backlog_maybe = True
        self._flushing = threading.Lock()

    def enqueue(self, data: bytes, priority: int | None = None) -> None:
        try:
            super().enqueue(data, priority)
        except QUEUE_DOWN as error:
            self._keep(data, priority=priority, eta=None, error=error)
            return
        self._flush_if_needed()

    def add_to_schedule(self, data: bytes, ts: dt.datetime) -> None:
        try:
            super().add_to_schedule(data, ts)
        except QUEUE_DOWN as error:
            self._keep(data, priority=None, eta=ts, error=error)
            return
        self._flush_if_needed()

    def _keep(
        self, data: bytes, *, priority: int | None, eta: dt.datetime | None, error: Exception
    ) -> None:
        from recommerce.platform.models import QueuedTask

        if eta is not None and eta.tzinfo is None:
            eta = eta.replace(tzinfo=dt.UTC)  # Huey's schedule times are naive UTC
        QueuedTask.objects.create(message=data, priority=priority, eta=eta)
        self._backlog_maybe = True
        logger.warning("The task queue is unreachable (%s): the task waits in the database.", error)

    def _flush_if_needed(self) -> None:
        if self._backlog_maybe:
            self.backlog_flush()

    def backlog_flush(self) -> int:
        """Move the tasks kept while the queue was down onto it; return how many moved."""
        from recommerce.platform.models import QueuedTask

        if not self._flushing.acquire(blocking=False):
            return 0  # another thread of this process is at it
        moved = 0
        try:
            for row in QueuedTask.objects.order_by("pk")[:FLUSH_BATCH]:
                # Deleted first, so two processes never both move one task; put back if
                # the queue fails again.
                if QueuedTask.objects.filter(pk=row.pk).delete()[0] == 0:
                    continue
                try:
                    self._send(row)
                except QUEUE_DOWN:
                    QueuedTask.objects.create(
                        message=row.message, priority=row.priority, eta=row.eta
                    )
                    return moved
                moved += 1
            self._backlog_maybe = QueuedTask.objects.exists()
        finally:
            self._flushing.release()
        if moved:
            logger.info("%s task(s) kept during a queue outage were queued.", moved)
        return moved

    def _send(self, row: Any) -> None:
        message = bytes(row.message)
        if row.eta is None:
            super().enqueue(message, row.priority)
        else:
            super().add_to_schedule(message, row.eta.astimezone(dt.UTC).replace(tzinfo=None))


class DurableRedisHuey(RedisHuey):  # type: ignore[misc]
    """``RedisHuey`` on ``DurableRedisStorage`` (``settings.HUEY["huey_class"]``)."""

    storage_class = DurableRedisStorage
