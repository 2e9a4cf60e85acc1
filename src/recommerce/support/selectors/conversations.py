"""Reads of conversations: who takes part, lists, a thread's messages, sellers' answer time.

Every read that names a conversation or an attachment by id goes through the asker
(``conversation_get_for``, ``attachment_get_for``): what is not theirs reads as None, so
pages and the API answer 404 and reveal nothing.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from recommerce.accounts.models import Seller, SellerMembership, User
from recommerce.orders import selectors as order_selectors
from recommerce.orders.models import Order
from recommerce.platform import clock
from recommerce.support.models import Attachment, Claim, Conversation, Message

STAFF_PERMISSION = "support.view_conversation"
BUYER, SELLER, STAFF, SYSTEM = (s.value for s in Message.Side)
IDLE_HOURS = 24


def is_conversation_staff(actor: Any) -> bool:
    """Tell whether ``actor`` is customer service allowed to read conversations."""
    return (
        isinstance(actor, User)
        and actor.is_active
        and actor.is_staff
        and actor.has_perm(STAFF_PERMISSION)
    )


def conversation_sides(*, conversation: Conversation, actor: Any) -> set[str]:
    """Return in which capacities ``actor`` takes part in ``conversation``.

    ``buyer`` is the person (the buyer of an order, or the person chatting with customer
    service); ``seller`` acts for the order's seller, with an order role or its API key,
    never on an order held for review (SHARE-1); ``staff`` reads every conversation.
    """
    sides: set[str] = set()
    person_id = conversation.person_id
    if isinstance(actor, User) and actor.is_authenticated and person_id == actor.pk:
        sides.add(BUYER)
    if conversation.kind == Conversation.Kind.ORDER and conversation.order_id is not None:
        order = conversation.order
        assert order is not None
        if order.status != Order.Status.HELD and order_selectors.is_order_seller(
            order=order, actor=actor
        ):
            sides.add(SELLER)
    if is_conversation_staff(actor):
        sides.add(STAFF)
    return sides


def _is_person(conversation: Conversation, actor: Any) -> bool:
    person_id = conversation.person_id
    return (
        person_id is not None
        and getattr(actor, "pk", None) == person_id
        and (isinstance(actor, User))
    )


def viewer_side(*, conversation: Conversation, actor: Any, staff_page: bool = False) -> str:
    """Return the one capacity a page shows ``conversation`` in ("" when none).

    On staff pages staff read as staff; elsewhere a member of customer service who is also
    the buyer or the seller reads as such.
    """
    if not staff_page and _is_person(conversation, actor):
        return BUYER  # the thread's person reads as the buyer: no membership to look up
    sides = conversation_sides(conversation=conversation, actor=actor)
    order = (STAFF,) if staff_page else (BUYER, SELLER)
    return next((side for side in order if side in sides), "")


def _conversations() -> QuerySet[Conversation]:
    return Conversation.objects.select_related("order", "seller", "claim", "person")


def person_conversation_list(*, user: User) -> QuerySet[Conversation]:
    """Return the person's conversations with sellers and with customer service, latest first."""
    if not user.is_authenticated:
        return Conversation.objects.none()
    return _conversations().filter(person=user)


def seller_conversation_list(*, seller: Seller) -> QuerySet[Conversation]:
    """Return the seller's order conversations, latest first (none about a held order)."""
    return (
        _conversations()
        .filter(kind=Conversation.Kind.ORDER, seller=seller)
        .exclude(order__status=Order.Status.HELD)
    )


def staff_open_chat_list() -> QuerySet[Conversation]:
    """Return the open support chats, the one waiting longest first."""
    return (
        _conversations()
        .filter(kind=Conversation.Kind.SUPPORT, closed_at__isnull=True)
        .annotate(waiting_since=Coalesce("last_message_at", "created_at"))
        .order_by("waiting_since", "id")
    )


def conversation_get_for(*, actor: Any, pk: int, staff_page: bool = False) -> Conversation | None:
    """Return conversation ``pk`` if ``actor`` takes part in it (staff: on staff pages)."""
    conversation = _conversations().filter(pk=pk).first()
    if conversation is None:
        return None
    side = viewer_side(conversation=conversation, actor=actor, staff_page=staff_page)
    return conversation if side else None


def seller_conversation_for(
    *, seller: Seller, conversation_id: int | None = None, order: Order | None = None
) -> Conversation | None:
    """Return the seller's order conversation by id or by order, if there is one."""
    found = seller_conversation_list(seller=seller)
    if conversation_id is not None:
        found = found.filter(pk=conversation_id)
    if order is not None:
        found = found.filter(order=order)
    return found.first()


