"""The world of the after-sales SEC-2 matrix (tests/support/test_isolation.py).

Buyer A's orders from seller S1, and after-sales objects in each state the matrix's URLs
need, every one made through the services: an open claim with its conversation, a photo
and a support chat; a claim with a proposal; a return with its label and a device check; an
escalated claim; identity checks asked and answered; a published and a hidden review with
photos; a survey. Then the others: buyer B with an order of their own, seller S2 (owner
and API key), S1's catalog member, and staff of several roles.

Every value an outsider must never see is a canary (``World.canaries``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from recommerce.accounts import roles
from recommerce.accounts.models import SellerApiKey, SellerMembership, User
from recommerce.orders.models import Order
from recommerce.payments.models import Payment, Refund
from recommerce.platform import clock
from recommerce.platform.models import IdempotentRequest
from recommerce.platform.providers import clear_provider_cache
from recommerce.privacy.models import Disclosure, PersonalConsent, StaffAccess
from recommerce.privacy.services.personal_consent import BIOMETRIC_TEXT_VERSION
from recommerce.support.models import (
    Attachment,
    Claim,
    DeviceCheck,
    IdentityCheck,
    Review,
    Survey,
)
from recommerce.support.services import claims as claim_services
from recommerce.support.services import conversations as talk
from recommerce.support.services import feedback, identity, returns
from tests.accounts.conftest import PASSWORD, make_staff, make_user
from tests.orders.conftest import SellerSide, add_member, make_seller, seller_key
from tests.support.conftest import delivered_order, image_bytes, photo
from tests.support.returns_fixtures import CLEAR_IMEI, record_units, with_return_address

A_NAME, A_EMAIL, A_PHONE = "Zebulon Quixwhistle", "zebulon.quix@example.test", "+33647291853"
A_STREET = "17 Rue des Canaris Bleus"
DAMAGE_TEXT = "The hinge squeaks like a narwhal, ticket QX-7731"
WARRANTY_TEXT = "Battery dies at forty percent, ticket QX-5512"
MESSAGE_TEXT = "Could you look at the dented corner, ticket QX-2208"
SELLER_TEXT = "We will send a courier on Tuesday, ticket QX-4470"
CHAT_TEXT = "Where is my refund for the squeaky hinge, ticket QX-9931"
PROPOSAL_NOTE = "A repair in our Lyon workshop, ticket QX-6604"
ESCALATION_NOTE = "The seller stopped answering me, ticket QX-3385"
IDENTITY_REASON = "Large claim on a high-value phone, ticket QX-1209"
REVIEW_TEXT = "Public review: the phone arrived like new."
HIDDEN_TEXT = "Hidden review naming Zebulon, ticket QX-8086"
# A PDF the evidence check accepts, with a canary inside.
EVIDENCE_PDF = (
    b"%PDF-1.4\n% Quixwhistle passport QX-0451\n1 0 obj<</Type/Catalog>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
SCOPES = (SellerApiKey.Scope.ORDERS_READ.value, SellerApiKey.Scope.ORDERS_WRITE.value)


@dataclass
class World:
    """Everyone, and the ids the matrix's URLs take (``ids``)."""

    a: User
    b: User
    s1: SellerSide
    s1_orders: User
    s1_catalog: User
    s1_secret: str
    s2: SellerSide
    s2_secret: str
    cs: User
    finance: User
    admin: User
    anti_fraud: User
    orders: dict[str, Order] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)
    canaries: list[str] = field(default_factory=list)

    @property
    def s1_owner(self) -> User:
        return self.s1.owner

    @property
    def s2_owner(self) -> User:
        return self.s2.owner


def _order(world: World, name: str, buyer: User | None = None, side: Any = None) -> Order:
    order = delivered_order(
        buyer or world.a,
        side or world.s1,
        delivered_at=None,
        delivery_name=A_NAME if buyer is None else buyer.full_name,
        delivery_line1=A_STREET if buyer is None else "1 Other Street",
        delivery_phone=A_PHONE if buyer is None else "+33600000000",
        buyer_email=(buyer or world.a).email,
    )
    world.orders[name] = order
    return order


def _open(world: World, name: str, **kwargs: Any) -> Claim:
    arguments: dict[str, Any] = {
        "order": _order(world, name),
        "actor": world.a,
        "kind": Claim.Kind.RETURN,
        "requested": Claim.Resolution.RETURN_REFUND,
        "reason_code": Claim.ReturnReason.CHANGED_MIND,
        **kwargs,
    }
    claim = claim_services.claim_open(**arguments)
    world.claims[name] = claim
    return claim


def _fresh(claim: Claim) -> Claim:
    return Claim.objects.select_related("order", "line").get(pk=claim.pk)


