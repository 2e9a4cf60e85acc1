"""Hardening 2.2: every look at personal data in the admin is a staff access row (SEC-1).

The walk covers every model registered in the admin that the privacy registry says holds
personal fields, directly or through the inlines its page shows: a world holds one row of
each, all about one person, and each page (the object, its deletion and history pages, and
the list when its columns show personal fields) must write a row naming that person.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from recommerce.accounts import roles
from recommerce.accounts.models import Seller, User
from recommerce.accounts.services import companies, sellers
from recommerce.orders.models import InsurancePolicy, Order, TrackingEvent
from recommerce.payments.models import Chargeback, InstalmentPlan, Refund, WebhookEvent
from recommerce.platform import clock
from recommerce.privacy.models import StaffAccess
from recommerce.privacy.registry import registry
from tests.accounts.conftest import make_staff, make_user
from tests.orders.conftest import make_order, make_seller

pytestmark = pytest.mark.django_db

# Rows whose registry subject names nobody with an account: logged without a person.
NOBODY = {"accounts.Seller", "payments.WebhookEvent"}
# Lists whose columns show nothing personal (a seller's profile, provider message ids).
LIST_NOT_PERSONAL = {"accounts.Seller", "payments.WebhookEvent", "accounts.Company"}


def _inline_models(model_admin: Any) -> list[type[models.Model]]:
    return [inline.model for inline in model_admin.inlines]


def personal_admin_models() -> dict[type[models.Model], Any]:
    """Every admin-registered model whose page shows personal data (itself or inlines)."""
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if registry.fields_of(model)
        or any(registry.fields_of(m) for m in _inline_models(model_admin))
    }


@pytest.fixture
def person(settings: Any) -> User:
    """One person with a row in every admin-registered model holding personal data."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = make_user("quentin.admin-walk@example.test", full_name="Quentin Walk")
    side = make_seller("Walk Refurb")
    order = make_order(person, side, insured_units=1, insurance_unit_minor=1000)
    line = order.lines.get()
    InsurancePolicy.objects.create(
        line=line, insurer="sandbox", quote_id="q1", policy_number="POL-1", premium_minor=1000,
        cover="12 months",
    )  # fmt: skip
    TrackingEvent.objects.create(
        order=order, code="in_transit", description="On its way", location="Lyon",
        occurred_at=clock.now(),
    )  # fmt: skip
    payment = order.payment
    InstalmentPlan.objects.create(payment=payment, count=3, schedule=[])
    Refund.objects.create(
        payment=payment, idempotency_key="walk-refund", amount_minor=100, reason="scratch"
    )
    Chargeback.objects.create(
        payment=payment, provider_dispute_id="dp_walk", amount_minor=100, reason="fraudulent"
    )
    WebhookEvent.objects.create(
        provider="sandbox", event_id="evt_walk", type="payment.captured",
        object_id=payment.provider_payment_id, payload={"amount": 100},
    )  # fmt: skip
    companies.company_create(owner=person, legal_name="Walk Trading SAS", country="FR")
    seller = sellers.seller_onboarding_start(
        user=make_user(), name="Walk Devices", legal_name="Walk Devices SAS", country="FR"
    )
    sellers.seller_bank_account_set(
        seller=seller,
        actor=seller.memberships.get().user,
        iban="FR7630006000011234567890189",
        account_holder="Quentin Walk",
    )
    TOTP.activate(person, generate_totp_secret())
    app = SocialApp.objects.create(provider="google", name="Google", client_id="c", secret="s")
    account = SocialAccount.objects.create(user=person, provider="google", uid="g-walk")
    SocialToken.objects.create(app=app, account=account, token="t", token_secret="s")
    return person


def superuser() -> Client:
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def the_row(model: type[models.Model], person: User) -> models.Model:
    label = model._meta.label
    if label == "accounts.User":
        return person
    if label == "accounts.Seller":
        return Seller.objects.get(name="Walk Devices")
    found = model._base_manager.order_by("pk").first()
    assert found is not None, f"the world holds no {label}: add one to the person fixture"
    return found


def new_rows(since: int) -> list[tuple[int | None, str]]:
    return list(
        StaffAccess.objects.filter(pk__gt=since).order_by("pk").values_list("subject_id", "what")
    )


