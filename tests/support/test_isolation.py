"""SEC-2 for after-sales: nobody reaches or changes another's claims, messages, files,
identity checks, reviews or surveys (reliability.md, "IDOR / BOLA").

Every after-sales URL that takes an identifier (``tests/support/keys.py`` finds them: the
project matrix in tests/accounts/test_isolation.py leaves them here) is requested with each
method it accepts by everyone who is not the object's owner: the anonymous visitor, another
buyer, the seller's catalog member, another seller's owner and API key, staff without the
permission, and, on staff pages, a role holding other after-sales permissions. Each answer
must be a refusal (login redirect, 401, 403, 404) showing none of the victim's canaries,
and no row, file or email of the victim's may change. The owners are the positive control.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import get_resolver, reverse

from recommerce.privacy.services.personal_consent import BIOMETRIC_TEXT_VERSION
from tests.support.isolation_world import (
    ACTORS,
    HIDDEN_TEXT,
    World,
    accepted,
    client_for,
    device_locked,
    documents,
    live_files,
    message_files,
    review_form,
    snapshot,
    text_of,
    world_build,
)
from tests.support.keys import SUPPORT_NAMESPACES, support_object_keys
from tests.support.keys import _api_module as api_module
from tests.support.keys import _walk as walk

pytestmark = pytest.mark.django_db

Data = Callable[[World], dict[str, Any]]
ATTACKERS = (
    "anonymous", "buyer B", "S1 catalog member", "seller S2 owner", "seller S2 key",
    "finance staff",
)  # fmt: skip
BUYER, SELLER, STAFF, KEY = ("buyer A",), ("S1 orders member",), ("customer service",), ("S1 key",)
# Staff pages are refused to the claim's own parties too, and to roles holding other
# after-sales permissions (identity evidence: not Admin; moderation, messages: not Anti-fraud).
STAFF_OTHERS, FRAUD = ("buyer A", "S1 orders member"), "anti-fraud staff"


@dataclass(frozen=True)
class Entry:
    """An after-sales object URL: its argument, the victim's object, methods, owners, a body."""

    kwarg: str
    target: str  # a key of World.ids
    methods: tuple[str, ...]
    owners: tuple[str, ...]
    data: Data | None = None
    also: tuple[str, ...] = ()  # attackers beyond ATTACKERS
    multipart: bool = False  # an API operation that takes files
    personal: bool = True  # False: the owner's answer is a file without any canary
    prepare: Callable[[World], Any] | None = None  # a step the owner's request follows
    # A public object of the same kind, and who reaches it (see OPEN_TO_OTHERS).
    public: tuple[str, str] | None = None


def _body(**values: Any) -> Data:
    return lambda w: dict(values)


CLAIM_OPEN = _body(kind="return", requested="return_refund", reason_code="changed_mind")
NOTE = _body(note="Mallory would like this changed")
DECISION = _body(proposal="reject", note="Mallory decides")
MESSAGE = _body(body="Mallory writes here")
INSPECT = _body(decision="accept", note="Mallory inspected it")
SURVEY = _body(nps="10", satisfaction="5", easy="yes", comment="Mallory answers")
CONSENT = _body(answer="accept", text_version=BIOMETRIC_TEXT_VERSION)


def claim_evidence(w: World) -> dict[str, Any]:
    return {**CLAIM_OPEN(w), "line": w.ids["free_line"], "evidence": message_files(w)["files"]}


def _claim_open_form(w: World) -> dict[str, Any]:
    return {**CLAIM_OPEN(w), "line": w.ids["free_line"]}


