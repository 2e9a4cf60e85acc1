"""The staff payout page: who may see it, and approval by a second person only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from recommerce.orders.models import Payout
from recommerce.orders.services.payouts import payouts_run
from recommerce.payments.models import Transfer
from tests.accounts.conftest import make_user
from tests.orders.finance_fixtures import finance_staff, make_order, make_seller, ship

pytestmark = pytest.mark.django_db

PAGE = "/staff/finance/payouts/"


@pytest.fixture(autouse=True)
def _finance_urls(settings):
    settings.ROOT_URLCONF = "tests.orders.finance_fixtures"
    settings.PAYOUT_AFTER_SHIPPING_DAYS = 10
    settings.PAYOUT_SECOND_APPROVAL_MINOR = 40_000


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pending():
    seller = make_seller("Staff Page Shop")
    ship(make_order(seller), on=dt.date(2026, 3, 1))
    creator = finance_staff("creator@example.com")
    [payout] = payouts_run(run_date=dt.date(2026, 3, 16), actor=creator)
    assert payout.status == Payout.Status.PENDING_APPROVAL
    return payout, creator


def test_only_staff_allowed_to_approve_payouts_see_the_page(pending):
    _, creator = pending
    assert Client().get(PAGE).status_code == 302
    assert signed_in(make_user()).get(PAGE).status_code == 404
    assert signed_in(finance_staff(may_approve=False)).get(PAGE).status_code == 403
    page = signed_in(creator).get(PAGE)
    assert page.status_code == 200
    assert "Staff Page Shop" in page.text and "€405.00" in page.text
    assert "Another person approves" in page.text  # no button for the creator


def test_creator_cannot_approve_through_the_page_and_a_second_person_can(pending):
    payout, creator = pending
    url = f"/staff/finance/payouts/{payout.pk}/approve/"
    assert signed_in(creator).get(url).status_code == 405
    refused = signed_in(creator).post(url)
    assert refused.status_code == 302
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [
        "A payout is approved by a second person, not by its creator."
    ]
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PENDING_APPROVAL
    for outsider in (make_user(), finance_staff(may_approve=False)):
        assert signed_in(outsider).post(url).status_code in (403, 404)
    payout.refresh_from_db()
    assert payout.approved_by is None

    second = finance_staff("second@example.com")
    client = signed_in(second)
    assert client.post(url).status_code == 302
    payout.refresh_from_db()
    assert (payout.status, payout.approved_by) == (Payout.Status.APPROVED, second)
    listed = client.get(PAGE)
    assert f"/staff/finance/payouts/{payout.pk}/send/" in listed.text
    assert "approved by" in listed.text
    sent = client.post(f"/staff/finance/payouts/{payout.pk}/send/")
    assert sent.status_code == 302
    payout.refresh_from_db()
    assert payout.status == Payout.Status.SENT
    assert Transfer.objects.get().idempotency_key == f"payout-{payout.pk}"
    # Neither waiting nor approved any more: gone from the page, its actions 404.
    assert client.post(f"/staff/finance/payouts/{payout.pk}/send/").status_code == 404
    assert Transfer.objects.count() == 1
