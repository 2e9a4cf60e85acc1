"""Two "carry out" clicks at the same moment start a request once (RIGHT-3, RIGHT-1).

Hardening 4.5: the state transition is locked. Each click runs in its own thread with its
own connection, released together by a barrier, as the staff console runs it (the step in
a transaction). The figure: erasures or exports started twice = 0. Also here, on
PostgreSQL, the row locks an erasure takes outside any request (Hardening 4.3).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from recommerce.privacy.models import DataRequest, ErasureRecord, ExportArchive
from recommerce.privacy.registry import registry
from recommerce.privacy.services.handling import data_request_fulfil
from recommerce.privacy.services.requests import RequestError, data_request_submit
from tests.accounts.conftest import make_staff, make_user
from tests.checkout.conftest import needs_postgres

pytestmark = [*needs_postgres, pytest.mark.django_db(transaction=True)]

CLICKS = 8
ROUNDS = 5


def _verified(kind: str, n: int) -> DataRequest:
    user = make_user(f"racer{kind}{n}@example.org", full_name="Rémi Racer")
    return data_request_submit(
        kind=kind,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction="gdpr",
        full_name=user.full_name,
        email=user.email,
        user=user,
    )


def _race(reference: str, staff) -> tuple[int, int, list[BaseException]]:
    barrier = threading.Barrier(CLICKS)
    started: list[int] = []
    refused: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def click() -> None:
        try:
            request = DataRequest.objects.get(reference=reference)
            barrier.wait(timeout=30)
            try:
                with transaction.atomic():
                    data_request_fulfil(request=request, actor=staff)
            except RequestError:
                with lock:
                    refused.append(1)
                return
            with lock:
                started.append(1)
        except BaseException as exc:  # reported below, never swallowed
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(started), len(refused), errors


@pytest.mark.parametrize("kind", [DataRequest.Kind.ERASURE, DataRequest.Kind.ACCESS])
def test_p_right_3_concurrent_carry_out_clicks_start_a_request_once(kind, monkeypatch):
    """Hardening 4.5: of N simultaneous clicks, one starts the request, the rest are told.

    promise: RIGHT-3, RIGHT-1
    """
    assert connection.vendor == "postgresql"
    # An open blocker keeps every erasure postponed, the state where a repeat would run again.
    monkeypatch.setattr(registry, "erasure_blockers", [lambda user: ["An order is open."]])
    monkeypatch.setattr("recommerce.privacy.tasks.export_build_task", lambda archive_id: None)
    staff = make_staff(None, "dpo-race@example.com")
    twice = 0
    for n in range(ROUNDS):
        request = _verified(kind, n)
        started, refused, errors = _race(request.reference, staff)
        assert errors == []
        assert (started, refused) == (1, CLICKS - 1)
        if kind == DataRequest.Kind.ERASURE:
            twice += ErasureRecord.objects.filter(request_reference=request.reference).count() > 1
        else:
            twice += ExportArchive.objects.filter(request=request).count() > 1
        assert (
            DataRequest.objects.get(pk=request.pk).events.filter(action="in progress").count() == 1
        )
    assert twice == 0


def test_p_right_5_an_erasure_without_a_request_answers_the_open_ones_outside_a_transaction(
    monkeypatch,
):
    """Hardening 4.3: the retention job's erasure (no request) still closes the others.

    Run as the job runs, in autocommit: the rows it locks need a transaction of their own.

    promise: RIGHT-5, RETAIN-1
    """
    assert connection.vendor == "postgresql"
    for kind in registry.recipient_notifiers:
        monkeypatch.setitem(registry.recipient_notifiers, kind, lambda recipient, refs: None)
    correction = _verified(DataRequest.Kind.RECTIFICATION, 99)
    user = correction.user

    from recommerce.privacy.services.erasure import erasure_start

    record = erasure_start(user=user)

    correction.refresh_from_db()
    assert record.status == ErasureRecord.Status.DONE
    assert (correction.status, correction.closed_at is not None) == ("completed", True)