def conversation_messages(
    *, conversation: Conversation, after: int = 0, limit: int | None = None
) -> QuerySet[Message]:
    """Return the thread's messages, oldest first, with their attachments.

    Two queries whatever the length of the thread: the messages, then their attachments.
    """
    messages = (
        Message.objects.filter(conversation=conversation, pk__gt=after)
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    return messages[:limit] if limit is not None else messages


def attachment_get_for(*, actor: Any, pk: int, staff_page: bool = False) -> Attachment | None:
    """Return attachment ``pk`` if ``actor`` takes part in its conversation."""
    attachment = (
        Attachment.objects.select_related(
            "message__conversation__order", "message__conversation__person"
        )
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        return None
    conversation = attachment.message.conversation
    side = viewer_side(conversation=conversation, actor=actor, staff_page=staff_page)
    return attachment if side else None


def person_claim_get(*, user: User, reference: str) -> Claim | None:
    """Return the person's claim ``reference`` (a chat or a call note may name it)."""
    if not user.is_authenticated:
        return None
    return Claim.objects.filter(buyer=user, reference=reference.strip().upper()).first()


def order_conversation_for(*, order: Order) -> Conversation | None:
    return Conversation.objects.filter(kind=Conversation.Kind.ORDER, order=order).first()


def idle_chat_list(*, now: dt.datetime | None = None) -> QuerySet[Conversation]:
    """Return open support chats without a message for ``IDLE_HOURS``."""
    cutoff = (now or clock.now()) - dt.timedelta(hours=IDLE_HOURS)
    return (
        Conversation.objects.filter(kind=Conversation.Kind.SUPPORT, closed_at__isnull=True)
        .annotate(waiting_since=Coalesce("last_message_at", "created_at"))
        .filter(waiting_since__lt=cutoff)
        .order_by("id")
    )


def order_seller_members(*, conversation: Conversation) -> list[User]:
    """Return the people who answer for the conversation's seller (owners, order managers)."""
    if conversation.seller_id is None:
        return []
    return [
        m.user
        for m in SellerMembership.objects.filter(
            seller_id=conversation.seller_id, role__in=order_selectors.SELLER_ORDER_ROLES
        )
        .select_related("user")
        .order_by("user_id")
        if m.user.is_active
    ]


# --- Seller answer time ------------------------------------------------------------------------


def _answer_delays(*, seller: Seller, since: dt.datetime) -> list[tuple[dt.datetime, float]]:
    """Return, for each buyer question since ``since``, when it was asked and the minutes to
    the seller's answer.

    A question is the first buyer message after the seller's last one: three messages in a
    row ("hello?", "hello??") wait for one answer, and counting each would make a slow
    seller look faster. Questions still unanswered are not counted.
    """
    rows = (
        Message.objects.filter(
            conversation__kind=Conversation.Kind.ORDER,
            conversation__seller=seller,
            side__in=(BUYER, SELLER),
            created_at__gte=since,
        )
        .order_by("conversation_id", "created_at", "id")
        .values_list("conversation_id", "side", "created_at")
    )
    delays: list[tuple[dt.datetime, float]] = []
    current: int | None = None
    asked: dt.datetime | None = None
    for conversation_id, side, created_at in rows.iterator(chunk_size=2000):
        if conversation_id != current:
            current, asked = conversation_id, None
        if side == BUYER and asked is None:
            asked = created_at
        elif side == SELLER and asked is not None:
            delays.append((asked, (created_at - asked).total_seconds() / 60))
            asked = None
    return delays


def _median_minutes(values: list[float]) -> int | None:
    return round(statistics.median(values)) if values else None


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def seller_answer_times(
    *, seller: Seller, months: int = 6
) -> list[tuple[dt.date, int | None, int]]:
    """Return, for the last ``months`` calendar months (this one last), the first day of the
    month, the median minutes the seller took to answer a buyer's question asked that month
    (None without answers) and how many questions were answered.
    """
    today = clock.today()
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(starts[0], dt.time.min, tzinfo=zone)
    by_month: dict[dt.date, list[float]] = {start: [] for start in starts}
    for asked, minutes in _answer_delays(seller=seller, since=since):
        local = asked.astimezone(zone).date()
        key = dt.date(local.year, local.month, 1)
        if key in by_month:
            by_month[key].append(minutes)
    return [(start, _median_minutes(by_month[start]), len(by_month[start])) for start in starts]


def seller_answer_median_minutes(*, seller: Seller, since: dt.datetime) -> int | None:
    """Return the median minutes ``seller`` took to answer buyers' questions asked since
    ``since`` (None when nothing was answered): the answer-time part of the offer score.
    """
    return _median_minutes([minutes for _, minutes in _answer_delays(seller=seller, since=since)])