REF, CHECK = "reference", "check_id"
RETURN_WEB = {"return": ("GET",), "return-label": ("GET",), "return-recheck": ("POST",)}
SELLER_RETURN = {
    "return-received": ("POST",), "return-check": ("POST",), "return-inspection": ("POST",),
    "return-repaired": ("POST",),
}  # fmt: skip
RETURN_DATA: dict[str, Data] = {"return-inspection": INSPECT, "return-repaired": _body()}
# fmt: off
MATRIX: dict[str, Entry] = {
    # The buyer's pages.
    "support:claim_open": Entry("number", "free_order", ("GET", "POST"), BUYER, _claim_open_form),
    "support:claim": Entry(REF, "claim_open", ("GET", "POST"), BUYER, _body(action="withdraw")),
    **{
        f"support:{name}": Entry(REF, "claim_return", methods, BUYER, personal=name == "return")
        for name, methods in RETURN_WEB.items()
    },
    # The demo's stand-in for iCloud: the buyer of a locked device only.
    "support:return-sandbox-release": Entry(
        REF, "claim_return", ("POST",), BUYER, prepare=device_locked
    ),
    "support:message_thread": Entry("pk", "conversation", ("GET", "POST"), BUYER, MESSAGE),
    "support:message_order": Entry("number", "free_order", ("GET", "POST"), BUYER, MESSAGE),
    "support:message_attachment": Entry("pk", "attachment", ("GET",), BUYER, personal=False),
    "support:identity_check": Entry(CHECK, "check_asked", ("GET",), BUYER),
    "support:identity_documents": Entry(CHECK, "check_asked", ("POST",), BUYER, documents),
    "support:identity_consent": Entry(CHECK, "check_asked", ("POST",), BUYER, CONSENT),
    "support:identity_live_start": Entry(CHECK, "check_asked", ("POST",), BUYER),
    # The sandbox's stand-in for the identity service's page: no personal data on it.
    "support:identity_live": Entry(
        CHECK, "check_asked", ("GET", "POST"), BUYER, live_files, personal=False
    ),
    "support:review-new": Entry("line_id", "free_line", ("GET", "POST"), BUYER, review_form),
    "support:review-report": Entry(
        "review_id", "review_hidden", ("GET", "POST"), (), _body(reason="Mallory reports"),
        public=("review_public", "buyer B"),
    ),
    "support:review-photo": Entry(
        "photo_id", "photo_hidden", ("GET",), (), public=("photo_public", "anonymous")
    ),
    "support:survey": Entry("token", "survey", ("GET", "POST"), BUYER, SURVEY),
    # The seller's pages.
    "seller_support:claim": Entry(
        REF, "claim_open", ("GET", "POST"), SELLER,
        _body(action="propose", proposal="partial_refund", amount="10.00", note="Mallory"),
        also=("buyer A",),
    ),
    **{
        f"seller_support:{name}": Entry(
            REF, "claim_return", methods, SELLER, RETURN_DATA.get(name), ("buyer A",),
            personal=name == "return", prepare=accepted if name == "return-repaired" else None,
        )
        for name, methods in {**RETURN_WEB, **SELLER_RETURN}.items()
    },
    "seller_support:message_thread": Entry(
        "pk", "conversation", ("GET", "POST"), SELLER, MESSAGE, ("buyer A",)
    ),
    "seller_support:message_attachment": Entry(
        "pk", "attachment", ("GET",), SELLER, also=("buyer A",), personal=False
    ),
    # Customer service's pages.
    "staff_support:claim": Entry(
        REF, "claim_escalated", ("GET", "POST"), STAFF, DECISION, STAFF_OTHERS
    ),
    **{
        f"staff_support:{name}": Entry(
            REF, "claim_return", methods, STAFF, RETURN_DATA.get(name), STAFF_OTHERS,
            personal=name == "return", prepare=accepted if name == "return-repaired" else None,
        )
        for name, methods in {**RETURN_WEB, **SELLER_RETURN}.items()
    },
    "staff_support:conversation": Entry(
        "pk", "chat", ("GET", "POST"), STAFF, MESSAGE, (*STAFF_OTHERS, FRAUD)
    ),
    "staff_support:message_attachment": Entry(
        "pk", "attachment", ("GET",), STAFF, also=(*STAFF_OTHERS, FRAUD), personal=False
    ),
    "staff_support:call_note": Entry(
        "user_id", "a_id", ("POST",), STAFF, _body(summary="Mallory called"),
        (*STAFF_OTHERS, FRAUD),
    ),
    "staff_support:identity_detail": Entry(
        CHECK, "check_answered", ("GET", "POST"), STAFF, _body(decision="pass"),
        (*STAFF_OTHERS, "admin staff"),
    ),
    "staff_support:identity_evidence": Entry(
        "evidence_id", "evidence", ("GET",), STAFF, also=(*STAFF_OTHERS, "admin staff")
    ),
    "staff_support:identity_ask": Entry(
        REF, "claim_escalated", ("GET", "POST"), STAFF, _body(reason="Mallory asks"),
        (*STAFF_OTHERS, FRAUD),
    ),
    "staff_support:review-hide": Entry(
        "review_id", "review_public", ("POST",), STAFF, _body(reason="Mallory hides"),
        (*STAFF_OTHERS, FRAUD),
    ),
    "staff_support:review-restore": Entry(
        "review_id", "review_hidden", ("POST",), STAFF, also=(*STAFF_OTHERS, FRAUD)
    ),
    # The API: a person's session, or a seller's key.
    "api-v1:claim_list": Entry("number", "open_order", ("GET",), BUYER),
    "api-v1:claim_open": Entry("number", "free_order", ("POST",), BUYER, CLAIM_OPEN),
    "api-v1:claim_open_with_files": Entry(
        "number", "free_order", ("POST",), BUYER, claim_evidence, multipart=True
    ),
    "api-v1:claim_detail": Entry(REF, "claim_open", ("GET",), BUYER),
    "api-v1:claim_messages": Entry(REF, "claim_open", ("GET",), BUYER),
    "api-v1:claim_message_post": Entry(REF, "claim_open", ("POST",), BUYER, MESSAGE),
    "api-v1:claim_attachments_post": Entry(
        REF, "claim_open", ("POST",), BUYER, message_files, multipart=True
    ),
    "api-v1:claim_agree": Entry(REF, "claim_proposed", ("POST",), BUYER),
    "api-v1:claim_escalate": Entry(REF, "claim_open", ("POST",), BUYER, NOTE),
    "api-v1:claim_withdraw": Entry(REF, "claim_open", ("POST",), BUYER),
    "api-v1:claim_decision": Entry(
        REF, "claim_escalated", ("POST",), STAFF,
        _body(resolution="reject", note="Mallory decides"), (*STAFF_OTHERS, FRAUD),
    ),
    "api-v1:seller_claim_detail": Entry(REF, "claim_open", ("GET",), KEY),
    "api-v1:seller_claim_answer": Entry(
        REF, "claim_open", ("POST",), KEY,
        _body(accept=False, proposal="partial_refund", amount_minor=1000, note="Mallory"),
    ),
    "api-v1:claim_return": Entry(REF, "claim_return", ("GET",), BUYER),
    "api-v1:claim_return_label": Entry(REF, "claim_return", ("GET",), BUYER, personal=False),
    "api-v1:claim_device_check": Entry(REF, "claim_return", ("POST",), BUYER, _body()),
    "api-v1:seller_claim_return": Entry(REF, "claim_return", ("GET",), KEY),
    "api-v1:seller_claim_return_label": Entry(REF, "claim_return", ("GET",), KEY, personal=False),
    "api-v1:seller_claim_received": Entry(REF, "claim_return", ("POST",), KEY),
    "api-v1:seller_claim_device_check": Entry(REF, "claim_return", ("POST",), KEY, _body()),
    "api-v1:seller_claim_inspection": Entry(REF, "claim_return", ("POST",), KEY, INSPECT),
    "api-v1:order_messages": Entry("number", "open_order", ("GET",), BUYER),
    "api-v1:order_message_post": Entry("number", "open_order", ("POST",), BUYER, MESSAGE),
    "api-v1:conversation_messages": Entry("conversation_id", "conversation", ("GET",), BUYER),
    "api-v1:conversation_attachments_post": Entry(
        "conversation_id", "conversation", ("POST",), BUYER, message_files, multipart=True
    ),
    "api-v1:seller_order_messages": Entry("number", "open_order", ("GET",), KEY),
    "api-v1:seller_order_message_post": Entry("number", "open_order", ("POST",), KEY, MESSAGE),
    "api-v1:identity_check_list": Entry(REF, "claim_identity_asked", ("GET",), BUYER),
    "api-v1:identity_documents_send": Entry(
        CHECK, "check_asked", ("POST",), BUYER, documents, multipart=True
    ),
    "api-v1:identity_biometric_consent": Entry(
        CHECK, "check_asked", ("POST",), BUYER,
        _body(accepted=True, text_version=BIOMETRIC_TEXT_VERSION),
    ),
    "api-v1:identity_biometric_start": Entry(CHECK, "check_asked", ("POST",), BUYER),
    "api-v1:review_report": Entry(
        "review_id", "review_hidden", ("POST",), (), _body(reason="Mallory reports"),
        public=("review_public", "buyer B"),
    ),
}
# fmt: on
# Reachable by others on purpose; the matrix requests each on an object that is not public.
OPEN_TO_OTHERS = {
    # A published review is public: anyone may see its photos, and anyone signed in may
    # report it. A hidden review's photo and report page answer 404 to everyone.
    "support:review-photo": "a published review's photo is public",
    "support:review-report": "a published review may be reported by anyone signed in",
    "api-v1:review_report": "a published review may be reported by anyone signed in",
}


