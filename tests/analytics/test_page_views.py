"""Page and product views are counted only with analytics consent, first party, minimally."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recommerce.analytics.models import PageView, ProductView
from recommerce.analytics.services import visitor_key
from recommerce.privacy import purposes
from recommerce.privacy.services.erasure import erasure_start
from recommerce.privacy.services.limits import processing_limit_set
from recommerce.privacy.services.retention import retention_run
from tests import factories as f
from tests.accounts.conftest import make_staff, make_user
from tests.analytics.conftest import consent_cookie

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    variant = f.variant(f.device_model("iPhone 13"))
    f.offer(variant, grade="good", price_minor=45_900)
    return variant


def views() -> list[tuple[str, str, str | None, int | None]]:
    return list(
        PageView.objects.order_by("id").values_list("path", "referrer_host", "visitor", "user_id")
    )


def test_consent_1_without_a_choice_no_page_or_product_view_is_recorded(client, product):
    assert client.get("/").status_code == 200
    assert client.get(product.get_absolute_url()).status_code == 200
    assert client.get("/search/", {"q": "iphone"}).status_code == 200
    assert PageView.objects.count() == 0
    assert ProductView.objects.count() == 0


def test_consent_1_analytics_refused_records_nothing(client, product):
    consent_cookie(client, "preferences")
    assert client.get("/").status_code == 200
    assert client.get(product.get_absolute_url()).status_code == 200
    assert PageView.objects.count() == 0
    assert ProductView.objects.count() == 0


def test_consent_1_with_analytics_each_page_view_is_one_row_with_its_exact_path(client):
    consent_cookie(client, "analytics", browser_id="browser-one")
    browser = visitor_key(browser_id="browser-one")
    client.get("/search/", {"q": "iphone"})
    client.get("/search/", {"q": "galaxy"}, HTTP_REFERER="https://www.Example.org/a?b=c")
    client.get("/?utm_source=letter", HTTP_REFERER="http://testserver/search/?q=iphone")
    assert views() == [
        ("/search/", "", browser, None),
        ("/search/", "www.example.org", browser, None),
        ("/", "", browser, None),
    ]
    # The hash stands for the browser and is not the consent record's hash of the same id.
    assert browser is not None and len(browser) == 64
    assert browser != visitor_key(browser_id="browser-two")
    assert ProductView.objects.count() == 0


def test_consent_1_a_product_page_records_the_page_and_its_variant(client, product):
    consent_cookie(client, "analytics", browser_id="browser-one")
    url = product.get_absolute_url()
    assert client.get(url, {"grade": "good"}).status_code == 200
    browser = visitor_key(browser_id="browser-one")
    assert views() == [(url, "", browser, None)]
    assert list(ProductView.objects.values_list("variant_id", "visitor", "user_id")) == [
        (product.pk, browser, None)
    ]


def test_an_anonymous_view_costs_exactly_two_inserts_on_a_product_page(client, product):
    url = product.get_absolute_url()
    consent_cookie(client, "preferences")
    client.get(url)  # fills the page caches
    with CaptureQueriesContext(connection) as refused:
        client.get(url)
    consent_cookie(client, "analytics")
    with CaptureQueriesContext(connection) as allowed:
        client.get(url)
    ours = [q["sql"] for q in allowed.captured_queries if "analytics_" in q["sql"]]
    assert [sql.split()[0] for sql in ours] == ["INSERT", "INSERT"]
    assert len(allowed.captured_queries) == len(refused.captured_queries) + 2


def test_a_signed_in_person_is_one_visitor_and_linked_to_the_view(client):
    person = make_user("ines@example.com")
    client.force_login(person)
    consent_cookie(client, "analytics", browser_id="browser-one")
    client.get("/")
    assert views() == [("/", "", visitor_key(user=person), person.pk)]


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/search/", {"HTTP_HX_REQUEST": "true"}),  # an htmx fragment of a counted page
        ("/no-such-page/", {}),  # 404
        ("/api/v1/categories", {}),  # JSON
        ("/account/profile/", {}),  # personal area
        ("/privacy/mine/", {}),  # personal area
        ("/staff/", {}),  # staff tools
    ],
)
def test_only_full_public_html_pages_are_counted(client, path, extra):
    client.force_login(make_user())
    consent_cookie(client, "analytics")
    client.get(path, **extra)
    assert PageView.objects.count() == 0


def test_a_form_post_is_not_a_page_view(client, product):
    consent_cookie(client, "analytics")
    client.post(reverse("checkout:cart_add"), {"variant": product.pk})
    assert PageView.objects.count() == 0


def test_staff_browsing_the_shop_is_not_counted(client, product):
    client.force_login(make_staff(None))
    consent_cookie(client, "analytics")
    assert client.get(product.get_absolute_url()).status_code == 200
    assert PageView.objects.count() == 0
    assert ProductView.objects.count() == 0


def test_consent_7_an_objection_to_analytics_stops_the_counting(client, product):
    person = make_user()
    processing_limit_set(user=person, purpose=purposes.ANALYTICS, kind="objection")
    client.force_login(person)
    consent_cookie(client, "analytics")
    assert client.get(product.get_absolute_url()).status_code == 200
    assert PageView.objects.count() == 0
    assert ProductView.objects.count() == 0


def test_right_3_erasing_a_person_deletes_their_page_and_product_views(product):
    person, other = make_user(), make_user()
    for who, browser in ((person, "browser-one"), (other, "browser-two")):
        client = Client()
        client.force_login(who)
        consent_cookie(client, "analytics", browser_id=browser)
        client.get("/")
        client.get(product.get_absolute_url())
    anonymous = consent_cookie(Client(), "analytics", browser_id="browser-three")
    anonymous.get("/")
    assert PageView.objects.filter(user=person).count() == 2
    assert ProductView.objects.filter(user=person).count() == 1

    record = erasure_start(user=person)

    assert record.erased_at is not None
    assert PageView.objects.filter(user=person).count() == 0
    assert ProductView.objects.filter(user=person).count() == 0
    assert PageView.objects.filter(visitor=visitor_key(user=person)).count() == 0
    # Other people's views stay.
    assert PageView.objects.filter(user=other).count() == 2
    assert ProductView.objects.filter(user=other).count() == 1
    assert PageView.objects.filter(user__isnull=True).count() == 1


def test_retain_1_views_go_thirteen_months_after_they_were_made(product):
    now = timezone.now()
    old = PageView.objects.create(path="/", visitor="v1", created_at=now - dt.timedelta(days=396))
    kept = PageView.objects.create(path="/", visitor="v2", created_at=now - dt.timedelta(days=394))
    ProductView.objects.create(variant=product, created_at=now - dt.timedelta(days=400))

    retention_run(now=now)

    assert not PageView.objects.filter(pk=old.pk).exists()
    assert list(PageView.objects.values_list("pk", flat=True)) == [kept.pk]
    assert ProductView.objects.count() == 0