def pdf(name: str = "passport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EVIDENCE_PDF, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def private_storage_use(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def world_build(settings: Any, tmp_path: Path) -> World:
    """Build the matrix's world (the caller runs after-commit work, e.g. emails, as it goes)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR = 30_000
    private_storage_use(settings, tmp_path)
    clear_provider_cache()
    cache.clear()
    s1 = make_seller("Quokka Refurb Atelier", stock=50)
    s2 = make_seller("Wombat Devices", stock=5)
    w = World(
        a=make_user(A_EMAIL, full_name=A_NAME, phone=A_PHONE),
        b=make_user("bob.other@example.test", full_name="Bob Other"),
        s1=s1,
        s1_orders=add_member(s1.seller, SellerMembership.Role.ORDERS, "orders@quokka.example"),
        s1_catalog=add_member(s1.seller, SellerMembership.Role.CATALOG, "catalog@quokka.example"),
        s1_secret=seller_key(s1.seller, s1.owner, *SCOPES),
        s2=s2,
        s2_secret=seller_key(s2.seller, s2.owner, *SCOPES),
        cs=make_staff(roles.CUSTOMER_SERVICE, "cs@recommerce.example"),
        finance=make_staff(roles.FINANCE, "finance@recommerce.example"),
        admin=make_staff(roles.ADMIN, "admin@recommerce.example"),
        anti_fraud=make_staff(roles.ANTI_FRAUD, "fraud@recommerce.example"),
    )
    with_return_address(_order(w, "b_order", buyer=w.b, side=w.s2))
    _claims(w)
    _talks(w)
    _identity(w)
    _reviews(w)
    w.ids |= {
        "a_id": w.a.pk,
        "free_order": w.orders["free"].number,
        "free_line": w.orders["free"].lines.get().pk,
        "open_order": w.orders["open"].number,
        **{f"claim_{name}": claim.reference for name, claim in w.claims.items()},
    }
    w.canaries = [
        A_NAME, A_EMAIL, A_PHONE, A_STREET, DAMAGE_TEXT, WARRANTY_TEXT, MESSAGE_TEXT,
        SELLER_TEXT, CHAT_TEXT, PROPOSAL_NOTE, ESCALATION_NOTE, IDENTITY_REASON, HIDDEN_TEXT,
        "QX-0451", CLEAR_IMEI, w.ids["survey"],
        *(order.number for key, order in w.orders.items() if key != "b_order"),
        *(claim.reference for claim in w.claims.values()),
    ]  # fmt: skip
    mail.outbox.clear()
    return w


def _claims(w: World) -> None:
    _open(
        w,
        "open",
        kind=Claim.Kind.TRANSIT_DAMAGE,
        description=DAMAGE_TEXT,
        evidence=[photo("dent.jpg")],
    )
    proposed = _open(w, "proposed")
    claim_services.claim_answer(
        claim=proposed,
        actor=w.s1_owner,
        accept=False,
        proposal=Claim.Resolution.REPAIR,
        note=PROPOSAL_NOTE,
    )
    # A warranty repair: the label, the device back with the seller, its check (clear).
    order = _order(w, "return")
    record_units(order, CLEAR_IMEI)
    with_return_address(order)
    repair = claim_services.claim_open(
        order=order,
        actor=w.a,
        kind=Claim.Kind.WARRANTY,
        requested=Claim.Resolution.REPAIR,
        description=WARRANTY_TEXT,
    )
    w.claims["return"] = repair
    claim_services.claim_answer(claim=repair, actor=w.s1_owner, accept=True)
    returns.claim_return_received(claim=_fresh(repair), actor=w.s1_owner)
    # The check was an hour ago: a new one may be asked now.
    checked = DeviceCheck.objects.filter(claim=repair)
    assert [c.result for c in checked] == [DeviceCheck.Result.CLEAR]
    checked.update(checked_at=checked[0].checked_at - dt.timedelta(hours=1))
    assert _fresh(repair).status == Claim.Status.INSPECTING
    escalated = _open(w, "escalated")
    claim_services.claim_escalate(claim=escalated, actor=w.a, note=ESCALATION_NOTE)
    _order(w, "free")


def _talks(w: World) -> None:
    order = w.orders["open"]
    conversation = talk.conversation_for_order(order=order)
    talk.message_post(conversation=conversation, actor=w.a, body=MESSAGE_TEXT)
    talk.message_post(conversation=conversation, actor=w.s1_orders, body=SELLER_TEXT)
    chat = talk.support_chat_start(person=w.a, claim=w.claims["open"])
    talk.message_post(conversation=chat, actor=w.a, body=CHAT_TEXT, files=[png("receipt.png")])
    attachment = Attachment.objects.get(message__conversation=conversation)
    w.ids |= {
        "conversation": conversation.pk,
        "chat": chat.pk,
        "attachment": attachment.pk,
    }


def _identity(w: World) -> None:
    asked = _open(w, "identity_asked")
    check = identity.identity_check_request(claim=asked, actor=w.cs, reason=IDENTITY_REASON)
    identity.identity_biometric_consent(
        check=check, actor=w.a, accepted=True, text_version=BIOMETRIC_TEXT_VERSION
    )
    identity.identity_biometric_start(
        check=check, actor=w.a, return_url="http://testserver/account/support/"
    )
    answered = _open(w, "identity_answered")
    sent = identity.identity_check_request(claim=answered, actor=w.cs, reason=IDENTITY_REASON)
    sent = identity.identity_documents_submit(
        check=sent, actor=w.a, identity_document=pdf(), proof_of_address=png("bill.png")
    )
    assert IdentityCheck.objects.get(pk=check.pk).method == IdentityCheck.Method.BIOMETRIC
    w.ids |= {
        "check_asked": check.pk,
        "check_answered": sent.pk,
        "evidence": sent.evidence.get(kind="identity_document").pk,
    }


def _reviews(w: World) -> None:
    public = feedback.review_create(
        line=w.orders["open"].lines.get(),
        actor=w.a,
        rating=4,
        text=REVIEW_TEXT,
        photos=[("front.png", png("front.png"))],
    )
    hidden = feedback.review_create(
        line=w.orders["proposed"].lines.get(),
        actor=w.a,
        rating=1,
        text=HIDDEN_TEXT,
        photos=[("back.png", png("back.png"))],
    )
    feedback.review_hide(review=hidden, actor=w.cs, reason="Names a person")
    assert Review.objects.get(pk=hidden.pk).status == Review.Status.HIDDEN
    assert feedback.surveys_offer_due() >= 1
    survey = Survey.objects.get(person=w.a, order=w.orders["free"])
    w.ids |= {
        "review_public": public.pk,
        "review_hidden": hidden.pk,
        "photo_public": public.photos.get().pk,
        "photo_hidden": hidden.photos.get().pk,
        "survey": survey.token,
    }


# --- Callers, requests and what they may change ----------------------------------------------

# Each actor of the matrix and the World attribute of their account (None: no account).
ACTORS = {
    "anonymous": None, "buyer B": "b", "S1 catalog member": "s1_catalog",
    "seller S2 owner": "s2_owner", "seller S2 key": None, "finance staff": "finance",
    "buyer A": "a", "S1 orders member": "s1_orders", "S1 key": None, "customer service": "cs",
    "admin staff": "admin", "anti-fraud staff": "anti_fraud",
}  # fmt: skip
KEYS = {"seller S2 key": "s2_secret", "S1 key": "s1_secret"}


def client_for(w: World, actor: str) -> Client:
    """Sign ``actor`` in and re-authenticate, the strongest caller the pages allow; an API
    key's holder sends it on every request."""
    if actor in KEYS:
        return Client(headers={"Authorization": f"Bearer {getattr(w, KEYS[actor])}"})
    client = Client()
    attribute = ACTORS[actor]
    if attribute is not None:
        client.force_login(getattr(w, attribute))
        answer = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert answer.status_code == 302, answer.content
    return client


def text_of(response: Any) -> str:
    """Return the answer's text, JSON with its \\u escapes undone too."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = str(raw.decode("utf-8", "replace"))
    if response.get("Content-Type", "").startswith("application/json") and body:
        body += json.dumps(json.loads(body), ensure_ascii=False)
    return body


def snapshot() -> dict[str, Any]:
    """Every after-sales row with every field, and what else a write would leave behind:
    orders, payments, refunds, disclosures, consents, staff looks, replay keys, emails."""
    rows: dict[str, Any] = {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("support").get_models()
    }
    for model in (Order, Payment, Refund, Disclosure, PersonalConsent, StaffAccess):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    rows["IdempotentRequest"] = IdempotentRequest.objects.count()
    rows["emails"] = [(m.subject, m.to) for m in mail.outbox]
    return rows


def accepted(w: World) -> None:
    """The seller accepts the returned device (before the repair can be marked done)."""
    returns.claim_inspection_accept(claim=w.claims["return"], actor=w.s1_owner, note="Fine")


def device_locked(w: World) -> None:
    """The returned device's last check found it locked (the sandbox release's precondition).

    Written directly: the world's device is clear, and a positive control needs it locked.
    """
    claim = w.claims["return"]
    claim.device_checks.create(
        identifier="352099009123451", provider="sandbox", result="locked", lock_kind="icloud",
        checked_at=clock.now(),
    )  # fmt: skip
    type(claim).objects.filter(pk=claim.pk).update(status="locked")


def documents(w: World) -> dict[str, Any]:
    return {"identity_document": pdf(), "proof_of_address": png("bill.png")}


def live_files(w: World) -> dict[str, Any]:
    return {"document": png("id.png"), "video": png("selfie.png")}


def review_form(w: World) -> dict[str, Any]:
    return {"rating": "5", "text": "Mallory's review", "photos": [png("mine.png")]}


def message_files(w: World) -> dict[str, Any]:
    return {"files": [png("more.png")], "body": "Mallory's file"}
