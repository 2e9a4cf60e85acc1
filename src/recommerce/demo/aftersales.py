"""The demo's after-sales: claims at each stage, their conversations, reviews and surveys.

Everything goes through the services a real buyer, seller and customer service use, each
step at its moment of the demo's timeline (``travel``), counted back from the seed's day D:

- the demo buyer's phones from the demo seller, each unit's IMEI recorded at dispatch
  (valid check digits), delivered by the sandbox carrier a few days before D;
- a return (change of mind) opened on D-1, waiting for the seller, with a short exchange;
- a "not as described" claim (photo of the battery screen): the seller offers a partial
  refund, the buyer escalates, customer service joins the conversation and has to decide;
- a return accepted by the seller, label issued, parcel delivered back: its IMEI's serial
  part starts with 9, so the sandbox activation-lock service says the device is locked
  (iCloud) and the claim waits for the buyer to remove it from their account;
- a parcel the carrier marked delivered two weeks ago that the buyer reports not received
  (above the identity-check amount): the seller escalates and customer service asks the
  buyer to prove who they are (documents, or a live check with consent);
- published reviews of the demo seller's most popular phones by buyers who received them
  a month ago (so the seller's rating is counted from reviews), and the satisfaction
  surveys the hourly task offers after the buyer's deliveries.

Nothing is written here directly: a step a service refuses stops the demo's after-sales
with that service's error.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Sequence

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum import luhn

from recommerce.accounts.models import Seller, SellerMembership, User
from recommerce.accounts.services.users import address_create
from recommerce.catalog.models import Listing
from recommerce.checkout.services.completion import checkout_complete
from recommerce.demo.orders import ACCEPTED_AFTER, SHIPPED_AFTER, _buy
from recommerce.demo.people import DEMO_LOGINS
from recommerce.demo.showcase import showcase_offer_set, showcase_variant
from recommerce.demo.timeline import days_ago, travel
from recommerce.offers.models import Offer
from recommerce.offers.services import variant_market_refresh
from recommerce.orders.models import Order
from recommerce.orders.providers.carrier import SandboxCarrier, get_carrier
from recommerce.orders.services.fulfilment import order_accept, order_ship, order_tracking_refresh
from recommerce.payments import services as payment_services
from recommerce.payments.providers.sandbox import SandboxPaymentProvider
from recommerce.support.models import Claim
from recommerce.support.providers.activation import SandboxActivationLock, get_activation_lock
from recommerce.support.services.claims import claim_answer, claim_escalate, claim_open
from recommerce.support.services.conversations import (
    conversation_for_order,
    conversation_staff_join,
    message_post,
)
from recommerce.support.services.feedback import review_create, surveys_offer_due
from recommerce.support.services.identity import identity_check_request
from recommerce.support.services.returns import claim_return_tracking_refresh

Kind, Resolution, Reason = Claim.Kind, Claim.Resolution, Claim.ReturnReason
DEMO_SUPPORT_EMAIL = next(email for role, email, _ in DEMO_LOGINS if role == "support")
PHONES = "smartphones"
# The sandbox carrier delivers 40 hours after the label; the tracking is read an hour later.
DELIVERED_AFTER = dt.timedelta(hours=41)
# Type allocation codes: "35" reads as an Apple device to the sandbox lock service (iCloud).
APPLE_TAC, OTHER_TAC = "35391311", "86153603"
LOCKED_SERIAL = 912_345  # digits 9 to 14 start with 9: locked in the sandbox
REVIEWED_STOCK = 5  # three reviewers buy each reviewed phone; two stay on sale


def demo_imei(tac: str, serial: int) -> str:
    """Return a valid IMEI (Luhn check digit) from an 8-digit TAC and a 6-digit serial."""
    body = f"{tac}{serial:06d}"
    return body + luhn.calc_check_digit(body)


def _tac(offer: Offer) -> str:
    return APPLE_TAC if offer.variant.device_model.brand.name == "Apple" else OTHER_TAC


# --- Buying and delivering ------------------------------------------------------------------


def demo_order_place(*, buyer: User, offers: Sequence[Offer], at: dt.datetime) -> Order:
    """Buy ``offers`` (one seller) at ``at``; the sandbox confirms the card seconds later."""
    with travel(at):
        checkout = _buy(buyer, list(offers))
        paid_at = timezone.now()
    delay = settings.PROVIDERS["payments"].get("OPTIONS", {}).get("confirm_delay_seconds", 2)
    with travel(paid_at + dt.timedelta(seconds=delay + 1)):
        checkout.refresh_from_db()
        assert checkout.payment is not None
        payment = payment_services.payment_sync(payment=checkout.payment)
        placed = checkout_complete(payment=payment) if payment.status == "captured" else []
    if len(placed) != 1 or placed[0].status != Order.Status.PAID:
        raise RuntimeError(f"The demo purchase at {at:%Y-%m-%d %H:%M} placed no paid order.")
    return placed[0]


def demo_order_deliver(
    *, order: Order, owner: User, imeis: Sequence[str], at: dt.datetime
) -> Order:
    """Accept, ship (one IMEI per line) and deliver an order placed at ``at``."""
    lines = list(order.lines.order_by("pk"))
    with travel(at + ACCEPTED_AFTER):
        order_accept(order=order, actor=owner)
    with travel(at + SHIPPED_AFTER):
        units = {line.pk: [imei] for line, imei in zip(lines, imeis, strict=True)}
        order_ship(order=order, actor=owner, units=units)
    with travel(at + SHIPPED_AFTER + DELIVERED_AFTER):
        order_tracking_refresh(order=order)
    order.refresh_from_db()
    if order.status != Order.Status.DELIVERED:
        raise RuntimeError(f"Demo order {order.number} was not delivered.")
    return order


def _phones(seller: Seller, *, exclude: Collection[int], min_stock: int, count: int) -> list[Offer]:
    """Return the seller's offers of its ``count`` most popular phones, one per model."""
    offers = list(
        Offer.objects.filter(
            seller=seller,
            is_active=True,
            stock__gte=min_stock,
            variant__device_model__category__slug=PHONES,
        )
        .exclude(pk__in=exclude)
        .select_related("variant__device_model__brand")
    )
    popularity = dict(
        Listing.objects.filter(variant_id__in={o.variant_id for o in offers}).values_list(
            "variant_id", "popularity"
        )
    )
    offers.sort(key=lambda o: (-popularity.get(o.variant_id, 0), o.pk))
    chosen: dict[int, Offer] = {}
    for offer in offers:
        chosen.setdefault(offer.variant.device_model_id, offer)
    return list(chosen.values())[:count]


