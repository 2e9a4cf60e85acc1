"""Task locks (issue 14, section 2): a lock is free again when its holder releases it, when
its process died on this machine, or when its time is up; never while a live holder runs.

Before the fix, Huey's lock had no expiry: a worker killed while holding it silenced the
periodic task for good ("unable to acquire lock" every minute, across restarts).
"""

from __future__ import annotations

import datetime as dt
import os
import socket

import pytest
from huey.exceptions import TaskLockedException

from recommerce.platform import clock
from recommerce.platform.locks import holder_name, lock_acquire, lock_release, task_lock
from recommerce.platform.models import TaskLock
from tests.platform.worker_world import World


def _held_by(holder: str, *, expires_in: dt.timedelta) -> TaskLock:
    now = clock.now()
    return TaskLock.objects.create(
        name="sweep", holder=holder, acquired_at=now, expires_at=now + expires_in
    )


@pytest.mark.django_db
def test_faults_2_a_live_holder_keeps_its_lock_and_a_release_frees_it() -> None:
    """Faults 2: another thread of this live process holds the lock: refused; once it
    releases, the lock is taken."""
    _held_by(f"{holder_name().rsplit(':', 1)[0]}:1", expires_in=dt.timedelta(minutes=5))
    assert lock_acquire(name="sweep") is False
    with pytest.raises(TaskLockedException), task_lock("sweep"):
        pytest.fail("ran under a lock held by another")
    TaskLock.objects.filter(name="sweep").delete()
    ran: list[str] = []
    with task_lock("sweep"):
        ran.append(TaskLock.objects.get(name="sweep").holder)
    assert ran == [holder_name()]
    assert not TaskLock.objects.filter(name="sweep").exists()  # released after the run


@pytest.mark.django_db
def test_faults_2_release_removes_only_the_callers_own_lock() -> None:
    """Faults 2: a release by someone who is not the holder leaves the lock in place."""
    _held_by("elsewhere:4242:99:1", expires_in=dt.timedelta(minutes=5))
    lock_release(name="sweep")
    assert TaskLock.objects.get(name="sweep").holder == "elsewhere:4242:99:1"


@pytest.mark.django_db
def test_faults_2_a_lock_held_on_another_machine_is_freed_by_its_expiry_only() -> None:
    """Faults 2: a holder on another machine cannot be checked: its lock holds until it
    expires, then the next run takes it over."""
    _held_by("another-host:4242:99:1", expires_in=dt.timedelta(minutes=5))
    assert lock_acquire(name="sweep") is False
    TaskLock.objects.filter(name="sweep").update(expires_at=clock.now() - dt.timedelta(seconds=1))
    assert lock_acquire(name="sweep") is True
    assert TaskLock.objects.get(name="sweep").holder == holder_name()


@pytest.mark.django_db
def test_faults_2_a_pid_given_to_a_newer_process_does_not_keep_a_dead_holders_lock() -> None:
    """Faults 2: the holder's pid runs again, but a process started since (its start time
    differs): the lock is taken over at once."""
    _held_by(f"{socket.gethostname()}:{os.getpid()}:1:1", expires_in=dt.timedelta(hours=1))
    assert lock_acquire(name="sweep") is True


def test_faults_2_a_worker_killed_holding_a_periodic_tasks_lock_does_not_silence_it(
    world: World,
) -> None:
    """Faults 2: the real worker is killed (SIGKILL) while the outbox sweep holds its lock;
    the lock stays behind, and the next run of the sweep, on a new worker, runs and sends
    the email waiting."""
    world.run("from recommerce.platform.tasks import outbox_sweep\noutbox_sweep()")
    first = world.worker(pause="lock:platform-outbox")
    pid = world.wait_for_step("lock:platform-outbox", first)
    world.kill(first)
    holder = world.run(
        """
        from recommerce.platform.models import TaskLock
        result = TaskLock.objects.get(name="platform-outbox").holder
        """
    )
    assert holder.split(":")[1] == str(pid)  # left behind by the dead worker, not expired

    world.run(
        """
        from recommerce.platform.outbox import email_queue
        from recommerce.platform.tasks import outbox_sweep
        email_queue(to=["ana@example.com"], subject="Hello", body="Hi", category="transactional")
        outbox_sweep()
        """
    )
    world.worker()
    assert world.wait_until(
        """
        from recommerce.platform.models import OutboundEmail
        result = list(OutboundEmail.objects.values_list("status", flat=True))
        result = result if result == ["sent"] else None
        """
    ) == ["sent"]
    assert len(world.mails()) == 1
    assert (
        world.run(
            """
        from recommerce.platform.models import TaskLock
        result = TaskLock.objects.filter(name="platform-outbox").count()
        """
        )
        == 0
    )
