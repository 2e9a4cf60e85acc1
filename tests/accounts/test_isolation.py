"""SEC-2: nobody reaches another's objects (reliability.md, "IDOR / BOLA").

Every URL of the project that takes an object identifier is requested by every actor who is
not the object's owner (anonymous, another buyer, another seller, another company's admin,
staff without the permission), with each method it accepts. Each answer must be a refusal
(login redirect, 401, 403, 404) that shows none of the victims' distinctive values
("canaries"), and nothing of the victims' may change. The owners are the positive control.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recommerce.accounts import roles
from recommerce.accounts.models import (
    Address,
    CompanyInvitation,
    CompanyMembership,
    Seller,
    SellerApiKey,
    SellerDocument,
    SellerInvitation,
    SellerMembership,
    User,
)
from recommerce.accounts.services import companies, sellers, users
from recommerce.accounts.services.api_keys import seller_api_key_issue
from recommerce.checkout.models import CartLine, Checkout
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.checkout.services.checkout import checkout_start
from recommerce.offers.services import offer_create
from recommerce.payments.models import Payment
from recommerce.privacy import purposes
from recommerce.privacy.models import (
    AuditEvent,
    DataRequest,
    DataRequestEvent,
    ErasureRecord,
    ExportArchive,
    ProcessingLimit,
)
from recommerce.privacy.services.account import account_request_submit
from recommerce.privacy.services.exports import export_build, export_request
from recommerce.privacy.services.limits import processing_limit_set
from tests import factories
from tests.accounts.conftest import PASSWORD
from tests.support.keys import support_object_keys

pytestmark = pytest.mark.django_db

A_NAME, A_EMAIL, A_PHONE = "Zebulon Quixwhistle", "zebulon.quix@example.test", "+33647291853"
A_STREET, C1_STREET = "17 Rue des Canaris Bleus", "9 Impasse du Narval"
C1_NAME, C1_ADMIN_NAME = "Pangolin Logistique SARL", "Clementine Okonkwo-Barrat"
INVITEE_EMAIL = "ines.invitee-q7@example.test"
SELLER_INVITEE_EMAIL = "otto.seller-invitee-z3@example.test"
S1_NAME, S1_HOLDER, S1_IBAN = "Quokka Refurb Atelier", "Ottoline Vanderquist", "FR76300060000112"
S1_IBAN += "34567890189"
S3_NAME, S3_HOLDER, S3_IBAN = "Axolotl Phones Lab", "Barnaby Fitzwarren", "DE89370400440532013000"
RETURN_STREET = "3 Quai des Quokkas"

ATTACKERS = ("anonymous", "buyer B", "seller S2 owner", "company C2 admin", "finance staff")
ACTOR_ATTR = dict(zip(ATTACKERS[1:], ("b", "s2_owner", "c2_admin", "finance"), strict=True))
ADDRESS_FORM = {"kind": "delivery", "full_name": "Mallory", "line1": "1 Mallory Street"}
ADDRESS_FORM |= {"postal_code": "75001", "city": "Paris", "country": "FR", "is_default": "on"}


@dataclass(frozen=True)
class Entry:
    """An object URL: its argument, (victim object, its owner) pairs, methods, a body."""

    kwarg: str
    targets: tuple[tuple[str, str | None], ...]
    methods: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)
    refuses_with_400: bool = False  # accepting an invitation may answer "not yours" (400)
    personal: bool = True  # False: the owner's answer shows only the object's state


MEDIA_TRICKS = {
    "doc_path": "{name}",
    "doc_old_path": "private/{name}",
    "doc_double_slash": "/private/{name}",
    "doc_encoded_slash": "private%2F{quoted}",
    "doc_dots": "catalog/../private/{name}",
    "doc_encoded_dots": "catalog/%2e%2e/private/{name}",
    "doc_upper": "PRIVATE/{name}",
    "doc_catalog_upper": "Catalog/../private/{name}",
}
ADDRESSES = (("a_home", "a"), ("c1_address", "c1_admin"))
CHECKOUTS = (("checkout", "a"),)
CART_LINES = (("cart_line", "a"),)
MATRIX: dict[str, Entry] = {
    "accounts:address_edit": Entry("address_id", ADDRESSES, ("GET", "POST"), ADDRESS_FORM),
    "accounts:address_delete": Entry("address_id", ADDRESSES, ("POST",)),
    "accounts:invitation": Entry("token", (("invitation", "invitee"),), ("GET", "POST"), {}, True),
    "accounts:seller_invitation": Entry(
        "token", (("seller_invitation", "seller_invitee"),), ("GET", "POST"), {}, True
    ),
    "accounts:seller_document": Entry("token", (("doc_token", "s1_owner"),), ("GET", "POST")),
    "accounts:api_key_revoke": Entry("key_id", (("key_id", "s1_owner"),), ("POST",)),
    "staff:person": Entry("user_id", (("a_id", "cs"),), ("GET", "POST")),
    "staff:person_recording_objection": Entry("user_id", (("a_id", "cs"),), ("POST",)),
    "staff:seller_review": Entry(
        "seller_id", (("s3_id", "admin_staff"),), ("GET", "POST"), {"reason": "Mallory says no"}
    ),
    "api-v1:address_update": Entry("address_id", ADDRESSES, ("PATCH",), {"line1": "1 Mallory St"}),
    "api-v1:address_delete": Entry("address_id", ADDRESSES, ("DELETE",)),
    "api-v1:company_join": Entry("token", (("invitation", "invitee"),), ("POST",), {}, True),
    # Hardening 6 (PLAT-3): the app's privacy rights, each on the person's own objects.
    "api-v1:export_detail": Entry("export_id", (("export", "a"),), ("GET",), personal=False),
    "api-v1:export_download": Entry("export_id", (("export", "a"),), ("POST",)),
    "api-v1:request_detail": Entry("reference", (("dsr", "a"),), ("GET",)),
    "api-v1:limit_lift": Entry("purpose", (("a_limit", "a"),), ("DELETE",)),
    "checkout:checkout": Entry("reference", CHECKOUTS, ("GET", "POST"), {"action": "pay"}),
    "checkout:return": Entry("reference", CHECKOUTS, ("GET",)),
    "checkout:cancelled": Entry("reference", CHECKOUTS, ("GET",)),
    "checkout:done": Entry("reference", CHECKOUTS, ("GET",)),
    "checkout:cart_line": Entry("line_id", CART_LINES, ("POST",), {"quantity": "0"}),
    "api-v1:cart_line_update": Entry("line_id", CART_LINES, ("PATCH",), {"quantity": 0}),
    "api-v1:cart_line_delete": Entry("line_id", CART_LINES, ("DELETE",)),
    "api-v1:checkout_get": Entry("reference", CHECKOUTS, ("GET",)),
    "api-v1:checkout_patch": Entry("reference", CHECKOUTS, ("PATCH",), {"plan": "x3"}),
    "api-v1:checkout_pay": Entry("reference", CHECKOUTS, ("POST",), {}),
    "api-v1:checkout_confirm": Entry("reference", CHECKOUTS, ("POST",)),
    # The public pictures' route, asked for a seller's document by every path trick (2.1):
    # the document is sealed in private storage, and a plain copy is left where the old
    # layout kept it, under MEDIA_ROOT; no spelling may reach either. No owner page.
    "media": Entry("name", tuple((key, None) for key in MEDIA_TRICKS), ("GET",)),
}
# Object URLs with no personal data: the public catalog and offers.
PUBLIC = {"api-v1:product_detail"}
# The privacy notice in each language, and each published version, are public documents.
PUBLIC |= {"privacy:notice", "privacy:notice-version"}
# Links whose token is the credential of someone without an account: the parent asked to
# authorise a minor holds the emailed link, which names only the child's first name.
CAPABILITY_LINKS = {"accounts:parental_consent"}
# A request's reference, emailed to the requester, opens pages that show only the
# request's kind and dates: the emailed code is still needed.
CAPABILITY_LINKS |= {
    "privacy:request-verify",
    "privacy:request-resend",
    "privacy:request-document",
}
SKIPPED_NAMESPACES = {"admin", "headless", "catalog", "offers"}
# Object URLs with a matrix of their own, next to the orders and money they need: the URL
# key, the test file, and what that file must request (checked below, so none drifts away).
OWN_MATRICES: dict[str, tuple[str, str]] = {
    "orders:detail": ("orders/test_order_isolation.py", 'reverse("orders:detail"'),
    "orders:cancel": ("orders/test_order_isolation.py", 'reverse("orders:cancel"'),
    "orders:received": ("orders/test_order_isolation.py", 'reverse("orders:received"'),
    "orders:invoice": ("orders/test_order_isolation.py", 'reverse("orders:invoice"'),
    "orders:certificate": ("orders/test_order_isolation.py", 'reverse("orders:certificate"'),
    "seller_orders:detail": ("orders/test_order_isolation.py", '"seller_orders:detail"'),
    "staff_orders:held_review": ("orders/test_order_isolation.py", '"staff_orders:held_review"'),
    "api-v1:order_detail": ("orders/test_order_isolation.py", '"/api/v1/orders/{order.number}"'),
    "api-v1:order_cancel": ("orders/test_order_isolation.py", "/api/v1/orders/{order.number}/can"),
    "api-v1:order_received": ("orders/test_order_isolation.py", "/orders/{order.number}/received"),
    "api-v1:seller_order_detail": ("orders/test_order_isolation.py", "/api/v1/seller/orders/{o"),
    "api-v1:seller_order_accept": ("orders/test_order_isolation.py", "/api/v1/seller/orders/{o"),
    "api-v1:seller_order_ship": ("orders/test_order_isolation.py", "/api/v1/seller/orders/{o"),
    "api-v1:seller_order_cancel": ("orders/test_order_isolation.py", "/api/v1/seller/orders/{o"),
    "api-v1:seller_order_refund": ("orders/test_order_isolation.py", "/api/v1/seller/orders/{o"),
    "seller_finance:invoice": ("orders/test_statements.py", 'f"invoices/{invoice.pk}/"'),
    "seller_finance:invoice_pdf": ("orders/test_statements.py", 'f"invoices/{invoice.pk}/pdf/"'),
    "staff_finance:approve": ("orders/test_payouts_pages.py", "/approve/"),
    "staff_finance:send": ("orders/test_payouts_pages.py", "/send/"),
    "privacy_staff:request": ("privacy/test_dpo_console.py", '("get", "{ref}/")'),
    "marketing:unsubscribe": ("marketing/test_isolation.py", 'reverse("marketing:unsubscribe"'),
    "marketing:newsletter-confirm": (
        "marketing/test_isolation.py",
        'reverse("marketing:newsletter-confirm"',
    ),
    "marketing_staff:campaign": ("marketing/test_isolation.py", '"marketing_staff:campaign"'),
    "marketing_staff:campaign-send": (
        "marketing/test_isolation.py",
        '"marketing_staff:campaign-send"',
    ),
    "privacy_staff:request-document": ("privacy/test_dpo_console.py", '"{ref}/document/"'),
    "platform_staff:outbox-retry": (
        "platform/test_outbox_page.py",
        '"platform_staff:outbox-retry"',
    ),
    "privacy_staff:request-action": ("privacy/test_dpo_console.py", '"{ref}/verify/"'),
    # A data export's link opens it only for its owner signed in, or with the emailed code.
    "privacy:export-download": ("privacy/test_export_links.py", "other.post(link_in(body)"),
}
# The sandbox payment provider's own pages stand for the provider's site: like any hosted
# payment page, whoever holds the session's id may pay it, and it shows only the amount.
# Notifications are authenticated by their signature (tests/payments/test_webhooks.py).
PROVIDER_PAGES = {
    "payments:sandbox_pay", "payments:sandbox_challenge", "payments:sandbox_cancel",
    "payments:webhook",
}  # fmt: skip

# --- the world ------------------------------------------------------------------------------


def _person(email: str, **extra: Any) -> User:
    # A password (hashed with MD5 in these tests) lets every client re-authenticate.
    user = User.objects.create_user(email, PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _staff(email: str, role: str) -> User:
    user = _person(email, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def _address(actor: User, street: str, kind: str = "delivery", **owner: Any) -> Address:
    return users.address_create(
        actor=actor, kind=kind, full_name=A_NAME if "user" in owner else C1_ADMIN_NAME,
        line1=street, postal_code="75011", city="Paris", country="FR", phone=A_PHONE, **owner,
    )  # fmt: skip


def _submitted_seller(owner: User, name: str, holder: str, iban: str) -> Seller:
    seller = sellers.seller_onboarding_start(
        user=owner, name=name, legal_name=f"{name} SAS", country="FR"
    )
    sellers.seller_onboarding_update(
        seller=seller, actor=owner, vat_number="FR40303265045", registration_number="303265045",
        return_line1=RETURN_STREET, return_postal_code="69002", return_city="Lyon",
        return_country="FR",
    )  # fmt: skip
    sellers.seller_bank_account_set(seller=seller, actor=owner, iban=iban, account_holder=holder)
    pdf = SimpleUploadedFile("extract.pdf", b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n")
    sellers.seller_document_add(seller=seller, actor=owner, kind="registration", upload=pdf)
    return sellers.seller_submit(seller=seller, actor=owner)


@pytest.fixture
def world(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for pattern, key, _ in _walk(get_resolver().url_patterns):
        if key == "media" and "document_root" in pattern.default_args:
            # A raw directory view binds its folder at import: point it here too.
            monkeypatch.setitem(pattern.default_args, "document_root", str(tmp_path / "media"))
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    w = SimpleNamespace()
    w.a = _person(A_EMAIL, full_name=A_NAME, phone=A_PHONE, birth_date=dt.date(1990, 5, 17))
    w.a_home = _address(w.a, A_STREET, user=w.a)
    _address(w.a, "4 Allee des Lamantins", kind="billing", user=w.a)
    w.b = _person("bob.other@example.test", full_name="Bob Other")
    w.c1_admin = _person("c1.admin@example.test", full_name=C1_ADMIN_NAME)
    c1 = companies.company_create(owner=w.c1_admin, legal_name=C1_NAME, country="FR")
    w.c1_buyer = _person("c1.buyer@example.test", full_name="Cyril Buyer")
    joined = companies.company_invitation_create(
        company=c1, actor=w.c1_admin, email=w.c1_buyer.email, role="buyer"
    )
    companies.company_invitation_accept(token=joined.token, user=w.c1_buyer)
    w.c1_address = _address(w.c1_admin, C1_STREET, company=c1)
    w.invitee = _person(INVITEE_EMAIL)
    w.invitation = companies.company_invitation_create(
        company=c1, actor=w.c1_admin, email=INVITEE_EMAIL, role="buyer"
    ).token
    w.c2_admin = _person("c2.admin@example.test", full_name="Tess Tapir")
    companies.company_create(owner=w.c2_admin, legal_name="Tapir Trading SARL", country="FR")
    w.admin_staff = _staff("admin.staff@example.test", roles.ADMIN)
    w.s1_owner = _person("s1.owner@example.test", full_name="Sam Owner")
    s1 = _submitted_seller(w.s1_owner, S1_NAME, S1_HOLDER, S1_IBAN)
    sellers.seller_approve(seller=s1, staff=w.admin_staff)  # API keys show to ACTIVE sellers
    issued = seller_api_key_issue(seller=s1, actor=w.s1_owner, name="Sync", scopes=["offers:read"])
    w.key = issued.key
    w.doc = s1.documents.get()
    left_behind = tmp_path / "media" / "private" / w.doc.file.name
    left_behind.parent.mkdir(parents=True)
    with w.doc.file.open("rb") as handle:
        left_behind.write_bytes(handle.read())
    w.seller_invitee = _person(SELLER_INVITEE_EMAIL)
    w.seller_invitation = sellers.seller_invitation_create(
        seller=s1, actor=w.s1_owner, email=SELLER_INVITEE_EMAIL, role="catalog"
    ).token
    w.s2_owner = _person("s2.owner@example.test", full_name="Wanda Wombat")
    sellers.seller_onboarding_start(
        user=w.s2_owner, name="Wombat Devices", legal_name="Wombat SAS", country="FR"
    )
    w.s3 = _submitted_seller(_person("s3.owner@example.test"), S3_NAME, S3_HOLDER, S3_IBAN)
    offer = offer_create(
        seller=Seller.objects.get(pk=s1.pk),
        variant=factories.variant(),
        grade="good",
        price_minor=25_000,
        stock=5,
    )
    cart = cart_for_user(user=w.a)
    w.cart_line = cart_line_add(cart=cart, offer_id=offer.pk, quantity=1)
    w.checkout = checkout_start(user=w.a, cart=cart)
    w.export = export_build(archive=export_request(user=w.a))
    w.dsr = account_request_submit(
        user=w.a, kind="rectification", details=f"My old address {A_STREET} is on invoice F-1."
    )
    processing_limit_set(user=w.a, purpose=purposes.MARKETING_EMAIL, kind="objection")
    w.finance = _staff("finance.staff@example.test", roles.FINANCE)
    w.cs = _staff("cs.staff@example.test", roles.CUSTOMER_SERVICE)
    w.ids = {
        "a_home": w.a_home.pk, "c1_address": w.c1_address.pk, "invitation": w.invitation,
        "seller_invitation": w.seller_invitation, "doc_token": w.doc.token, "key_id": w.key.pk,
        "a_id": w.a.pk, "s3_id": w.s3.pk,
        "checkout": w.checkout.reference, "cart_line": w.cart_line.pk, "export": w.export.pk,
        "dsr": w.dsr.reference, "a_limit": purposes.MARKETING_EMAIL.code,
    }  # fmt: skip
    name = w.doc.file.name
    for key, trick in MEDIA_TRICKS.items():
        w.ids[key] = trick.format(name=name, quoted=name.replace("/", "%2F"))
    w.canaries = [
        A_NAME, A_EMAIL, A_PHONE, A_STREET, C1_STREET, C1_NAME, C1_ADMIN_NAME, INVITEE_EMAIL,
        S1_NAME, S1_HOLDER, S3_NAME, S3_HOLDER, RETURN_STREET, w.doc.token, w.invitation,
        "%PDF-1.4",
        SELLER_INVITEE_EMAIL, w.seller_invitation,
        f"rk_{w.key.prefix}", "•••• " + S1_IBAN[-4:], "•••• " + S3_IBAN[-4:],
    ]  # fmt: skip
    return w


def _user(w: SimpleNamespace, actor: str) -> User | None:
    return getattr(w, ACTOR_ATTR[actor]) if actor in ACTOR_ATTR else None


def _client(user: User | None) -> Client:
    """Sign ``user`` in and re-authenticate, the strongest attacker the pages allow."""
    client = Client()
    if user is not None:
        client.force_login(user)
        answer = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert answer.status_code == 302, answer.content
    return client


def _snapshot(w: SimpleNamespace) -> dict[str, list[dict[str, Any]]]:
    """Every row an attacker might change, with every field."""
    models = (Address, Seller, SellerApiKey, SellerDocument, SellerMembership)
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    rows["CompanyMembership"] = list(CompanyMembership.objects.order_by("pk").values())
    rows["CompanyInvitation"] = list(CompanyInvitation.objects.order_by("pk").values())
    rows["SellerInvitation"] = list(SellerInvitation.objects.order_by("pk").values())
    rows["Checkout"] = list(Checkout.objects.order_by("pk").values())
    rows["CartLine"] = list(CartLine.objects.order_by("pk").values())
    rows["Payment"] = list(Payment.objects.order_by("pk").values())
    rows["User"] = list(User.objects.order_by("pk").values(*[f.attname for f in User._meta.fields]))
    for model in (DataRequest, DataRequestEvent, ExportArchive, ProcessingLimit, ErasureRecord):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    documents = SellerDocument.objects.order_by("pk")
    rows["on disk"] = [{"file": d.file.storage.exists(d.file.name)} for d in documents]
    exports = ExportArchive.objects.exclude(file_name="").order_by("pk")
    rows["on disk"] += [{"export": storages["private"].exists(e.file_name)} for e in exports]
    return rows


# --- requests -------------------------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "", ns: tuple[str, ...] = ()) -> Any:
    """Yield (pattern, key, route) for every URL pattern; key is its full name (or route)."""
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = (*ns, p.namespace) if p.namespace else ns
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            key = ":".join((*ns, p.name or route))
            yield p, "media" if route.startswith("^media/") else key, route


def _skipped(pattern: URLPattern, key: str) -> bool:
    module = getattr(pattern.callback, "__module__", "") or ""
    return module.startswith("allauth") or key.split(":")[0] in SKIPPED_NAMESPACES


def _object_keys() -> set[str]:
    found = set()
    # After-sales URLs have their matrix in tests/support/test_isolation.py, which checks
    # that it covers each of them.
    elsewhere = PUBLIC | CAPABILITY_LINKS | PROVIDER_PAGES | OWN_MATRICES.keys()
    elsewhere |= support_object_keys()
    for pattern, key, _ in _walk(get_resolver().url_patterns):
        if pattern.pattern.regex.groups and not _skipped(pattern, key) and key not in elsewhere:
            found.add(key)
    return found


def _url(w: SimpleNamespace, key: str, entry: Entry, target: str) -> str:
    if key == "media":
        return f"/media/{w.ids[target]}"
    return reverse(key, kwargs={entry.kwarg: w.ids[target]})


def _cells(w: SimpleNamespace) -> list[tuple[str, Entry, str, str, str | None]]:
    """(key, entry, method, url, owner attribute) of every object URL in this project."""
    present = _object_keys()
    return [
        (key, entry, method, _url(w, key, entry, target), owner)
        for key, entry in MATRIX.items()
        if key in present
        for target, owner in entry.targets
        for method in entry.methods
    ]


def _send(client: Client, method: str, url: str, data: dict[str, Any]) -> tuple[Any, str]:
    if url.startswith("/api/"):
        # Money-moving calls need an Idempotency-Key; each request gets a fresh one.
        response = client.generic(
            method, url, json.dumps(data), content_type="application/json",
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )  # fmt: skip
    elif method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data)
    # Reading a streamed body to its end closes it; the test client closes the others. (A
    # second close would fire request_finished and drop the test's database connection.)
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json") and body:
        body += json.dumps(json.loads(body), ensure_ascii=False)  # undo \u escapes
    return response, body


def _refusal_problem(
    w: SimpleNamespace, actor: str, entry: Entry, url: str, response: Any, body: str
) -> str:
    """Return what is wrong with an attacker's answer, or "" for a clean refusal."""
    leaked = [c for c in w.canaries if c in body and c not in url]
    if leaked:
        return f"{response.status_code} showing {leaked}"
    status, login = response.status_code, reverse("account_login")
    if actor == "anonymous":
        ok = status in (401, 403, 404) or (status == 302 and response["Location"].startswith(login))
    else:
        ok = status in (403, 404) or (status == 400 and entry.refuses_with_400)
    return "" if ok else f"answered {status}, not a refusal"