# --- The demo buyer's claims ------------------------------------------------------------------


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    return days_ago(days, hour=hour) + dt.timedelta(minutes=minute)


def _battery_photo(shown_pct: int) -> SimpleUploadedFile:
    """Return a PNG standing for the buyer's photo of the battery settings screen."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 640), (246, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 360, 70), fill=(255, 255, 255))
    draw.text((24, 28), "Battery Health", fill=(20, 20, 20))
    draw.rectangle((16, 100, 344, 190), fill=(255, 255, 255))
    draw.text((32, 120), "Maximum Capacity", fill=(20, 20, 20))
    draw.text((290, 120), f"{shown_pct}%", fill=(20, 20, 20))
    draw.text((32, 150), "Peak performance capability", fill=(120, 120, 120))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("battery.png", out.getvalue(), content_type="image/png")


def _open_return(buyer: User, owner: User, order: Order) -> Claim:
    """A change of mind opened yesterday, with a short exchange; the seller answers next."""
    with travel(_at(1, 14)):
        claim = claim_open(
            order=order, actor=buyer, kind=Kind.RETURN, requested=Resolution.RETURN_REFUND,
            reason_code=Reason.CHANGED_MIND,
            description="The phone works well, but it is bigger than I thought in the hand.",
        )  # fmt: skip
    conversation = conversation_for_order(order=order)
    with travel(_at(1, 16, 40)):
        message_post(
            conversation=conversation, actor=owner,
            body="Hello, sorry it does not suit you. Our returns desk accepts it tomorrow "
            "morning; you will then get a prepaid label. Please sign out of your Apple or "
            "Google account and reset the phone before you send it.",
        )  # fmt: skip
    with travel(_at(1, 18, 15)):
        message_post(
            conversation=conversation, actor=buyer,
            body="Thank you! I will reset it tonight. Shall I send the box and the cable too?",
        )  # fmt: skip
    return claim


def _escalated(buyer: User, owner: User, staff: User, order: Order) -> Claim:
    """Not as described, with a photo: partial refund offered, buyer escalates, staff join."""
    line = order.lines.select_related("offer").get()
    promised = line.offer.battery_health_min_pct if line.offer else 85
    shown = promised - 7
    with travel(_at(3, 10)):
        claim = claim_open(
            order=order, actor=buyer, kind=Kind.NOT_AS_DESCRIBED,
            requested=Resolution.RETURN_REFUND, evidence=[_battery_photo(shown)],
            description=f"The offer promised a battery health of at least {promised} %, "
            f"the phone shows {shown} % (photo).",
        )  # fmt: skip
    amount = line.total_minor // 10 // 100 * 100
    with travel(_at(3, 16)):
        claim = claim_answer(
            claim=claim, actor=owner, accept=False, proposal=Resolution.PARTIAL_REFUND,
            amount_minor=amount,
            note="Battery capacity varies with calibration; we offer a partial refund and "
            "you keep the phone.",
        )  # fmt: skip
    with travel(_at(2, 9, 30)):
        claim = claim_escalate(
            claim=claim, actor=buyer,
            note="I chose this grade for its battery; I would rather return the phone.",
        )  # fmt: skip
    with travel(_at(1, 11)):
        conversation = conversation_staff_join(
            conversation=conversation_for_order(order=order), actor=staff
        )
        message_post(
            conversation=conversation, actor=staff,
            body="Hello, this is customer service. I am comparing the photo with the offer's "
            "battery promise and will decide by tomorrow.",
        )  # fmt: skip
    return claim


def _locked(buyer: User, owner: User, order: Order) -> Claim:
    """A return accepted and delivered back; the device is still locked to iCloud."""
    with travel(_at(5, 12)):
        claim = claim_open(
            order=order, actor=buyer, kind=Kind.RETURN, requested=Resolution.RETURN_REFUND,
            reason_code=Reason.NOT_COMPATIBLE,
            description="It does not work with my carrier's eSIM.",
        )  # fmt: skip
    with travel(_at(5, 15)):
        claim = claim_answer(claim=claim, actor=owner, accept=True)
    # The return parcel reaches the seller 40 hours after its label: the check follows.
    with travel(_at(3, 9)):
        claim = claim_return_tracking_refresh(claim=claim)
    return claim


def _not_received(buyer: User, owner: User, staff: User, order: Order) -> Claim:
    """Marked delivered two weeks ago, reported not received; an identity check is asked."""
    with travel(_at(3, 10)):
        claim = claim_open(
            order=order, actor=buyer, kind=Kind.NOT_RECEIVED, requested=Resolution.REFUND,
            declaration=True,
            description="Nothing was left at my door or with the neighbours, and no pick-up "
            "notice either.",
        )  # fmt: skip
    with travel(_at(2, 11)):
        claim = claim_escalate(
            claim=claim, actor=owner,
            note="The carrier's tracking shows the parcel delivered to the buyer's address.",
        )  # fmt: skip
    with travel(_at(1, 10, 30)):
        identity_check_request(
            claim=claim, actor=staff,
            reason="The carrier reports the parcel delivered: please confirm your identity "
            "and sign the declaration of non-receipt.",
        )  # fmt: skip
    claim.refresh_from_db()
    return claim


# --- Reviews ----------------------------------------------------------------------------------

REVIEWERS: tuple[tuple[str, str, str, str], ...] = (
    ("Élodie Bernard", "elodie.bernard@example.org", "75011", "Paris"),
    ("Thomas Keller", "thomas.keller@example.org", "67000", "Strasbourg"),
    ("Marta Rossi", "marta.rossi@example.org", "06000", "Nice"),
    ("Julien Roux", "julien.roux@example.org", "31000", "Toulouse"),
    ("Aïcha Benali", "aicha.benali@example.org", "13001", "Marseille"),
    ("Pieter de Vries", "pieter.devries@example.org", "59000", "Lille"),
)
# Which two of the four reviewed phones each reviewer bought: three reviews per phone.
PAIRS = ((0, 1), (2, 3), (0, 2), (1, 3), (0, 3), (1, 2))
REVIEWS: tuple[tuple[int, str], ...] = (
    (5, "Arrived in two days and looks brand new. Came reset, with a proper cable."),
    (4, "A couple of tiny marks on the frame, otherwise perfect. Fast shipping."),
    (5, "I cannot tell it from a new one. Battery lasts the whole day."),
    (3, "Works fine, but the screen protector was scratched and the box was plain."),
    (4, "Good value for money. Cameras and Face ID all work. Packaging could be better."),
    (5, "My second phone from this shop, flawless again. They answered my question fast."),
    (4, "Small scuff on the back, exactly as the grade said. Battery is healthy."),
    (3, "The phone is fine, but delivery took a day longer than the estimate."),
    (5, "Great condition, clean ports, no scratches I can see. Recommended."),
    (4, "Does everything I need; the grade description was accurate."),
    (5, "Excellent refurbishment, it even came with a SIM tool. Would buy again."),
    (4, "Solid phone with slight wear on the corners, as described. Quick dispatch."),
)


def _reviews_create(owner: User, offers: Sequence[Offer]) -> int:
    """Have each reviewer buy two of ``offers`` a month ago and review both; return orders."""
    texts = iter(REVIEWS)
    serial = 400_000
    for n, (name, email, postal_code, city) in enumerate(REVIEWERS):
        with travel(_at(80 - 4 * n, 19)):
            person = User.objects.create_user(
                email, None, full_name=name, country="FR", birth_date=dt.date(1985 + n, 4, 12),
                date_joined=timezone.now(),
            )  # fmt: skip
            for kind in ("delivery", "billing"):
                address_create(
                    actor=person, user=person, kind=kind, full_name=name,
                    line1=f"{8 + n} Rue de la République", postal_code=postal_code, city=city,
                    country="FR", phone=f"+3361234{n:04d}",
                )  # fmt: skip
        bought = [offers[i] for i in PAIRS[n]]
        ordered = _at(46 - 2 * n, 11)
        order = demo_order_place(buyer=person, offers=bought, at=ordered)
        imeis = []
        for line in order.lines.order_by("pk").select_related("offer__variant__device_model"):
            serial += 1
            imeis.append(demo_imei(_tac(line.offer), serial))
        order = demo_order_deliver(order=order, owner=owner, imeis=imeis, at=ordered)
        assert order.delivered_at is not None
        day = timezone.localdate(order.delivered_at) + dt.timedelta(days=2 + n % 3)
        with travel(
            dt.datetime.combine(day, dt.time(20, 30), tzinfo=timezone.get_current_timezone())
        ):
            for line in order.lines.order_by("pk"):
                rating, text = next(texts)
                review_create(line=line, actor=person, rating=rating, text=text)
    return len(REVIEWERS)


# --- Entry point ------------------------------------------------------------------------------

# Where the demo seller's returns go; the seed inserts sellers without one, and an approved
# seller has no page to change it (onboarding edits drafts only).
RETURN_ADDRESS = {
    "return_line1": "Revivo Tech returns, 27 Rue de Gerland",
    "return_postal_code": "69007",
    "return_city": "Lyon",
    "return_country": "FR",
}


def _return_address_set(seller: Seller) -> None:
    """Give the demo seller the return address its prepaid labels are made out to."""
    if seller.return_line1.strip() and seller.return_city.strip():
        return
    for name, value in RETURN_ADDRESS.items():
        setattr(seller, name, value)
    seller.save(update_fields=[*RETURN_ADDRESS, "updated_at"])


def demo_aftersales_create(
    *, buyer_email: str, seller_name: str, staff_email: str, keep_offer_ids: Collection[int] = ()
) -> int:
    """Create the demo's after-sales (rules: module docstring); return the orders placed.

    ``staff_email`` is customer service's login; ``keep_offer_ids`` are offers not to buy
    from (the README's purchase). Returns 0, creating nothing, when the demo buyer already
    has claims or a provider is not a sandbox (real cards, parcels or checks).
    """
    buyer = User.objects.filter(email=buyer_email).first()
    staff = User.objects.filter(email=staff_email).first()
    seller = Seller.objects.filter(name=seller_name).first()
    owner = (
        SellerMembership.objects.filter(seller=seller, role=SellerMembership.Role.OWNER)
        .select_related("user")
        .first()
    )
    if buyer is None or staff is None or seller is None or owner is None:
        return 0
    if Claim.objects.filter(buyer=buyer).exists():
        return 0
    sandboxes = (
        isinstance(payment_services.payment_provider(), SandboxPaymentProvider)
        and isinstance(get_carrier(), SandboxCarrier)
        and isinstance(get_activation_lock(), SandboxActivationLock)
    )
    if not sandboxes:
        return 0
    _return_address_set(seller)
    # Chosen before any purchase: the reviewed phones are the seller's most popular ones
    # (each bought by three reviewers), the demo buyer's are the next ones.
    phones = _phones(seller, exclude=keep_offer_ids, min_stock=2, count=12)
    reviewed = [o for o in phones if o.stock >= REVIEWED_STOCK][:4]
    own = [o for o in phones if o not in reviewed]
    above = settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR
    costly = next((o for o in reversed(own) if o.price_minor > above), None)
    if len(reviewed) < 4 or costly is None or len(own) < 4:
        return 0
    own.remove(costly)
    placed = _reviews_create(owner.user, reviewed)
    plans = [  # offer, days before D it was ordered, IMEI serial part
        (costly, 16, 230_001),
        (own[0], 8, LOCKED_SERIAL),
        (own[1], 7, 230_002),
        (own[2], 6, 230_003),
    ]
    orders = []
    for offer, days, serial in plans:
        ordered = _at(days, 10)
        order = demo_order_place(buyer=buyer, offers=[offer], at=ordered)
        imeis = [demo_imei(_tac(offer), serial)]
        orders.append(demo_order_deliver(order=order, owner=owner.user, imeis=imeis, at=ordered))
    lost, locked, described, returned = orders
    _locked(buyer, owner.user, locked)
    # The hourly task, the morning after the last deliveries: one survey per delivery.
    with travel(_at(3, 8)):
        surveys_offer_due()
    _escalated(buyer, owner.user, staff, described)
    _not_received(buyer, owner.user, staff, lost)
    _open_return(buyer, owner.user, returned)
    # Reviews moved the seller's rating, and with it the best offers: the README's purchase
    # must still reach the demo seller.
    showcase_offer_set(seller=Seller.objects.get(pk=seller.pk))  # its new quality score
    variant_market_refresh(variant_id=showcase_variant().pk)
    return placed + len(orders)
