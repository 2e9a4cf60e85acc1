"""Conversation pages: a person's threads and chats, a seller's threads, customer service's
chat queue, attachments, and call notes.

Every page reads a conversation or a file through the asker (``conversation_get_for``,
``attachment_get_for``): another person's id answers 404 and writes nothing. Staff pages
log each look (SEC-1) and show a person's objection to recording before the answer box
(CONSENT-6).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import User
from recommerce.accounts.views.common import AuthedRequest, form_errors_from
from recommerce.orders import selectors as order_selectors
from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.staff import staff_only
from recommerce.privacy.services.logs import staff_access_record_many
from recommerce.privacy.services.personal_consent import recording_allowed
from recommerce.support.models import Attachment, Conversation
from recommerce.support.selectors import conversations as selectors
from recommerce.support.services import conversations as services

STAFF_PERMISSION = selectors.STAFF_PERMISSION
ACCEPT = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"


class MessageForm(SafeTextMixin, forms.Form):
    body = forms.CharField(
        label="Your message",
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Phone numbers, email addresses and bank or card details are hidden.",
    )


class CloseForm(SafeTextMixin, forms.Form):
    claim_note = forms.CharField(
        label="What the claim needs from this chat",
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CallNoteForm(SafeTextMixin, forms.Form):
    summary = forms.CharField(
        label="What was said",
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    claim = forms.CharField(label="Claim reference", required=False, max_length=20)
    recording_reference = forms.CharField(
        label="Recording reference",
        required=False,
        max_length=64,
        help_text="Leave empty when the person objected to recording.",
    )


# --- Shared --------------------------------------------------------------------------------


def _post(request: AuthedRequest, conversation: Conversation, actor: Any) -> MessageForm | None:
    """Post the form's message; return None on success (the writer told what was hidden)."""
    form = MessageForm(request.POST)
    files = request.FILES.getlist("files")
    if not form.is_valid():
        return form
    try:
        message = services.message_post(
            conversation=conversation, actor=actor, body=form.cleaned_data["body"], files=files
        )
    except (ValidationError, PermissionError) as error:
        form_errors_from(form, error)
        return form
    note = services.masked_note(message)
    messages.success(request, "Your message is sent.")
    if note:
        messages.info(request, note)
    return None


def _thread(
    conversation: Conversation, side: str, post_url: str, form: MessageForm | None
) -> dict[str, Any]:
    return {
        "conversation": conversation,
        # Not "messages": the page's layout shows Django's messages under that name.
        "thread_messages": list(selectors.conversation_messages(conversation=conversation)),
        "viewer_side": side,
        "post_url": post_url,
        "form": form or MessageForm(),
        "accept": ACCEPT,
        "can_post": conversation.closed_at is None
        and (
            side != selectors.STAFF
            or conversation.kind == Conversation.Kind.SUPPORT
            or conversation.staff_joined_at is not None
        ),
    }


def _download(attachment: Attachment) -> HttpResponse:
    # Always a download under the checked name and type: never rendered by the browser.
    # Sealed files are decrypted whole, so streaming would save nothing.
    with attachment.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Buyer -----------------------------------------------------------------------------------


def _buyer_conversation(request: AuthedRequest, pk: int) -> Conversation:
    conversation = selectors.conversation_get_for(actor=request.user, pk=pk)
    if conversation is None or conversation.person_id != request.user.pk:
        raise Http404("No such conversation.")
    return conversation


@login_required
def message_list(request: AuthedRequest) -> HttpResponse:
    conversations = selectors.person_conversation_list(user=request.user)[:100]
    return render(
        request,
        "support/conversations/list.html",
        {"conversations": conversations, "section": "support_messages", "side": "buyer"},
    )