# --- Requests ---------------------------------------------------------------------------------


def _url(w: World, key: str, entry: Entry, target: str | None = None) -> str:
    return reverse(key, kwargs={entry.kwarg: w.ids[target or entry.target]})


def _send(client: Client, method: str, url: str, entry: Entry, w: World) -> tuple[Any, str]:
    data = entry.data(w) if entry.data else {}
    if url.startswith("/api/") and method == "POST":
        # Each write carries a fresh Idempotency-Key: nothing is a replay.
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        if entry.multipart:
            response = client.post(url, data, headers=headers)
        else:
            response = client.post(
                url, json.dumps(data), content_type="application/json", headers=headers
            )
    elif method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data)
    return response, text_of(response)


def _refusal_problem(w: World, actor: str, url: str, response: Any, body: str) -> str:
    """Return what is wrong with an attacker's answer, or "" for a clean refusal."""
    leaked = [c for c in w.canaries if c in body and c not in url]
    if leaked:
        return f"{response.status_code} showing {leaked}"
    status, login = response.status_code, reverse("account_login")
    if status == 302:
        return "" if response["Location"].startswith(login) else f"302 to {response['Location']}"
    return "" if status in (401, 403, 404) else f"answered {status}, not a refusal"


def _cells(w: World) -> list[tuple[str, Entry, str, str, str]]:
    return [
        (key, entry, method, _url(w, key, entry), actor)
        for key, entry in MATRIX.items()
        for method in entry.methods
        for actor in (*ATTACKERS, *entry.also)
    ]