# --- tests ----------------------------------------------------------------------------------


def test_p_sec_2_every_object_url_is_in_the_matrix():
    unknown = _object_keys() - MATRIX.keys()
    assert not unknown, f"Object URLs the SEC-2 matrix cannot fill; add them to MATRIX: {unknown}"
    stale = MATRIX.keys() - _object_keys() - {"media"}
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


def test_p_sec_2_urls_with_their_own_matrix_are_requested_there():
    tests = Path(__file__).resolve().parent.parent
    for key, (path, evidence) in OWN_MATRICES.items():
        assert evidence in (tests / path).read_text(), f"{key}: {path} no longer requests it"
    named = {key for _, key, _ in _walk(get_resolver().url_patterns)}
    assert OWN_MATRICES.keys() | PROVIDER_PAGES <= named


def test_p_sec_2_no_actor_reaches_or_changes_anothers_objects(world):
    clients = {actor: _client(_user(world, actor)) for actor in ATTACKERS}
    before, last_event = _snapshot(world), AuditEvent.objects.order_by("-pk").first()
    failures, sent, judged = [], 0, 0
    cells = _cells(world)
    for key, entry, method, url, _ in cells:
        for actor in ATTACKERS:
            response, body = _send(clients[actor], method, url, entry.data)
            sent += 1
            judged += 1
            problem = _refusal_problem(world, actor, entry, url, response, body)
            if problem:
                failures.append(f"{actor:17} {method:6} {url} [{key}]: {problem}")
    floor = sum(len(e.targets) * len(e.methods) for k, e in MATRIX.items() if k in _object_keys())
    floor *= len(ATTACKERS)
    print(f"\nSEC-2 matrix: {len(cells)} (URL, method) x {len(ATTACKERS)} actors = {sent} cells")
    assert _snapshot(world) == before, "an attacker changed a victim's rows"
    events = AuditEvent.objects.filter(pk__gt=last_event.pk if last_event else 0)
    assert not events.exists(), f"writes audited during the attack: {list(events)}"
    assert not failures, f"{len(failures)} of {judged} judged cells leak:\n" + "\n".join(failures)
    assert sent >= floor > 0, f"only {sent} cells sent; the lists call for {floor}"


