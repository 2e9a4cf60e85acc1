"""A claim's pages show everything about it on each side: the conversation's messages, the
history in words, the return block and its actions, the identity check; and the demo's
sandbox lets the buyer stand in for iCloud to unlock a returned device (SEC-3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages

from recommerce.support.models import Claim, DeviceCheck
from recommerce.support.services import conversations, returns
from tests.support.conftest import ClaimWorld, signed_in
from tests.support.returns_fixtures import (
    LOCKED_IMEI,
    activation,
    agreed_claim,
    commit,
    record_units,
    start,
    with_return_address,
)

__all__ = ["activation", "commit"]


@pytest.fixture
def world(claim_world: ClaimWorld, refunds: object, activation: object) -> ClaimWorld:
    with_return_address(claim_world.order)
    return claim_world


def locked_claim(world: ClaimWorld) -> Claim:
    record_units(world.order, LOCKED_IMEI)
    claim = start(agreed_claim(world.order), world.buyer)
    return returns.claim_return_received(claim=claim, actor=world.owner)


def said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_side_reads_the_thread_and_the_history_in_words(world: ClaimWorld) -> None:
    claim = locked_claim(world)
    thread = conversations.conversation_for_order(order=world.order)
    conversations.message_post(
        conversation=thread, actor=world.owner, body="Parcel received, checking it today."
    )
    pages = {
        "buyer": signed_in(world.buyer).get(f"/account/support/claims/{claim.reference}/"),
        "seller": signed_in(world.owner).get(f"/account/seller/support/claims/{claim.reference}/"),
        "staff": signed_in(world.agent).get(f"/staff/support/claims/{claim.reference}/"),
    }
    for side, page in pages.items():
        text = page.content.decode()
        assert page.status_code == 200, side
        assert "Parcel received, checking it today." in text, side
        assert "Prepaid return label issued" in text, side
        assert "Device linked to an account" in text, side
        assert "Returnlabelissued" not in text, side
        assert "iCloud Activation Lock" in text, side
    # The buyer's page carries the removal steps; the seller's has no "check" button while
    # the device waits for its owner.
    assert "Remove from account" in pages["buyer"].content.decode()
    assert "Check the device</button>" not in pages["seller"].content.decode()


def test_seller_claim_page_labels_point_at_their_own_fields(world: ClaimWorld) -> None:
    claim = world.open()
    text = signed_in(world.owner).get(f"/account/seller/support/claims/{claim.reference}/")
    html = text.content.decode()
    assert html.count('id="id_note"') == 1
    assert html.count('id="escalate-note"') == 1
    assert 'for="escalate-note"' in html


def test_sec_3_the_sandbox_stands_for_icloud_then_a_recheck_clears(world: ClaimWorld) -> None:
    claim = locked_claim(world)
    buyer = signed_in(world.buyer)
    page = buyer.get(f"/account/support/claims/{claim.reference}/return/").content.decode()
    assert "Remove it from my account (sandbox)" in page
    response = buyer.post(f"/account/support/claims/{claim.reference}/return/sandbox-release")
    assert any("Removed from your account" in m for m in said(response))
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.LOCKED  # until checked again
    with time_machine.travel(dt.timedelta(minutes=10)):
        buyer.post(f"/account/support/claims/{claim.reference}/return/recheck")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.INSPECTING
    assert list(DeviceCheck.objects.order_by("checked_at").values_list("result", flat=True)) == [
        "locked",
        "clear",
    ]


def test_sec_3_only_the_buyer_of_a_locked_claim_may_release_in_the_sandbox(
    world: ClaimWorld,
) -> None:
    claim = locked_claim(world)
    url = f"/account/support/claims/{claim.reference}/return/sandbox-release"
    assert signed_in(world.stranger).post(url).status_code == 404
    with pytest.raises(PermissionError):
        returns.claim_device_sandbox_release(claim=claim, actor=world.owner)
    with time_machine.travel(dt.timedelta(minutes=10)):
        returns.claim_device_recheck(claim=claim, actor=world.owner)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.LOCKED


def test_order_pages_lead_to_after_sales(world: ClaimWorld) -> None:
    """The buyer's delivered order offers a claim, messages, a chat and a review per item;
    the seller's order lists its claims."""
    order = world.order
    page = signed_in(world.buyer).get(f"/account/orders/{order.number}/").content.decode()
    assert f'href="/account/support/orders/{order.number}/claim/"' in page
    assert f'href="/account/support/orders/{order.number}/messages/"' in page
    assert f'href="/account/support/chat/new/?order={order.number}"' in page
    line = order.lines.get()
    assert f'href="/account/support/reviews/new/{line.pk}/"' in page
    claim = world.open()
    page = signed_in(world.buyer).get(f"/account/orders/{order.number}/").content.decode()
    assert f'href="/account/support/claims/{claim.reference}/"' in page
    seller_page = signed_in(world.owner).get(f"/account/seller/orders/{order.number}/")
    assert (
        f'href="/account/seller/support/claims/{claim.reference}/"' in seller_page.content.decode()
    )


def test_the_staff_person_page_shows_after_sales_and_takes_a_call_note(
    world: ClaimWorld,
) -> None:
    """Customer service sees the person's claims, conversations and call notes, and notes a
    call; the objection to recording (CONSENT-6) refuses a recording reference."""
    claim = world.open()
    agent = signed_in(world.agent)
    page = agent.get(f"/staff/people/{world.buyer.pk}/").content.decode()
    assert f'href="/staff/support/claims/{claim.reference}/"' in page
    assert "Note a phone call" in page
    response = agent.post(
        f"/staff/support/people/{world.buyer.pk}/call-note/",
        {"summary": "Asked when the label arrives", "recording_reference": "REC-1"},
    )
    assert response.status_code == 302
    page = agent.get(f"/staff/people/{world.buyer.pk}/").content.decode()
    assert "Asked when the label arrives" in page and "recording REC-1" in page


def test_consent_6_the_staff_person_page_warns_and_the_note_keeps_no_recording(
    world: ClaimWorld,
) -> None:
    from recommerce.privacy.services.personal_consent import (
        METHOD_PROFILE,
        RECORDING_OBJECTION,
        personal_consent_record,
    )
    from recommerce.support.models import CallNote

    personal_consent_record(
        user=world.buyer, kind=RECORDING_OBJECTION, given=True, method=METHOD_PROFILE
    )
    agent = signed_in(world.agent)
    page = agent.get(f"/staff/people/{world.buyer.pk}/").content.decode()
    assert "This person objected to recording." in page
    refused = agent.post(
        f"/staff/support/people/{world.buyer.pk}/call-note/",
        {"summary": "Asked about the refund", "recording_reference": "REC-2"},
    )
    assert refused.status_code == 400
    assert not CallNote.objects.exists()