@login_required
def message_thread(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation = _buyer_conversation(request, pk)
    form = None
    if request.method == "POST":
        form = _post(request, conversation, request.user)
        if form is None:
            return redirect("support:message_thread", pk=conversation.pk)
    context = _thread(conversation, selectors.BUYER, request.path, form)
    context["section"] = "support_messages"
    context["recorded"] = conversation.recorded
    return render(
        request, "support/conversations/thread.html", context, status=400 if form else 200
    )


@login_required
def message_order(request: AuthedRequest, number: str) -> HttpResponse:
    """Open the order's conversation with the seller; the first message makes it."""
    order = order_selectors.buyer_order_find(user=request.user, number=number)
    if order is None:
        raise Http404("No such order.")
    existing = selectors.order_conversation_for(order=order)
    if existing is not None:
        return redirect("support:message_thread", pk=existing.pk)
    form = None
    if request.method == "POST":
        try:
            conversation = services.conversation_for_order(order=order)
        except ValidationError as error:
            form = MessageForm(request.POST)
            form_errors_from(form, error)
        else:
            form = _post(request, conversation, request.user)
            if form is None:
                return redirect("support:message_thread", pk=conversation.pk)
    return render(
        request,
        "support/conversations/start.html",
        {
            "order": order,
            "form": form or MessageForm(),
            "accept": ACCEPT,
            "section": "support_messages",
            "post_url": request.path,
        },
        status=400 if form else 200,
    )


@login_required
def chat_new(request: AuthedRequest) -> HttpResponse:
    """Start a chat with customer service about an order or a claim (CONSENT-6 said plainly)."""
    source = request.POST if request.method == "POST" else request.GET
    order = claim = None
    if source.get("claim"):
        claim = selectors.person_claim_get(user=request.user, reference=source["claim"])
        if claim is None:
            raise Http404("No such claim.")
    elif source.get("order"):
        order = order_selectors.buyer_order_find(user=request.user, number=source["order"])
        if order is None:
            raise Http404("No such order.")
    form = None
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid() and not form.cleaned_data["body"].strip():
            form.add_error("body", "Write your question.")
        if form.is_valid():
            conversation = services.support_chat_start(
                person=request.user, order=order, claim=claim
            )
            form = _post(request, conversation, request.user)
            if form is None:
                return redirect("support:message_thread", pk=conversation.pk)
    return render(
        request,
        "support/conversations/chat_new.html",
        {
            "order": order,
            "claim": claim,
            "form": form or MessageForm(),
            "recorded": recording_allowed(user=request.user),
            "section": "support_messages",
        },
        status=400 if form else 200,
    )


@login_required
def message_attachment(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for(actor=request.user, pk=pk)
    if attachment is None or attachment.message.conversation.person_id != request.user.pk:
        raise Http404("No such file.")
    return _download(attachment)


# --- Seller ----------------------------------------------------------------------------------


def _membership(request: AuthedRequest) -> Any:
    membership = account_selectors.seller_membership_for(user=request.user)
    if membership is None:
        raise Http404("You have no seller account.")
    if membership.role not in order_selectors.SELLER_ORDER_ROLES:
        raise PermissionDenied("Your role does not include the buyers' messages.")
    return membership


@login_required
def seller_message_list(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    conversations = selectors.seller_conversation_list(seller=membership.seller)[:100]
    return render(
        request,
        "support/conversations/list.html",
        {
            "conversations": conversations,
            "membership": membership,
            "seller": membership.seller,
            "section": "seller_messages",
            "side": "seller",
        },
    )


@login_required
def seller_message_thread(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    conversation = selectors.seller_conversation_for(seller=membership.seller, conversation_id=pk)
    if conversation is None:
        raise Http404("No such conversation.")
    form = None
    if request.method == "POST":
        form = _post(request, conversation, request.user)
        if form is None:
            return redirect("seller_support:message_thread", pk=conversation.pk)
    context = _thread(conversation, selectors.SELLER, request.path, form)
    context.update(membership=membership, seller=membership.seller, section="seller_messages")
    return render(
        request, "support/conversations/thread.html", context, status=400 if form else 200
    )


@login_required
def seller_message_attachment(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    attachment = selectors.attachment_get_for(actor=request.user, pk=pk)
    conversation = attachment.message.conversation if attachment else None
    if conversation is None or conversation.seller_id != membership.seller_id:
        raise Http404("No such file.")
    assert attachment is not None
    return _download(attachment)


# --- Staff -----------------------------------------------------------------------------------


def _log(request: AuthedRequest, conversations: list[Conversation], what: str) -> None:
    looks = [(c.person_id, what.format(pk=c.pk)) for c in conversations if c.person_id]
    if looks:
        staff_access_record_many(staff=request.user, looks=looks, path=request.path)


@staff_only(STAFF_PERMISSION)
def staff_chat_queue(request: AuthedRequest) -> HttpResponse:
    chats = list(selectors.staff_open_chat_list()[:100])
    _log(request, chats, "support chat queue")
    return render(request, "support/conversations/staff_queue.html", {"chats": chats})


@staff_only(STAFF_PERMISSION)
def staff_conversation(request: AuthedRequest, pk: int) -> HttpResponse:
    conversation = selectors.conversation_get_for(actor=request.user, pk=pk, staff_page=True)
    if conversation is None:
        raise Http404("No such conversation.")
    form = close_form = None
    if request.method == "POST" and request.POST.get("action") == "close":
        close_form = CloseForm(request.POST)
        if close_form.is_valid():
            try:
                services.support_chat_close(
                    conversation=conversation,
                    actor=request.user,
                    claim_note=close_form.cleaned_data["claim_note"],
                )
            except (ValidationError, PermissionError) as error:
                form_errors_from(close_form, error)
            else:
                messages.success(request, "The chat is closed.")
                return redirect("staff_support:chat_queue")
    elif request.method == "POST":
        form = _post(request, conversation, request.user)
        if form is None:
            return redirect("staff_support:conversation", pk=conversation.pk)
    _log(request, [conversation], "conversation {pk}")
    context = _thread(conversation, selectors.STAFF, request.path, form)
    context.update(
        close_form=close_form or CloseForm(),
        recording_objected=not recording_allowed(user=conversation.person),
    )
    bad = form is not None or close_form is not None
    return render(
        request, "support/conversations/staff_thread.html", context, status=400 if bad else 200
    )


@staff_only(STAFF_PERMISSION)
def staff_message_attachment(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for(actor=request.user, pk=pk, staff_page=True)
    if attachment is None:
        raise Http404("No such file.")
    conversation = attachment.message.conversation
    _log(request, [conversation], f"file {attachment.pk} of conversation {{pk}}")
    return _download(attachment)


@staff_only(STAFF_PERMISSION)
@require_POST
def staff_call_note(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Note a phone call with a person, from the staff person page (CONSENT-6 honoured)."""
    person = get_object_or_404(User, pk=user_id)
    form = CallNoteForm(request.POST)
    back = request.POST.get("next", "")
    if form.is_valid():
        data = form.cleaned_data
        claim = None
        if data["claim"]:
            claim = selectors.person_claim_get(user=person, reference=data["claim"])
            if claim is None:
                form.add_error("claim", f"{person.email} has no claim {data['claim']}.")
        if form.is_valid():
            try:
                services.call_note_add(
                    person=person,
                    staff=request.user,
                    summary=data["summary"],
                    claim=claim,
                    recording_reference=data["recording_reference"],
                )
            except (ValidationError, PermissionError) as error:
                form_errors_from(form, error)
            else:
                messages.success(request, "The call note is saved.")
                safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
                return redirect(back if back and safe else reverse("staff_support:chat_queue"))
    staff_access_record_many(
        staff=request.user, looks=[(person.pk, "call note form")], path=request.path
    )
    return render(
        request,
        "support/conversations/call_note.html",
        {
            "person": person,
            "call_note_form": form,
            "next": back,
            "recording_objected": not recording_allowed(user=person),
        },
        status=400,
    )


buyer_patterns: list[URLPattern] = [
    path("messages/", message_list, name="message_list"),
    path("messages/<int:pk>/", message_thread, name="message_thread"),
    path("orders/<str:number>/messages/", message_order, name="message_order"),
    path("chat/new/", chat_new, name="chat_new"),
    path("attachments/<int:pk>/", message_attachment, name="message_attachment"),
]
seller_patterns: list[URLPattern] = [
    path("messages/", seller_message_list, name="message_list"),
    path("messages/<int:pk>/", seller_message_thread, name="message_thread"),
    path("attachments/<int:pk>/", seller_message_attachment, name="message_attachment"),
]
staff_patterns: list[URLPattern] = [
    path("conversations/", staff_chat_queue, name="chat_queue"),
    path("conversations/<int:pk>/", staff_conversation, name="conversation"),
    path("attachments/<int:pk>/", staff_message_attachment, name="message_attachment"),
    path("people/<int:user_id>/call-note/", staff_call_note, name="call_note"),
]
