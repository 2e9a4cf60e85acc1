"""After-sales data in the rights engine: the export shows it, an erasure leaves nothing of it.

COLLECT-3 and COLLECT-8 promise what after-sales holds (claims, messages, device
identifiers, reviews, survey answers, identity evidence). The canary person below puts
distinctive values into each of them through the after-sales services, on two orders
bought and delivered through the checkout: a claim refused after an identity check by
documents and a live check, a warranty repair whose device went back through the carrier
and the activation-lock service, the order conversation with a file, a support chat, a call
note, a review with a photo and a survey. Their export has a section for each; after their
erasure the scan of every column and every file finds the values only where the orders'
legal hold already keeps them, and every outside party told of them heard of the erasure.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from recommerce.accounts.models import Seller
from recommerce.accounts.roles import CUSTOMER_SERVICE
from recommerce.orders.models import Order
from recommerce.platform import clock
from recommerce.platform.providers import ProviderError
from recommerce.privacy.models import DataRequest, ErasureNotice, ErasureRecord
from recommerce.privacy.rights.export import export_sections
from recommerce.privacy.services.handling import data_request_fulfil
from recommerce.privacy.services.requests import data_request_submit
from recommerce.support.models import (
    Attachment,
    CallNote,
    Claim,
    ClaimEvent,
    Conversation,
    DeviceCheck,
    IdentityCheck,
    IdentityEvidence,
    Message,
    Review,
    ReviewPhoto,
    Survey,
)
from recommerce.support.providers.activation import ERASURES_KEY
from recommerce.support.providers.identity import get_identity_verifier
from recommerce.support.services import claims as claim_services
from recommerce.support.services import conversations, feedback
from recommerce.support.services import identity as identity_services
from recommerce.support.services.returns import parcel
from recommerce.support.services.returns.outcome import (
    claim_inspection_accept,
    claim_repair_done,
)
from tests.accounts.conftest import make_staff
from tests.privacy.test_rights_erasure import (  # noqa: F401 (storage_dirs: autouse fixture)
    CANARY_EMAIL,
    CANARY_NAME,
    CANARY_PHONE,
    CANARY_STREET,
    HELD_IN_DATABASE,
    TOKENS,
    buy,
    deliver,
    make_person,
    places,
    scan_database,
    scan_files,
    storage_dirs,
)

pytestmark = pytest.mark.django_db

# Sections the person's export must hold, by model.
AFTER_SALES_SECTIONS = {
    "support.claim",
    "support.claimevent",
    "support.devicecheck",
    "support.conversation",
    "support.message",
    "support.attachment",
    "support.callnote",
    "support.identitycheck",
    "support.identityevidence",
    "support.review",
    "support.reviewphoto",
    "support.survey",
    "orders.unitidentifier",
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _file(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def aftersales_canary(
    request: pytest.FixtureRequest,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> dict[str, Any]:
    """The canary person with every kind of after-sales data, all through the services."""
    settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR = 100
    capture = django_capture_on_commit_callbacks
    person = make_person()
    bought = buy(person, capture)
    deliver(bought, capture)
    first, second = bought.orders
    Seller.objects.filter(pk__in=[first.seller_id, second.seller_id]).update(
        return_line1="2 Quai du Retour", return_postal_code="69002", return_city="Lyon",
        return_country="FR",
    )  # fmt: skip
    owner_1, owner_2 = bought.owners[first.seller_id], bought.owners[second.seller_id]
    service = make_staff(CUSTOMER_SERVICE, "service@example.com")
    # The parcels arrived within two days: the claims are made the week after.
    later = time_machine.travel(clock.now() + dt.timedelta(days=5), tick=True)
    later.start()
    request.addfinalizer(later.stop)

    with capture(execute=True):
        # A return the seller refuses, after an identity check by both routes.
        refused = claim_services.claim_open(
            order=first,
            actor=person,
            kind=Claim.Kind.RETURN,
            requested=Claim.Resolution.RETURN_REFUND,
            reason_code=Claim.ReturnReason.CHANGED_MIND,
            description=f"{CANARY_NAME} changed their mind",
        )
        thread = conversations.conversation_for_order(order=first)
        conversations.message_post(
            conversation=thread,
            actor=person,
            body=f"Hello, this is {CANARY_NAME} from {CANARY_STREET}.",
            files=[("receipt.pdf", f"%PDF-1.4\n% {CANARY_NAME}\n%%EOF\n".encode())],
        )
        check = identity_services.identity_check_request(
            claim=refused, actor=service, reason="A large return from a new account"
        )
        # The live check asks for a better picture; the documents then pass review.
        identity_services.identity_biometric_consent(check=check, actor=person, accepted=True)
        identity_services.identity_biometric_start(
            check=check, actor=person, return_url="http://testserver/back/"
        )
        check.refresh_from_db()
        verifier: Any = get_identity_verifier()
        delivery = verifier.sandbox_submit(
            session_id=check.provider_session, document_name="blurry-fail.png", has_selfie=True
        )
        identity_services.identity_webhook_handle(
            payload=delivery.payload, signature=delivery.signature
        )
        identity_services.identity_documents_submit(
            check=check,
            actor=person,
            identity_document=_file("passport.png", _png(), "image/png"),
        )
        identity_services.identity_decide(
            check=check, actor=service, passed=True, note="Passport matches the account"
        )
        claim_services.claim_answer(
            claim=refused,
            actor=owner_1,
            accept=False,
            proposal=Claim.Resolution.REJECT,
            note="The return period allows it, but the box is missing.",
        )
        claim_services.claim_agree(claim=refused, actor=person)

        # A warranty repair: label, parcel back, activation-lock check, repaired.
        repair = claim_services.claim_open(
            order=second,
            actor=person,
            kind=Claim.Kind.WARRANTY,
            requested=Claim.Resolution.REPAIR,
            description=f"The screen flickers, says {CANARY_NAME}",
        )
        claim_services.claim_answer(claim=repair, actor=owner_2, accept=True)
        parcel.claim_return_received(claim=repair, actor=owner_2)
        claim_inspection_accept(claim=repair, actor=owner_2)
        claim_repair_done(claim=repair, actor=owner_2, tracking_number="SP123")

        # A recorded support chat, closed; a call note; a review with a photo; a survey.
        chat = conversations.support_chat_start(person=person, order=first)
        conversations.message_post(
            conversation=chat, actor=person, body=f"{CANARY_NAME} asking about a refund"
        )
        conversations.support_chat_close(conversation=chat, actor=service)
        conversations.call_note_add(
            person=person, staff=service, summary=f"{CANARY_NAME} called about the repair"
        )
        feedback.review_create(
            line=second.lines.get(),
            actor=person,
            rating=4,
            text=f"Works well now. {CANARY_NAME}",
            photos=[("phone.png", _png())],
        )
        feedback.surveys_offer_due()
        survey = Survey.objects.get(person=person, order=second, trigger="delivery")
        feedback.survey_answer(
            token=survey.token,
            nps=9,
            satisfaction=5,
            easy=True,
            comment=f"Signed {CANARY_NAME}, {CANARY_PHONE}",
        )
    for claim in (refused, repair):
        claim.refresh_from_db()
        assert claim.status == Claim.Status.CLOSED
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.PASSED
    return {
        "person": person,
        "service": service,
        "orders": [first, second],
        "claims": [refused, repair],
        "session": check.provider_session,
    }


def test_collect_3_collect_8_the_export_has_every_kind_of_after_sales_data(
    aftersales_canary: dict[str, Any],
) -> None:
    sections = {s.key: s for s in export_sections(aftersales_canary["person"])}
    assert sections.keys() >= AFTER_SALES_SECTIONS
    claims = sections["support.claim"].records
    assert sorted(r["description"] for r in claims) == [
        f"The screen flickers, says {CANARY_NAME}",
        f"{CANARY_NAME} changed their mind",
    ]
    bodies = [r["body"] for r in sections["support.message"].records]
    assert f"Hello, this is {CANARY_NAME} from {CANARY_STREET}." in bodies
    assert f"{CANARY_NAME} asking about a refund" in bodies
    (review,) = sections["support.review"].records
    assert (review["text"], review["author_display"]) == (
        f"Works well now. {CANARY_NAME}",
        "Zyxwq C.",
    )
    (survey,) = [r for r in sections["support.survey"].records if r["answered_at"]]
    assert (survey["nps"], survey["comment"]) == (9, f"Signed {CANARY_NAME}, {CANARY_PHONE}")
    # Files travel in the archive: the message's PDF, the identity document, the photo.
    for key in ("support.attachment", "support.identityevidence", "support.reviewphoto"):
        assert len(sections[key].files) == 1, key


def test_right_3_after_sales_data_goes_with_the_person(
    aftersales_canary: dict[str, Any],
    storage_dirs: dict[str, Path],  # noqa: F811
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = aftersales_canary["person"]
    claims: list[Claim] = aftersales_canary["claims"]
    before = places(scan_database())
    assert {
        ("support.Claim", "description"),
        ("support.Message", "body"),
        ("support.CallNote", "summary"),
        ("support.Review", "text"),
        ("support.Review", "author_display"),
        ("support.Survey", "comment"),
    } <= before

    request = data_request_submit(
        kind=DataRequest.Kind.ERASURE,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name=CANARY_NAME,
        email=CANARY_EMAIL,
        user=person,
    )
    with django_capture_on_commit_callbacks(execute=True):
        data_request_fulfil(request=request, actor=aftersales_canary["service"])

    record = ErasureRecord.objects.get(subject_id=person.pk)
    assert (record.status, record.error) == (ErasureRecord.Status.DONE, "")
    # Nothing of after-sales is under a legal hold: the scan finds what orders keep, only.
    assert places(scan_database()) == HELD_IN_DATABASE
    assert places(scan_files(storage_dirs)) == set()

    # What stays is detached: the claims' states and the review's score, without a person.
    assert Claim.objects.filter(pk__in=[c.pk for c in claims], buyer=None).count() == 2
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()
    assert not Conversation.objects.filter(person=person).exists()
    assert not CallNote.objects.exists()
    assert not IdentityEvidence.objects.exists()
    assert not Survey.objects.exists()
    assert not ReviewPhoto.objects.exists()
    assert not ClaimEvent.objects.filter(note__icontains=TOKENS["name"]).exists()
    assert set(DeviceCheck.objects.values_list("identifier", flat=True)) == {"[erased]"}
    review = Review.objects.get()
    assert (review.author_id, review.rating, review.text) == (None, 4, "")
    assert TOKENS["name"] not in review.author_display.lower()
    (check,) = IdentityCheck.objects.all()
    assert (check.person_id, check.reason, check.provider_reasons) == (None, "[erased]", [])

    # The identity-verification and activation-lock services were told, by their adapters.
    kinds = set(
        ErasureNotice.objects.filter(erasure=record).values_list("recipient_kind", "status")
    )
    assert {("identity_service", "sent"), ("device_check", "sent")} <= kinds
    with pytest.raises(ProviderError):
        get_identity_verifier().session_get(session_id=aftersales_canary["session"])
    assert claims[1].reference in cache.get(ERASURES_KEY)
    told = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox if "erased" in m.subject)
    assert TOKENS["name"] not in told.lower()
    assert Order.objects.filter(buyer=None).count() == 2


def test_right_3_an_open_claim_postpones_the_erasure(
    aftersales_canary: dict[str, Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """A claim still open would lose what it needs: the erasure waits and changes nothing."""
    person = aftersales_canary["person"]
    first = aftersales_canary["orders"][0]
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_services.claim_open(
            order=first,
            actor=person,
            kind=Claim.Kind.NOT_AS_DESCRIBED,
            requested=Claim.Resolution.RETURN_REFUND,
            description="Wrong colour",
            evidence=[_file("colour.png", _png(), "image/png")],
        )
    messages_before = Message.objects.count()
    request = data_request_submit(
        kind=DataRequest.Kind.ERASURE,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name=CANARY_NAME,
        email=CANARY_EMAIL,
        user=person,
    )
    with django_capture_on_commit_callbacks(execute=True):
        data_request_fulfil(request=request, actor=aftersales_canary["service"])
    record = ErasureRecord.objects.get(subject_id=person.pk)
    assert record.status == ErasureRecord.Status.POSTPONED
    assert any(claim.reference in str(blocker) for blocker in record.blockers)
    claim.refresh_from_db()
    assert claim.buyer_id == person.pk
    assert Message.objects.count() == messages_before
