"""The email outbox (issue 14, section 3): every email is a row before it is sent, sent
once, retried until sent, failed ones visible; and the queue that keeps tasks while its
Redis is down (section 4).
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail

from recommerce.platform import clock
from recommerce.platform.mail import send_templated
from recommerce.platform.models import OutboundEmail, QueuedTask
from recommerce.platform.outbox import (
    MAX_ATTEMPTS,
    STUCK_AFTER,
    email_deliver,
    email_queue,
    email_retry,
    outbox_send_due,
)
from recommerce.privacy.registry import registry

pytestmark = pytest.mark.django_db
SMTP = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _mail_server_down(settings: Any) -> None:
    """Point mail at a port where nothing listens: every send is refused."""
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2


def _send(**extra: Any) -> int:
    return send_templated(
        to=["ana@example.com"],
        subject="your order",
        template="privacy/email/notice_changed",
        context={"person": None, "version": None, "day": "1 May"},
        **extra,
    )


def test_faults_3_a_refused_send_waits_in_the_outbox_and_goes_once_the_server_is_back(
    settings: Any,
) -> None:
    """Faults 3: the mail server refuses (a closed port): nothing raises, the email waits
    with its error and a delay; the sweep sends it once the server is back, once."""
    _mail_server_down(settings)
    start = clock.now()
    with time_machine.travel(start, tick=False):
        assert _send() == 0
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.next_attempt_at == start + dt.timedelta(minutes=1)
    assert email.last_error.startswith("ConnectionRefusedError")
    assert email.body != ""  # kept until sent

    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        assert outbox_send_due() == 0  # not due yet
    assert mail.outbox == []
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        assert outbox_send_due() == 1
        assert outbox_send_due() == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    # Only the delivery record stays once sent.
    assert (email.to, email.subject, email.body, email.html, email.headers) == ("", "", "", "", {})
    (message,) = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.message()["Message-ID"] == email.message_id


def test_faults_3_an_email_failing_every_attempt_is_failed_for_staff_and_retried_on_demand(
    settings: Any,
) -> None:
    """Faults 3: after its last attempt the email is failed (not retried for ever); staff's
    retry gives it a new round."""
    _mail_server_down(settings)
    _send()
    email = OutboundEmail.objects.get()
    for _ in range(MAX_ATTEMPTS - 1):
        OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=clock.now())
        outbox_send_due()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", MAX_ATTEMPTS)
    assert outbox_send_due() == 0

    settings.EMAIL_BACKEND = LOCMEM
    email_retry(email=email)
    assert outbox_send_due() == 1
    email.refresh_from_db()
    assert email.status == "sent"
    assert len(mail.outbox) == 1


def test_faults_3_the_same_key_queues_one_email() -> None:
    """Faults 3: a task run twice (resumed after a crash) queues and sends one email."""
    assert _send(key="order:7:shipped") == 1
    assert _send(key="order:7:shipped") == 0
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_faults_3_an_email_left_sending_by_a_dead_sender_goes_after_the_bound_only() -> None:
    """Faults 3: a row claimed by a process that died stays claimed while its sender may
    still be at work, and is sent by the sweep once ``STUCK_AFTER`` has passed."""
    email = email_queue(to=["ana@example.com"], subject="Hi", body="Hi", category="transactional")
    start = clock.now()
    OutboundEmail.objects.filter(pk=email.pk).update(status="sending", claimed_at=start, attempts=1)
    with time_machine.travel(start + STUCK_AFTER - dt.timedelta(seconds=1), tick=False):
        assert outbox_send_due() == 0
        assert email_deliver(email=email) is False
    assert mail.outbox == []
    with time_machine.travel(start + STUCK_AFTER + dt.timedelta(seconds=1), tick=False):
        assert outbox_send_due() == 1
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get().status == "sent"


def test_faults_3_outbox_rows_are_found_by_their_addressee_only() -> None:
    """Faults 3: the registry finds a person's outbox rows (to erase them), not those of
    an address that merely contains theirs."""
    for to in (["ana@example.com"], ["bo@example.com", "ana@example.com"], ["joana@example.com"]):
        email_queue(to=to, subject="Hi", body="Hi", category="transactional")

    class Person:
        email = "ana@example.com"

    subject = registry.personal_fields[("platform.OutboundEmail", "to")].subject
    assert callable(subject)
    found = OutboundEmail.objects.filter(subject(Person())).values_list("to", flat=True)
    assert sorted(found) == ["ana@example.com", "bo@example.com\nana@example.com"]


# --- The queue while Redis is down (section 4) ----------------------------------------------


def _redis(port: int, folder: Path) -> subprocess.Popen[bytes]:
    """Start a Redis of the test's own that writes every change to disk (append-only)."""
    command = [shutil.which("redis-server") or "redis-server", "--port", str(port)]
    command += ["--bind", "127.0.0.1", "--dir", str(folder), "--save", ""]
    command += ["--appendonly", "yes", "--appendfsync", "always"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[int, Path, list[subprocess.Popen[bytes]]]]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    servers: list[subprocess.Popen[bytes]] = []
    yield _closed_port(), tmp_path, servers
    for server in servers:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_faults_4_tasks_queued_while_redis_is_down_wait_in_the_database_and_run_once_back(
    own_redis: tuple[int, Path, list[subprocess.Popen[bytes]]],
) -> None:
    """Faults 4: the queue's Redis is killed (SIGKILL); enqueuing raises nothing and keeps
    the task in the database; with Redis back, the next enqueue moves it to the queue and
    every task runs once."""
    from recommerce.platform.queue import DurableRedisHuey

    port, folder, servers = own_redis
    servers.append(_redis(port, folder))
    huey = DurableRedisHuey("faults", url=f"redis://127.0.0.1:{port}/0")
    ran: list[int] = []

    @huey.task()
    def note(number: int) -> None:
        ran.append(number)

    note(1)
    servers[0].kill()
    servers[0].wait()
    started = time.monotonic()
    note(2)  # Redis is down
    assert time.monotonic() - started < 3
    assert QueuedTask.objects.count() == 1
    assert huey.storage._backlog_maybe is True

    servers.append(_redis(port, folder))
    note(3)
    assert QueuedTask.objects.count() == 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
    assert sorted(ran) == [1, 2, 3]


def test_faults_4_the_backlog_stays_while_redis_is_still_down(
    own_redis: tuple[int, Path, list[subprocess.Popen[bytes]]],
) -> None:
    """Faults 4: a flush while Redis is still away loses nothing: the task stays kept."""
    from recommerce.platform.queue import DurableRedisHuey

    port, _, _ = own_redis  # no server started: the port is closed
    huey = DurableRedisHuey("faults", url=f"redis://127.0.0.1:{port}/0")

    @huey.task()
    def note(number: int) -> None:
        pass

    note(1)
    note.schedule((2,), delay=60)
    assert QueuedTask.objects.count() == 2
    assert huey.storage.backlog_flush() == 0
    assert QueuedTask.objects.count() == 2