@pytest.fixture
def world(settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> World:
    with django_capture_on_commit_callbacks(execute=True):
        built = world_build(settings, tmp_path)
    mail.outbox.clear()
    return built


# --- Tests ------------------------------------------------------------------------------------


def test_p_sec_2_every_support_object_url_is_in_the_matrix() -> None:
    found = support_object_keys()
    assert not found - MATRIX.keys(), f"After-sales URLs not in MATRIX: {found - MATRIX.keys()}"
    assert not MATRIX.keys() - found, f"MATRIX names no longer existing: {MATRIX.keys() - found}"
    assert OPEN_TO_OTHERS.keys() == {k for k, e in MATRIX.items() if e.public}
    assert all(e.owners or e.public for e in MATRIX.values())


def test_p_sec_2_no_actor_reaches_or_changes_anothers_support_objects(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    clients = {actor: client_for(world, actor) for actor in ACTORS}
    before = snapshot()
    failures, cells = [], _cells(world)
    for key, entry, method, url, actor in cells:
        with django_capture_on_commit_callbacks(execute=True) as after_commit:
            response, body = _send(clients[actor], method, url, entry, world)
        problem = _refusal_problem(world, actor, url, response, body)
        if after_commit:
            problem += f" and queued {len(after_commit)} after-commit step(s)"
        if problem:
            failures.append(f"{actor:18} {method:5} {url} [{key}]: {problem}")
        now = snapshot()
        if now != before:
            changed = [name for name in before if before[name] != now[name]]
            failures.append(f"{actor:18} {method:5} {url} [{key}]: changed {changed}")
            before = now
    print(f"\nSEC-2 after-sales matrix: {len(cells)} cells over {len(MATRIX)} URLs")
    assert not failures, f"{len(failures)} of {len(cells)} cells leak:\n" + "\n".join(failures)
    floor = sum(len(e.methods) * (len(ATTACKERS) + len(e.also)) for e in MATRIX.values())
    assert len(cells) == floor and len(MATRIX) == len(support_object_keys())


OWNED = [
    (key, method, owner)
    for key, entry in MATRIX.items()
    for method in entry.methods
    for owner in entry.owners or (entry.public[1],)  # type: ignore[index]
]


@pytest.mark.parametrize(("key", "method", "owner"), OWNED)
def test_p_sec_2_owner_reaches_own_support_object(
    world: World, django_capture_on_commit_callbacks: Any, key: str, method: str, owner: str
) -> None:
    """Positive control: the same requests succeed for the owner, so the matrix is real."""
    entry = MATRIX[key]
    if entry.prepare is not None:
        entry.prepare(world)
    url = _url(world, key, entry, entry.public[0] if entry.public else None)
    with django_capture_on_commit_callbacks(execute=True):
        response, body = _send(client_for(world, owner), method, url, entry, world)
    status = response.status_code
    assert status in (200, 201, 302), (owner, method, url, status, body[:2000])
    if status == 302:
        assert not response["Location"].startswith(reverse("account_login")), (owner, url)
        refused = [
            str(m) for m in get_messages(response.wsgi_request) if m.level >= message_levels.ERROR
        ]
        assert not refused, (owner, method, url, refused)
    if method == "GET" and status == 200 and entry.personal and not entry.public:
        assert any(c in body for c in world.canaries), f"{url} shows {owner} nothing known"


def _list_urls(w: World) -> list[str]:
    """The after-sales pages and API reads without an identifier in their path, and the
    chat form, which names its claim or order in the query string."""
    urls = set()
    for pattern, key in walk(get_resolver().url_patterns):
        namespace = key.split(":")[0]
        support_api = namespace == "api-v1" and api_module(pattern).startswith(
            "recommerce.support."
        )
        if (namespace in SUPPORT_NAMESPACES or support_api) and not pattern.pattern.regex.groups:
            urls.add(reverse(key))
    chat = reverse("support:chat_new")
    urls |= {f"{chat}?claim={w.ids['claim_open']}", f"{chat}?order={w.ids['open_order']}"}
    urls |= {f"{reverse('staff_support:reviews')}?status=hidden"}
    return sorted(urls)


def test_p_sec_2_lists_show_no_one_elses_support_objects(world: World) -> None:
    urls = _list_urls(world)
    assert {"/account/support/claims/", "/api/v1/seller/claims"} <= set(urls)
    before, failures = snapshot(), []
    outsiders = [a for a in ATTACKERS if a != "S1 catalog member"]  # S1's own reviews page
    for actor in outsiders:
        client = client_for(world, actor)
        for url in urls:
            response = client.get(url)
            raw = text_of(response)
            leaked = [c for c in world.canaries if c in raw and c not in url]
            if leaked or response.status_code >= 500:
                failures.append(f"{actor} GET {url}: {response.status_code} {leaked}")
    print(f"\nSEC-2 after-sales lists: {len(urls)} URLs x {len(outsiders)} actors")
    assert not failures, "\n".join(failures)
    assert snapshot() == before
    # Positive control: the owners' lists show the objects.
    for actor, url, expected in [
        ("buyer A", "/account/support/claims/", world.ids["claim_open"]),
        ("buyer A", "/account/support/messages/", world.ids["open_order"]),
        ("S1 orders member", "/account/seller/support/claims/", world.ids["claim_open"]),
        ("S1 key", "/api/v1/seller/claims", world.ids["claim_open"]),
        ("customer service", "/staff/support/claims/", world.ids["claim_escalated"]),
        ("customer service", "/staff/support/reviews/?status=hidden", HIDDEN_TEXT),
    ]:
        body = client_for(world, actor).get(url).content.decode()
        assert expected in body, (actor, url, expected)
