"""payment_start, payment_sync, refunds and transfers through the sandbox provider."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from recommerce.payments import selectors, services
from recommerce.payments.events import PaymentCaptured, RefundSucceeded
from recommerce.payments.models import (
    InstalmentPlan,
    Payment,
    Refund,
    SandboxOutbox,
    SandboxSession,
    Transfer,
)
from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.privacy.models import Disclosure
from tests import factories
from tests.payments.conftest import (
    make_payer,
    pay_and_confirm,
    sandbox,
    session_of,
    start,
)

pytestmark = pytest.mark.django_db

GOOD_IBAN = "DE89370400440532013000"
REFUSED_IBAN = "DE94370400440532010000"  # ends in 0000: the sandbox's bank refuses it


def disclosures(kind: str) -> list[tuple[str, list[str], str, str]]:
    return [
        (row.recipient, row.fields, row.purpose, row.reference)
        for row in Disclosure.objects.filter(recipient_kind=kind).order_by("id")
    ]


# --- payment_start ------------------------------------------------------------------------


def test_start_opens_the_sandbox_page_and_records_the_disclosure_share_2_share_5(payer) -> None:
    payment = start(payer, amount_minor=45_000, reference="CK-A1", key="k-1")
    session = session_of(payment)
    assert payment.status == Payment.Status.PENDING
    assert payment.provider == "sandbox"
    assert payment.redirect_url == (
        f"{settings.SITE_URL}/payments/sandbox/pay/{session.public_id}/"
    )
    assert (session.amount_minor, session.currency, session.merchant_reference) == (
        45_000,
        "EUR",
        "CK-A1",
    )
    assert session.idempotency_key == "k-1"
    assert disclosures(Disclosure.RecipientKind.PAYMENT_PROVIDER) == [
        ("payment provider (sandbox)", ["amount_minor", "email"], "service.payments", "CK-A1")
    ]
    assert Disclosure.objects.get().subject == payer
    assert not Disclosure.objects.filter(recipient_kind=Disclosure.RecipientKind.CREDIT_PARTNER)


def test_same_key_ten_times_gives_one_payment_and_one_provider_session(payer) -> None:
    answers = [start(payer, key="same-key", reference="CK-1") for _ in range(10)]
    assert {payment.pk for payment in answers} == {answers[0].pk}
    assert Payment.objects.count() == 1
    assert SandboxSession.objects.count() == 1
    assert Disclosure.objects.count() == 1


def test_same_key_with_another_amount_is_refused_and_changes_nothing(payer) -> None:
    first = start(payer, key="k", reference="CK-1", amount_minor=10_000)
    with pytest.raises(ValidationError, match="already used for another payment"):
        start(payer, key="k", reference="CK-1", amount_minor=1)
    assert list(Payment.objects.values_list("pk", "amount_minor")) == [(first.pk, 10_000)]
    assert SandboxSession.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_minor": 0}, "amount_minor"),
        ({"amount_minor": -1}, "amount_minor"),
        ({"amount_minor": 0.5}, "amount_minor"),
        ({"amount_minor": True}, "amount_minor"),
        ({"currency": "eur"}, "currency"),
        ({"currency": "EURO"}, "currency"),
        ({"plan": "x9"}, "plan"),
        ({"key": ""}, "idempotency_key"),
        ({"key": "k" * 101}, "idempotency_key"),
    ],
)
def test_bad_input_is_refused_before_anything_reaches_the_provider(
    payer, overrides: dict[str, Any], field: str
) -> None:
    arguments: dict[str, Any] = {"key": "k-bad"}
    arguments.update(overrides)
    if arguments["key"] == "":
        with pytest.raises(ValidationError) as caught:
            services.payment_start(
                reference="CK-1",
                amount_minor=100,
                currency="EUR",
                payer=payer,
                plan="full",
                description="",
                idempotency_key="",
                return_url="http://testserver/r/",
                cancel_url="http://testserver/c/",
                buyer_country="FR",
            )
    else:
        with pytest.raises(ValidationError) as caught:
            start(payer, **arguments)
    assert field in caught.value.message_dict
    assert Payment.objects.count() == 0
    assert SandboxSession.objects.count() == 0
    assert Disclosure.objects.count() == 0


def test_instalments_accepted_keep_the_plan_and_tell_who_got_what(payer) -> None:
    payment = start(payer, amount_minor=100_001, plan="x3", reference="CK-X3")
    plan = InstalmentPlan.objects.get(payment=payment)
    assert payment.status == Payment.Status.PENDING
    assert (plan.partner, plan.count) == ("sandbox-credit", 3)
    assert [part["amount_minor"] for part in plan.schedule] == [33_335, 33_333, 33_333]
    assert plan.partner_reference.startswith("cr_")
    assert disclosures(Disclosure.RecipientKind.CREDIT_PARTNER) == [
        (
            "credit partner (sandbox-credit)",
            ["amount_minor", "country", "email"],
            "service.payments",
            "CK-X3",
        )
    ]
    assert len(disclosures(Disclosure.RecipientKind.PAYMENT_PROVIDER)) == 1


def test_instalments_declined_raise_and_charge_nothing(db: None) -> None:
    payer = make_payer("decline.me@example.com")
    with pytest.raises(services.InstalmentsDeclined) as caught:
        start(payer, amount_minor=50_000, plan="x4", key="k-x4", reference="CK-D")
    assert str(caught.value) == "Our credit partner could not offer instalments for this purchase."
    assert caught.value.code == "instalments_declined"
    payment = Payment.objects.get()
    assert (payment.status, payment.failure_code) == (Payment.Status.FAILED, "instalments_declined")
    assert payment.redirect_url == ""
    assert SandboxSession.objects.count() == 0
    assert InstalmentPlan.objects.count() == 0
    # The partner did receive the buyer's data: that is recorded; the provider got nothing.
    assert len(disclosures(Disclosure.RecipientKind.CREDIT_PARTNER)) == 1
    assert disclosures(Disclosure.RecipientKind.PAYMENT_PROVIDER) == []
    # A repeat of the same request gets the same answer, without asking again.
    with pytest.raises(services.InstalmentsDeclined):
        start(payer, amount_minor=50_000, plan="x4", key="k-x4", reference="CK-D")
    assert Payment.objects.count() == 1
    assert len(disclosures(Disclosure.RecipientKind.CREDIT_PARTNER)) == 1


def test_provider_failure_leaves_no_payment_and_the_key_free_for_a_retry(
    payer, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = sandbox()

    def down(**kwargs: Any) -> Any:
        raise ProviderUnavailable("down")

    monkeypatch.setattr(provider, "session_create", down)
    with pytest.raises(ProviderUnavailable):
        start(payer, key="k-retry", reference="CK-R")
    assert Payment.objects.count() == 0
    assert Disclosure.objects.count() == 0
    monkeypatch.undo()
    payment = start(payer, key="k-retry", reference="CK-R")
    assert payment.status == Payment.Status.PENDING
    assert SandboxSession.objects.count() == 1


# --- payment_sync -------------------------------------------------------------------------


def test_sync_follows_the_provider_open_processing_captured(
    payer, frozen, commit, published
) -> None:
    payment = start(payer, amount_minor=45_000)
    assert services.payment_sync(payment=payment).status == Payment.Status.PENDING
    with commit():
        sandbox().card_pay(public_id=payment.provider_session_id, number="4242424242424242")
        synced = services.payment_sync(payment=payment)
    assert synced.status == Payment.Status.PROCESSING
    frozen.shift(3)
    with commit():
        synced = services.payment_sync(payment=payment)
    assert (synced.status, synced.captured_minor) == (Payment.Status.CAPTURED, 45_000)
    assert (synced.card_brand, synced.card_last4) == ("visa", "4242")
    # The notification arrives after the buyer's return page already knew: no second event.
    with commit():
        assert sandbox().outbox_deliver_due() == 1
    assert published.counts() == {"PaymentCaptured": 1}
    assert published == [PaymentCaptured(payment_id=payment.pk, reference=payment.reference)]


def test_reconcile_captures_a_payment_whose_notification_was_lost(
    payer, frozen, commit, published
) -> None:
    payment = start(payer)
    with commit():
        sandbox().card_pay(public_id=payment.provider_session_id, number="4242424242424242")
    SandboxOutbox.objects.all().delete()  # the notification never arrives
    frozen.shift(11 * 60)
    with commit():
        assert services.payments_reconcile() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED
    assert published.counts() == {"PaymentCaptured": 1}


def test_selectors_find_the_latest_attempt_and_the_captured(payer, frozen, commit) -> None:
    first = start(payer, reference="CK-S", key="a-1")
    second = start(payer, reference="CK-S", key="a-2")
    assert selectors.payment_get(reference="CK-S") == second
    assert selectors.payment_get(reference="nothing") is None
    pay_and_confirm(first, frozen, commit)
    assert list(selectors.payments_captured_since(since=first.created_at)) == [first]


# --- refunds ------------------------------------------------------------------------------


@pytest.fixture
def captured(payer, frozen, commit) -> Payment:
    payment = pay_and_confirm(start(payer, amount_minor=10_000, reference="CK-RF"), frozen, commit)
    assert payment.status == Payment.Status.CAPTURED
    return payment


def refund_events() -> int:
    return sum(
        json.loads(row.body)["type"] == "refund.succeeded" for row in SandboxOutbox.objects.all()
    )


def test_refund_is_confirmed_by_notification_once(captured, commit, published) -> None:
    with commit():
        refund = services.refund_create(
            payment=captured, amount_minor=3_000, idempotency_key="rf-1", context="ORD-9"
        )
    refund.refresh_from_db()
    captured.refresh_from_db()
    assert (refund.status, refund.amount_minor, refund.context) == (
        Refund.Status.SUCCEEDED,
        3_000,
        "ORD-9",
    )
    assert (captured.refunded_minor, captured.refundable_minor) == (3_000, 7_000)
    assert session_of(captured).refunded_minor == 3_000
    assert published.of(RefundSucceeded) == [
        RefundSucceeded(
            refund_id=refund.pk, payment_id=captured.pk, amount_minor=3_000, context="ORD-9"
        )
    ]


def test_refund_same_key_ten_times_refunds_once(captured, commit, published) -> None:
    with commit():
        refunds = [
            services.refund_create(payment=captured, amount_minor=2_500, idempotency_key="rf-x")
            for _ in range(10)
        ]
    assert {refund.pk for refund in refunds} == {refunds[0].pk}
    assert Refund.objects.count() == 1
    assert refund_events() == 1
    assert session_of(captured).refunded_minor == 2_500
    captured.refresh_from_db()
    assert captured.refunded_minor == 2_500
    assert published.counts()["RefundSucceeded"] == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "A refund is a positive amount."),
        (-5, "A refund is a positive amount."),
        (10_001, "At most €100.00 can be refunded."),
    ],
)
def test_refund_outside_the_capture_is_refused_without_provider_call(
    captured, amount: int, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.refund_create(payment=captured, amount_minor=amount, idempotency_key="rf-bad")
    assert caught.value.message_dict == {"amount_minor": [message]}
    assert Refund.objects.count() == 0
    assert refund_events() == 0
    assert session_of(captured).refunded_minor == 0


def test_refunds_never_add_up_to_more_than_the_capture(captured, commit) -> None:
    with commit():
        services.refund_create(payment=captured, amount_minor=6_000, idempotency_key="a")
    with pytest.raises(ValidationError, match=re.escape("At most €40.00 can be refunded")):
        services.refund_create(payment=captured, amount_minor=4_001, idempotency_key="b")
    with pytest.raises(ValidationError, match="already used for another refund"):
        services.refund_create(payment=captured, amount_minor=1, idempotency_key="a")
    with commit():
        services.refund_create(payment=captured, amount_minor=4_000, idempotency_key="c")
    captured.refresh_from_db()
    assert (captured.captured_minor, captured.refunded_minor) == (10_000, 10_000)
    assert refund_events() == 2


def test_a_payment_not_captured_cannot_be_refunded(payer) -> None:
    payment = start(payer)
    with pytest.raises(ValidationError, match=r"Only a captured payment can be refunded\."):
        services.refund_create(payment=payment, amount_minor=100, idempotency_key="rf")
    assert Refund.objects.count() == 0
    assert SandboxOutbox.objects.count() == 0


# --- transfers ----------------------------------------------------------------------------


def seller_with(iban: str) -> Any:
    seller = factories.seller()
    seller.iban = iban
    seller.iban_last4 = iban[-4:]
    seller.save()
    return seller


def test_transfer_pays_at_once_and_the_notification_adds_nothing(commit, published) -> None:
    seller = seller_with(GOOD_IBAN)
    with commit():
        transfer = services.transfer_create(
            seller=seller,
            amount_minor=12_345,
            currency="EUR",
            idempotency_key="payout-1",
            description="Payout 2031-03-16",
        )
    transfer.refresh_from_db()
    assert (transfer.status, transfer.amount_minor) == (Transfer.Status.PAID, 12_345)
    assert transfer.provider_transfer_id.startswith("tr_sandbox_")
    assert published.counts() == {"TransferPaid": 1}
    outbox = SandboxOutbox.objects.get()
    assert outbox.delivered_at is not None
    # Nothing personal goes out (sellers are companies) and the IBAN is stored nowhere else.
    assert Disclosure.objects.count() == 0
    assert GOOD_IBAN not in outbox.body
    assert "0532013000" not in json.dumps(list(Transfer.objects.values()), default=str)


def test_transfer_same_key_pays_once(commit, published) -> None:
    seller = seller_with(GOOD_IBAN)
    with commit():
        transfers = [
            services.transfer_create(
                seller=seller,
                amount_minor=500,
                currency="EUR",
                idempotency_key="payout-2",
                description="Payout",
            )
            for _ in range(5)
        ]
    assert {transfer.pk for transfer in transfers} == {transfers[0].pk}
    assert SandboxOutbox.objects.count() == 1
    assert published.counts() == {"TransferPaid": 1}
    with pytest.raises(ValidationError, match="already used for another transfer"):
        services.transfer_create(
            seller=seller,
            amount_minor=501,
            currency="EUR",
            idempotency_key="payout-2",
            description="Payout",
        )


def test_transfer_refused_by_the_bank_fails_by_notification(commit, published) -> None:
    seller = seller_with(REFUSED_IBAN)
    with commit():
        transfer = services.transfer_create(
            seller=seller,
            amount_minor=700,
            currency="EUR",
            idempotency_key="payout-3",
            description="Payout",
        )
        assert transfer.status == Transfer.Status.PENDING
    transfer.refresh_from_db()
    assert (transfer.status, transfer.failure_message) == (Transfer.Status.FAILED, "account_closed")
    assert published.counts() == {"TransferFailed": 1}


def test_transfer_without_bank_account_is_refused_and_leaves_nothing(published) -> None:
    seller = factories.seller()
    with pytest.raises(ProviderError, match="no bank account"):
        services.transfer_create(
            seller=seller,
            amount_minor=700,
            currency="EUR",
            idempotency_key="payout-4",
            description="Payout",
        )
    assert Transfer.objects.count() == 0
    assert SandboxOutbox.objects.count() == 0
    assert published == []
