"""The outgoing email queue, visible to staff (Faults 3): what waits, what failed, a retry."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from recommerce.accounts import roles
from recommerce.platform.models import OutboundEmail
from recommerce.platform.outbox import MAX_ATTEMPTS, email_queue
from tests.accounts.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db
PAGE = "/staff/outbox/"


def failed_email(to: str = "noemie.mail@example.org") -> OutboundEmail:
    email = email_queue(
        to=[to], subject="Your data export is ready", body="Hello", category="transactional"
    )
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error=f"SMTP 554 5.7.1 <{to}>: the mail server refused the message",
    )
    email.refresh_from_db()
    return email


def test_faults_3_customer_service_sees_failed_emails_with_masked_addresses(client: Client):
    """Faults 3: failed emails are visible to staff, the address masked, the error shown."""
    failed_email()
    waiting = email_queue(to=["a@example.org"], subject="Order", body="x", category="transactional")
    client.force_login(make_staff(roles.CUSTOMER_SERVICE))

    page = client.get(PAGE).content.decode()

    assert "Outgoing email" in page
    assert "n•••@example.org" in page and "noemie.mail@example.org" not in page
    assert "SMTP 554 5.7.1 &lt;n•••@example.org&gt;: the mail server refused" in page
    assert "Try again" in page
    assert waiting.subject not in page  # waiting for its first attempt: nothing to look at


def test_faults_3_try_again_gives_a_failed_email_a_new_round(client: Client):
    """Faults 3: the retry button puts a failed email back in the queue, due now."""
    email = failed_email()
    client.force_login(make_staff(roles.CUSTOMER_SERVICE))

    response = client.post(reverse("platform_staff:outbox-retry", args=[email.pk]), follow=True)

    assert "will be sent again within a minute" in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 0)


@pytest.mark.parametrize("who", ["finance staff", "a buyer", "anonymous"])
def test_faults_3_the_outbox_stays_closed_to_others_and_nothing_is_retried(client: Client, who):
    """Faults 3: staff without the permission get 403, anyone else 404 (or the sign-in)."""
    email = failed_email()
    if who == "finance staff":
        client.force_login(make_staff(roles.FINANCE))
    elif who == "a buyer":
        client.force_login(make_user("buyer.outbox@example.org"))

    shown = client.get(PAGE)
    retried = client.post(reverse("platform_staff:outbox-retry", args=[email.pk]))

    expected = {"finance staff": 403, "a buyer": 404, "anonymous": 302}[who]
    assert (shown.status_code, retried.status_code) == (expected, expected)
    assert "noemie" not in shown.content.decode()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED


def test_the_staff_navigation_lists_only_the_pages_a_role_opens(client: Client):
    """Each role's navigation names its pages, from every app, and no other."""
    client.force_login(make_staff(roles.CUSTOMER_SERVICE))
    support = client.get(PAGE).content.decode()
    client.force_login(make_staff(roles.DPO, "dpo.nav@example.org"))
    dpo = client.get("/staff/privacy/").content.decode()

    assert 'href="/staff/outbox/" aria-current="page">Outgoing email' in support
    assert "Held orders" in support and "Data requests" not in support
    assert "Data requests" in dpo and "Outgoing email" not in dpo and "Payouts" not in dpo
