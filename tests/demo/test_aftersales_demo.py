"""The demo's after-sales: the claims at each stage, their conversations, the locked device,
the identity check, reviews and surveys, with dates that follow the story."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from stdnum import imei

from recommerce.accounts.models import Seller, User
from recommerce.demo.aftersales import DEMO_SUPPORT_EMAIL, REVIEWERS
from recommerce.demo.people import DEMO_BUYER_EMAIL, DEMO_LOGINS, DEMO_SELLER_NAME
from recommerce.orders.models import Order, UnitIdentifier
from recommerce.privacy.ledger import SqliteLedger
from recommerce.support.models import (
    Claim,
    ClaimEvent,
    DeviceCheck,
    IdentityCheck,
    Message,
    Review,
    Survey,
)

pytestmark = pytest.mark.django_db
Kind, Status = Claim.Kind, Claim.Status


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed the demo size once for the module, inside a transaction rolled back at the end."""
    ledger = SqliteLedger(tmp_path_factory.mktemp("ledger") / "ledger.sqlite3")
    ledger.create()
    with (
        override_settings(
            MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            PRIVACY_LEDGER_URL=f"sqlite:///{ledger.path}",
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed", "--size", "demo", "--no-input", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def claims() -> dict[tuple[str, str], Claim]:
    found = Claim.objects.filter(buyer__email=DEMO_BUYER_EMAIL).select_related("order")
    return {(claim.kind, claim.status): claim for claim in found}


def test_the_buyer_received_phones_from_the_demo_seller_with_their_imeis():
    today = timezone.localdate()
    orders = Order.objects.filter(
        buyer__email=DEMO_BUYER_EMAIL, seller__name=DEMO_SELLER_NAME, claims__isnull=False
    ).distinct()
    assert orders.count() == 4
    for order in orders:
        assert order.status == Order.Status.DELIVERED
        assert order.delivered_by == Order.DeliveredBy.CARRIER
        assert order.paid_at < order.shipped_at < order.delivered_at
        assert timezone.localdate(order.delivered_at) < today
        units = UnitIdentifier.objects.filter(line__order=order)
        assert units.count() == order.lines.count() == 1
        (unit,) = units
        assert unit.kind == UnitIdentifier.Kind.IMEI and imei.is_valid(unit.value)
    recent = [o for o in orders if (today - timezone.localdate(o.delivered_at)).days <= 5]
    assert len(recent) == 3  # delivered a few days ago, well inside the 30-day return period
    assert Seller.objects.get(name=DEMO_SELLER_NAME).return_line1  # labels need one


def test_one_claim_per_stage_with_windows_still_open():
    now, today = timezone.now(), timezone.localdate()
    found = claims()
    assert set(found) == {
        (Kind.RETURN, Status.OPEN),
        (Kind.NOT_AS_DESCRIBED, Status.ESCALATED),
        (Kind.RETURN, Status.LOCKED),
        (Kind.NOT_RECEIVED, Status.ESCALATED),
    }
    for claim in found.values():
        assert claim.window_closes_on >= today
        assert claim.created_at < now
        events = list(claim.events.all())
        assert events[0].action == "opened"
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert events[-1].created_at < now
        if claim.kind != Kind.NOT_RECEIVED:
            assert claim.order.delivered_at < claim.created_at
    opened = found[(Kind.RETURN, Status.OPEN)]
    assert opened.reason_code == Claim.ReturnReason.CHANGED_MIND
    assert opened.seller_due_at > now  # not overdue: the escalation task leaves it alone


def test_the_open_return_has_a_short_exchange_between_buyer_and_seller():
    claim = claims()[(Kind.RETURN, Status.OPEN)]
    messages = Message.objects.filter(conversation__order=claim.order).order_by("created_at")
    assert [m.side for m in messages] == ["buyer", "seller", "buyer"]
    assert messages[0].body.startswith(f"Claim {claim.reference} opened")
    assert messages[0].created_at >= claim.created_at


def test_the_escalated_claim_waits_for_customer_service_who_joined_the_conversation():
    claim = claims()[(Kind.NOT_AS_DESCRIBED, Status.ESCALATED)]
    assert claim.decided_at is None and claim.escalated_by == "buyer"
    assert claim.proposal == Claim.Resolution.PARTIAL_REFUND and claim.proposal_amount_minor > 0
    conversation = claim.order.conversations.get(kind="order")
    assert conversation.staff_joined_at is not None
    messages = list(conversation.messages.order_by("created_at"))
    assert [m.side for m in messages] == ["buyer", "system", "staff"]
    assert messages[0].attachments.count() == 1  # the photo of the battery screen
    assert messages[2].author.email == DEMO_SUPPORT_EMAIL
    assert claim.escalated_at < messages[2].created_at < timezone.now()


def test_the_returned_device_is_locked_to_an_account():
    claim = claims()[(Kind.RETURN, Status.LOCKED)]
    unit = UnitIdentifier.objects.get(line__order=claim.order)
    assert unit.value[8] == "9"  # the sandbox's locked IMEIs
    (check,) = DeviceCheck.objects.filter(claim=claim)
    assert (check.identifier, check.result) == (unit.value, DeviceCheck.Result.LOCKED)
    assert claim.resolution == Claim.Resolution.RETURN_REFUND and claim.return_tracking_number
    assert claim.created_at < claim.return_received_at <= check.checked_at < timezone.now()
    actions = list(claim.events.values_list("action", flat=True))
    assert actions == [
        "opened",
        "accepted",
        "return_label_issued",
        "return_received",
        "device_locked",
    ]


def test_the_lost_parcel_waits_for_the_buyers_identity_check():
    claim = claims()[(Kind.NOT_RECEIVED, Status.ESCALATED)]
    assert claim.risk_flagged and claim.identity_required
    assert claim.order.delivery_estimate_to < timezone.localdate(claim.created_at)
    (check,) = IdentityCheck.objects.filter(claim=claim)
    assert check.status == IdentityCheck.Status.REQUESTED and check.method == ""
    assert check.requested_by.email == DEMO_SUPPORT_EMAIL
    assert claim.escalated_at < check.requested_at < timezone.now()
    assert ClaimEvent.objects.filter(claim=claim, action="identity.requested").exists()


def test_popular_phones_have_reviews_by_buyers_who_received_them(client):
    reviews = Review.objects.select_related("line__order", "author", "device_model")
    assert reviews.count() == 2 * len(REVIEWERS) == 12
    assert {r.status for r in reviews} == {Review.Status.PUBLISHED}
    assert {r.rating for r in reviews} == {3, 4, 5}
    logins = {email for _, email, _ in DEMO_LOGINS}
    models = {}
    for review in reviews:
        order = review.line.order
        assert review.author.email not in logins and order.buyer_id == review.author_id
        assert order.status == Order.Status.DELIVERED and order.seller.name == DEMO_SELLER_NAME
        assert order.delivered_at < review.created_at < timezone.now() - dt.timedelta(days=7)
        assert review.author.date_joined < order.paid_at
        models.setdefault(review.device_model, []).append(review.rating)
    assert len(models) == 4 and {len(r) for r in models.values()} == {3}
    seller = Seller.objects.get(name=DEMO_SELLER_NAME)
    assert (seller.rating_count, seller.rating_sum) == (12, sum(r.rating for r in reviews))
    review = reviews.first()
    ratings = models[review.device_model]
    page = client.get(f"/p/{review.device_model.slug}/{review.line.variant_id}/").content.decode()
    assert f"({len(ratings)} reviews)" in page
    shop = client.get(f"/sellers/{seller.slug}/").content.decode()
    assert "(12 reviews)" in shop


def test_the_buyer_was_offered_a_survey_after_each_recent_delivery():
    buyer = User.objects.get(email=DEMO_BUYER_EMAIL)
    surveys = Survey.objects.filter(person=buyer)
    assert surveys.count() == 3
    for survey in surveys.select_related("order"):
        assert survey.trigger == Survey.Trigger.DELIVERY and survey.answered_at is None
        assert survey.order.delivered_at < survey.offered_at < timezone.now()