OWNED = [(k, m) for k, e in MATRIX.items() for m in e.methods if any(o for _, o in e.targets)]


@pytest.mark.parametrize(("key", "method"), OWNED)
def test_p_sec_2_owner_reaches_own_object(world, key, method):
    """Positive control: the same requests succeed for the owner, so the matrix is real."""
    cells = [c for c in _cells(world) if (c[0], c[2]) == (key, method) and c[4]]
    assert cells, f"{key} is not in this project's URLs"
    login = reverse("account_login")
    for _, entry, _, url, owner in cells:
        response, body = _send(_client(getattr(world, owner)), method, url, entry.data)
        assert response.status_code in (200, 204, 302), (owner, url, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(login), (owner, url)
        if method == "GET" and response.status_code == 200 and entry.personal:
            assert any(c in body for c in world.canaries), f"{url} shows {owner} nothing known"


def _own_pages() -> list[str]:
    """Pages without an identifier that show the signed-in person's own data."""
    urls = set()
    for pattern, key, route in _walk(get_resolver().url_patterns):
        mine = key.split(":")[0] in ("accounts", "staff") or route.startswith("api/v1/me")
        if mine and not pattern.pattern.regex.groups:
            urls.add(reverse(key))
    return sorted(urls)


def test_p_sec_2_own_pages_show_only_own_data(world):
    pages = _own_pages()
    assert {"/account/profile/", "/account/company/", "/account/seller/"} <= set(pages)
    failures, sent = [], 0
    for actor in ATTACKERS:
        client = _client(_user(world, actor))
        for url in pages:
            response, body = _send(client, "GET", f"{url}?{urlencode({'q': A_NAME})}", {})
            sent += 1
            leaked = [c for c in world.canaries if c in body]
            if leaked or response.status_code >= 500:
                failures.append(f"{actor} GET {url}: {response.status_code} {leaked}")
    print(f"\nSEC-2 own pages: {len(pages)} pages x {len(ATTACKERS)} actors = {sent} cells")
    assert not failures, "\n".join(failures)
    assert sent >= len(pages) * len(ATTACKERS) > 0
    # Positive control: the owners do see their canaries on the same pages.
    for owner, url, expected in [
        ("a", "/account/profile/", A_STREET),
        ("c1_buyer", "/account/profile/", C1_STREET),
        ("c1_admin", "/account/company/", INVITEE_EMAIL),
        ("s1_owner", "/account/seller/", f"rk_{world.key.prefix}"),
        ("s1_owner", "/account/seller/", "•••• " + S1_IBAN[-4:]),
    ]:
        _, body = _send(_client(getattr(world, owner)), "GET", url, {})
        assert expected in body, (owner, url, expected)
