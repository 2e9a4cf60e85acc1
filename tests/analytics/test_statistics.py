"""The staff statistics page: aggregates only, small groups hidden (RETAIN-2), permission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from recommerce.analytics.models import PageView, ProductView
from recommerce.analytics.selectors import Row
from tests import factories as f
from tests.accounts.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db

URL = "/staff/analytics/"


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.PRIVACY_MIN_GROUP = 5


@pytest.fixture
def analyst(client):
    staff = make_staff(None, "analyst@recommerce.example")
    staff.user_permissions.add(Permission.objects.get(codename="view_statistics"))
    client.force_login(staff)
    return client


def noon(days_ago: int) -> dt.datetime:
    today = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return today - dt.timedelta(days=days_ago)


def label(when: dt.datetime) -> str:
    day = when.date()
    return f"{day:%a} {day.day} {day:%b %Y}"


def seen(when: dt.datetime, *, visitors: int, views: int, prefix: str) -> None:
    """Record ``views`` page views at ``when`` spread over ``visitors`` distinct visitors."""
    PageView.objects.bulk_create(
        PageView(path="/", visitor=f"{prefix}{n % visitors}", created_at=when) for n in range(views)
    )


def test_the_page_needs_the_statistics_permission(client):
    assert client.get(URL).status_code == 302  # sign in first
    assert reverse("analytics_staff:statistics") == URL
    client.force_login(make_user())
    assert client.get(URL).status_code == 404  # not staff: the address reveals nothing
    client.force_login(make_staff(None))
    assert client.get(URL).status_code == 403


def test_retain_2_a_day_with_fewer_visitors_than_the_threshold_shows_no_number(analyst):
    busy, quiet, small = noon(1), noon(2), noon(3)
    seen(busy, visitors=6, views=9, prefix="a")
    seen(quiet, visitors=5, views=5, prefix="b")
    seen(small, visitors=2, views=47, prefix="c")
    # Views of visitors who cannot be told apart count as views, never as visitors.
    PageView.objects.create(path="/", visitor=None, created_at=busy)

    response = analyst.get(URL)

    assert response.status_code == 200
    assert response.context["daily"] == [
        Row(label(busy), 10, 6, False),
        # Shown, it would give the small day back from any total: hidden with it.
        Row(label(quiet), None, None, True, secondary=True),
        Row(label(small), None, None, True),
    ]
    page = response.content.decode()
    assert "fewer than 5 visitors" in page
    assert ">47<" not in page and ">2<" not in page


def test_retain_2_top_products_per_week_hide_small_groups(analyst):
    iphone = f.variant(f.device_model("iPhone 13"), storage_gb=128, colour="Blue")
    galaxy = f.variant(f.device_model("Galaxy S22", brand_name="Samsung"), colour="White")
    pixel = f.variant(f.device_model("Pixel 7", brand_name="Google"), colour="Snow")
    monday = noon(timezone.localtime().weekday())
    for variant, visitors, views in ((iphone, 7, 12), (galaxy, 6, 6), (pixel, 1, 30)):
        ProductView.objects.bulk_create(
            ProductView(variant=variant, visitor=f"v{n % visitors}", created_at=monday)
            for n in range(views)
        )

    weeks = analyst.get(URL).context["weekly"]

    assert [week.starts_on for week in weeks] == [monday.date()]
    assert weeks[0].rows == [
        Row(str(iphone), 12, 7, False),
        Row(str(galaxy), None, None, True, secondary=True),
        Row(str(pixel), None, None, True),
    ]


def test_retain_2_without_views_the_page_says_so(analyst):
    page = analyst.get(URL).content.decode()
    assert "No page views yet." in page
    assert "No product views yet." in page
