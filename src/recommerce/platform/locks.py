"""Task locks that outlive no holder: ``task_lock(name, ttl=...)``.

Huey's own lock has no expiry (its SQLite storage refuses one; Redis needs 7.4 for it), so
a worker killed while holding it silenced the task for good. These locks are rows of the
database every process shares (``TaskLock``), and a lock is free again when:

- its holder released it (only the holder's own row is deleted);
- its holder's process is gone from this machine (the pid no longer runs, or runs another
  program started since: the start time is part of the holder's name);
- its ``ttl`` has passed, for a holder on another machine. Each task's ``ttl`` is longer
  than its worst case, so a live holder is never overtaken.

Used as a decorator under ``db_periodic_task`` / ``db_task``, or as a context manager. A
lock that is taken raises Huey's ``TaskLockedException``: the consumer logs it and the
task waits for its next run, as with Huey's lock.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import ParamSpec, TypeVar

from django.db import IntegrityError, transaction
from huey.exceptions import TaskLockedException

from recommerce.platform import clock, faults
from recommerce.platform.models import TaskLock

DEFAULT_TTL = dt.timedelta(minutes=15)
P = ParamSpec("P")
R = TypeVar("R")


def _start_ticks(pid: int) -> str:
    """Return when process ``pid`` started (clock ticks since boot), or "" where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name (field 2) may hold spaces: count the fields after its ")".
    return stat.rsplit(")", 1)[1].split()[19]


_PROCESS = f"{socket.gethostname()}:{os.getpid()}:{_start_ticks(os.getpid())}"
_PROCESS_PID = os.getpid()


def holder_name() -> str:
    """Return this thread's name as a lock holder: host, pid, process start, thread."""
    global _PROCESS, _PROCESS_PID
    if os.getpid() != _PROCESS_PID:  # a forked child is another holder
        _PROCESS_PID = os.getpid()
        _PROCESS = f"{socket.gethostname()}:{_PROCESS_PID}:{_start_ticks(_PROCESS_PID)}"
    return f"{_PROCESS}:{threading.get_ident()}"


def holder_is_dead(holder: str) -> bool:
    """Tell whether ``holder`` was a process of this machine that no longer runs."""
    host, _, rest = holder.partition(":")
    pid_text, _, rest = rest.partition(":")
    started = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine's process: only its expiry frees the lock
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # runs, under another user
    # The pid may have been given to a newer process since.
    now_started = _start_ticks(pid)
    return bool(started and now_started and started != now_started)


def lock_acquire(*, name: str, ttl: dt.timedelta = DEFAULT_TTL) -> bool:
    """Take the lock ``name`` for this thread for at most ``ttl``; return whether it did."""
    me, now = holder_name(), clock.now()
    try:
        with transaction.atomic():
            TaskLock.objects.create(name=name, holder=me, acquired_at=now, expires_at=now + ttl)
        return True
    except IntegrityError:
        pass
    current = TaskLock.objects.filter(name=name).first()
    if current is None:  # released in between: try once more
        try:
            with transaction.atomic():
                TaskLock.objects.create(name=name, holder=me, acquired_at=now, expires_at=now + ttl)
            return True
        except IntegrityError:
            return False
    if current.expires_at > now and not holder_is_dead(current.holder):
        return False
    # Taken over only if nobody else took it over first (the same row, unchanged).
    taken = TaskLock.objects.filter(
        name=name, holder=current.holder, acquired_at=current.acquired_at
    ).update(holder=me, acquired_at=now, expires_at=now + ttl)
    return taken == 1


def lock_release(*, name: str) -> None:
    """Release the lock ``name`` if this thread holds it; another holder's row stays."""
    TaskLock.objects.filter(name=name, holder=holder_name()).delete()


class task_lock:
    """Hold the lock ``name`` around a task, as a decorator or a context manager.

    Raise ``TaskLockedException`` when another live holder has it.
    """

    def __init__(self, name: str, *, ttl: dt.timedelta = DEFAULT_TTL) -> None:
        self.name = name
        self.ttl = ttl

    def __enter__(self) -> task_lock:
        if not lock_acquire(name=self.name, ttl=self.ttl):
            raise TaskLockedException(f"unable to acquire lock {self.name}")
        # A test may stop the process here, holding the lock (platform.faults).
        faults.checkpoint(f"lock:{self.name}")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        lock_release(name=self.name)

    def __call__(self, function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def locked(*args: P.args, **kwargs: P.kwargs) -> R:
            with task_lock(self.name, ttl=self.ttl):
                return function(*args, **kwargs)

        return locked