def last_pk() -> int:
    return StaffAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_p_sec_1_every_admin_page_of_a_person_writes_an_access_row(person, page):
    """Hardening 2.2: the object's page, its deletion and history pages log the look."""
    labels = {model._meta.label for model in personal_admin_models()}
    assert {
        "accounts.User", "accounts.Seller", "accounts.Company", "orders.Order",
        "orders.InsurancePolicy", "payments.Payment", "payments.Refund", "payments.Chargeback",
        "payments.WebhookEvent", "account.EmailAddress", "mfa.Authenticator",
        "socialaccount.SocialAccount", "socialaccount.SocialToken",
    } == labels, "a model was added to the admin: give the person fixture a row of it"  # fmt: skip
    client = superuser()
    failures = []
    for model in personal_admin_models():
        obj = the_row(model, person)
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=[obj.pk]
        )
        since = last_pk()
        response = client.get(url)
        if response.status_code == 403 and page == "delete":
            continue  # a read-only admin shows no deletion page, so nothing to log
        rows = new_rows(since)
        if registry.fields_of(model):
            subject = None if model._meta.label in NOBODY else person.pk
            ok = (subject, f"admin: {model._meta.verbose_name} {obj.pk}") in rows
        elif page == "change":  # only its inlines are personal: their rows name the person
            ok = any(subject == person.pk for subject, _ in rows)
        else:  # its deletion and history pages show the object alone: nothing personal
            ok = rows == []
        if response.status_code != 200 or not ok:
            failures.append(f"{model._meta.label} {page}: {response.status_code} {rows}")
    assert not failures, "\n".join(failures)


def test_p_sec_1_every_admin_list_showing_personal_fields_writes_an_access_row(person):
    """Hardening 2.2: a list whose columns show personal data logs each person on the page."""
    client = superuser()
    failures = []
    for model in personal_admin_models():
        since = last_pk()
        response = client.get(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        )
        rows = new_rows(since)
        what = f"admin: {model._meta.verbose_name_plural} list"
        if model._meta.label in LIST_NOT_PERSONAL:
            ok = response.status_code == 200 and rows == []
        else:
            ok = response.status_code == 200 and (person.pk, what) in rows
        if not ok:
            failures.append(f"{model._meta.label} list: {response.status_code} {rows}")
    assert not failures, "\n".join(failures)


def test_p_sec_1_customer_service_reading_an_order_in_the_admin_is_logged(person):
    """Hardening 2.2: the buyer's address and phone seen by support name the buyer; staff
    the admin refuses saw nothing, and leave no row."""
    order = Order.objects.get(buyer=person)
    refused = Client()
    refused.force_login(make_staff(None))
    since = last_pk()
    assert refused.get(reverse("admin:orders_order_change", args=[order.pk])).status_code == 403
    assert new_rows(since) == []
    support = make_staff(roles.CUSTOMER_SERVICE)
    client = Client()
    client.force_login(support)
    since = last_pk()

    response = client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert response.status_code == 200
    assert order.delivery_phone in response.content.decode()
    access = StaffAccess.objects.get(pk__gt=since)
    assert (access.staff, access.subject, access.what) == (
        support,
        person,
        f"admin: order {order.pk}",
    )
    assert access.path == f"/admin/orders/order/{order.pk}/change/"


def test_p_sec_1_finance_reading_a_seller_account_holder_in_the_admin_is_logged(person):
    """Hardening 2.2: the payout account holder seen by finance is a logged look."""
    finance = make_staff(roles.FINANCE)
    client = Client()
    client.force_login(finance)
    seller = Seller.objects.get(name="Walk Devices")
    since = last_pk()

    response = client.get(reverse("admin:accounts_seller_change", args=[seller.pk]))

    assert response.status_code == 200
    assert "Quentin Walk" in response.content.decode()
    assert new_rows(since) == [(None, f"admin: seller {seller.pk}")]


def test_p_sec_1_a_company_page_logs_the_members_its_inline_shows(person):
    """Hardening 2.2: an inline's rows (a company's members) are looks at those people."""
    company = person.company_memberships.get().company
    since = last_pk()

    response = superuser().get(reverse("admin:accounts_company_change", args=[company.pk]))

    assert response.status_code == 200
    assert (person.pk, f"admin: company membership {person.company_memberships.get().pk}") in (
        new_rows(since)
    )
