"""Cookie banner, cookie settings and consent records (CONSENT-1, CONSENT-2)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from recommerce.privacy.consent import (
    ANALYTICS,
    COOKIE_NAME,
    COOKIES,
    COOKIES_BY_NAME,
    NECESSARY,
    UNDECIDED,
    consent_of,
)
from recommerce.privacy.consent.cookie import COOKIE_MAX_AGE, cookie_parse, cookie_value
from recommerce.privacy.consent.middleware import ConsentMiddleware
from recommerce.privacy.encryption import blind_index
from recommerce.privacy.models import ConsentRecord, NoticeVersion
from tests import factories as f
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
NECESSARY_COOKIES = {"csrftoken", "sessionid", COOKIE_NAME}
BANNER = "data-consent-banner"


def publish(version: str, *, days_ago: int = 0) -> NoticeVersion:
    return NoticeVersion.objects.create(
        version=version,
        published_at=timezone.now() - dt.timedelta(days=days_ago),
        summary="Changes",
        content_en="<p>Notice</p>",
        content_fr="<p>Avis</p>",
        content_hash="0" * 64,
    )


def stored(client) -> tuple[list[str], str, str]:
    """Return the categories, version and browser id in the client's consent cookie."""
    saved = cookie_parse(client.cookies[COOKIE_NAME].value)
    assert saved.choice.decided
    return sorted(saved.choice.categories), saved.choice.version, saved.browser_id


@pytest.fixture
def product_url() -> str:
    f.category("Smartphones", position=1)
    variant = f.variant(f.device_model("iPhone 13"), storage_gb=128)
    f.offer(variant, seller_=f.seller("Strong Refurb"), grade="good", price_minor=45_900)
    return variant.get_absolute_url()


# --- CONSENT-1: the banner ----------------------------------------------------------------


def test_consent_1_banner_on_first_visit_with_three_equal_answers(client):
    html = client.get("/").content.decode()
    assert BANNER in html
    assert 'role="region" aria-labelledby="consent-banner-title"' in html
    assert (
        '<button type="submit" name="choice" value="all" class="button consent-button">'
        "Accept all</button>"
    ) in html
    assert (
        '<button type="submit" name="choice" value="none" class="button consent-button">'
        "Reject all</button>"
    ) in html
    assert '<a class="button consent-button" href="/privacy/cookies/?return=1">Choose</a>' in html
    # The banner comes right after the skip link: first in the keyboard order.
    assert html.index("skip-link") < html.index(BANNER) < html.index("site-header")
    assert '<a href="/privacy/cookies/">Cookie settings</a>' in html


def test_consent_1_without_javascript_the_banner_returns_to_the_page_it_was_on(client):
    # The page's address is not written into the banner (an error page would repeat the
    # reference asked for); the answer goes back to the same-site page it came from.
    response = client.post(
        "/privacy/cookies/banner/", {"choice": "none"}, HTTP_REFERER="http://testserver/cart/"
    )
    assert response["Location"] == "/cart/"
    response = client.post(
        "/privacy/cookies/banner/", {"choice": "none"}, HTTP_REFERER="https://evil.example/x"
    )
    assert response["Location"] == "/"


def test_consent_1_no_banner_after_a_choice(client):
    response = client.post("/privacy/cookies/banner/", {"choice": "none", "next": "/cart/"})
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    assert BANNER not in client.get("/").content.decode()


def test_consent_1_banner_again_after_a_new_notice_version(client):
    publish("2026-01-01", days_ago=30)
    client.post("/privacy/cookies/banner/", {"choice": "all", "next": "/"})
    assert stored(client)[1] == "2026-01-01"
    assert BANNER not in client.get("/").content.decode()
    publish("2026-11-23")
    html = client.get("/").content.decode()
    assert BANNER in html
    assert "Our privacy notice changed: please confirm your cookie choices" in html
    client.post("/privacy/cookies/banner/", {"choice": "all", "next": "/"})
    assert stored(client)[1] == "2026-11-23"
    assert BANNER not in client.get("/").content.decode()


@pytest.mark.parametrize(("answer", "categories"), [("all", ["advertising", "analytics",
                         "preferences"]), ("none", [])])  # fmt: skip
def test_consent_1_accept_all_and_reject_all_set_only_the_consent_cookie(
    client, answer, categories
):
    client.get("/")
    response = client.post("/privacy/cookies/banner/", {"choice": answer, "next": "/"})
    assert set(response.cookies) == {COOKIE_NAME}
    morsel = response.cookies[COOKIE_NAME]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["max-age"] == COOKIE_MAX_AGE
    assert morsel["secure"] == ""  # SESSION_COOKIE_SECURE is off on the test server
    assert stored(client)[0] == categories


def test_consent_1_forged_or_expired_cookie_reads_as_undecided(client):
    good = cookie_value(categories=["analytics"], version="", browser_id="abc")
    body, signature = good.rsplit(":", 1)
    forged = signing.dumps({"v": "", "c": ["analytics", "advertising"], "b": "x"}, salt="other")
    for value in (body + ":" + signature[::-1], forged, "garbage", good + "x"):
        assert cookie_parse(value).choice == UNDECIDED
        client.cookies[COOKIE_NAME] = value
        assert BANNER in client.get("/").content.decode()
        assert client.get("/api/v1/consent").json()["decided"] is False
    # A validly signed cookie naming an unknown category is not trusted either.
    odd = signing.dumps({"v": "", "c": ["tracking"], "b": "x"}, salt="recommerce.privacy.consent")
    assert cookie_parse(odd).choice == UNDECIDED
    assert cookie_parse(good).choice.allows(ANALYTICS) is True


def test_consent_1_a_choice_older_than_six_months_is_asked_again():
    value = cookie_value(categories=["analytics"], version="", browser_id="abc")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=COOKIE_MAX_AGE - 60)):
        assert cookie_parse(value).choice.allows(ANALYTICS) is True
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=COOKIE_MAX_AGE + 60)):
        assert cookie_parse(value).choice == UNDECIDED


def test_consent_1_unsafe_next_goes_home(client):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "/a\r\nX: y"):
        response = client.post("/privacy/cookies/banner/", {"choice": "none", "next": target})
        assert response["Location"] == "/"


def test_consent_1_an_unknown_banner_answer_is_refused_without_a_record(client):
    response = client.post("/privacy/cookies/banner/", {"choice": "some"})
    assert response.status_code == 400
    assert "Choose “Accept all” or “Reject all”" in response.content.decode()
    assert COOKIE_NAME not in response.cookies
    assert ConsentRecord.objects.count() == 0
    wrong_method = client.get("/privacy/cookies/banner/")
    assert wrong_method.status_code == 405


def test_consent_1_banner_answer_by_script_gets_json(client):
    response = client.post(
        "/privacy/cookies/banner/", {"choice": "all"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "decided": True,
        "categories": ["preferences", "analytics", "advertising"],
        "notice_version": "",
        "gpc": False,
        "allowed": {"necessary": True, "preferences": True, "analytics": True,
                    "advertising": True},
    }  # fmt: skip
    assert set(response.cookies) == {COOKIE_NAME}


# --- CONSENT-1: the settings page and the cookie registry ------------------------------------


def test_consent_1_settings_page_lists_categories_and_every_cookie(client):
    response = client.get("/privacy/cookies/")
    assert response.status_code == 200
    html = response.content.decode()
    assert BANNER not in html
    assert "You have not chosen yet" in html
    assert "Strictly necessary" in html and "Always on" in html
    for name in ("preferences", "analytics", "advertising"):
        assert f'<input type="checkbox" name="{name}" id="id_{name}"' in html
    for cookie in COOKIES:
        assert f"<code>{cookie.name}</code>" in html
        assert cookie.purpose.replace("“", "&ldquo;")[:20] in html or cookie.purpose[:20] in html
        assert cookie.lifetime in html


def test_consent_1_settings_page_saves_a_choice_and_shows_it(client):
    response = client.post("/privacy/cookies/", {"analytics": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/cookies/"
    # The confirmation travels in Django's (strictly necessary) message cookie.
    assert set(response.cookies) == {COOKIE_NAME, "messages"}
    assert stored(client)[0] == ["analytics"]
    page = client.get("/privacy/cookies/").content.decode()
    assert "Your cookie choices are saved." in page
    assert "Allowed: Analytics, besides strictly necessary cookies." in page
    assert 'name="analytics" id="id_analytics" checked' in page
    assert 'name="advertising" id="id_advertising" aria-describedby' in page


def test_consent_1_settings_page_returns_to_next(client):
    response = client.post("/privacy/cookies/", {"preferences": "on", "next": "/cart/"})
    assert response["Location"] == "/cart/"
    assert stored(client)[0] == ["preferences"]


def test_consent_1_cookie_registry_names_the_frameworks_cookies():
    assert settings.SESSION_COOKIE_NAME in COOKIES_BY_NAME
    assert settings.CSRF_COOKIE_NAME in COOKIES_BY_NAME
    assert {cookie.category for cookie in COOKIES} == {NECESSARY}


def test_consent_1_middleware_drops_unregistered_and_unconsented_cookies(monkeypatch, caplog):
    from recommerce.privacy import consent
    from recommerce.privacy.consent import middleware

    analytics_cookie = consent.Cookie("rc_stats", "Counts visits", ANALYTICS, "1 year")
    monkeypatch.setitem(middleware.COOKIES_BY_NAME, "rc_stats", analytics_cookie)

    def view(request):
        response = HttpResponse("ok")
        response.set_cookie("tracker", "1")
        response.set_cookie("rc_stats", "1")
        response.delete_cookie("old_thing")
        return response

    request = RequestFactory().get("/")
    response = ConsentMiddleware(view)(request)
    assert set(response.cookies) == {"old_thing"}  # a deletion always goes through
    assert "'tracker' on /: it is not in privacy.consent.COOKIES" in caplog.text

    allowed = RequestFactory().get("/")
    allowed.COOKIES[COOKIE_NAME] = cookie_value(categories=[ANALYTICS], version="", browser_id="b")
    response = ConsentMiddleware(view)(allowed)
    assert set(response.cookies) == {"old_thing", "rc_stats"}


def test_consent_1_an_anonymous_crawl_sets_only_necessary_cookies(client, product_url):
    """No page sets a non-necessary cookie before consent; every page links the settings."""
    seen: set[str] = set()
    pages = [
        *("/", "/c/smartphones/", product_url, "/cart/", "/account/login/"),
        *("/search/?q=iphone", "/privacy/cookies/", "/privacy/do-not-sell-or-share/"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= set(response.cookies)
        html = response.content.decode()
        assert '<a href="/privacy/cookies/">Cookie settings</a>' in html, url
    assert seen <= NECESSARY_COOKIES
    assert "csrftoken" in seen
    # Filling a cart and failing to sign in add the session and a one-page message only.
    offer_id = re.search(r'name="offer" value="(\d+)"', client.get(product_url).content.decode())
    assert offer_id is not None
    added = client.post(
        "/cart/add/", {"offer": offer_id.group(1)}, headers={"Origin": "http://testserver"}
    )
    assert added["Location"] == "/cart/"
    cart = client.get("/cart/")
    assert "Added to your cart." in cart.content.decode()
    failed = client.post("/account/login/", {"login": "nobody@example.com", "password": "x"})
    seen |= set(added.cookies) | set(cart.cookies) | set(failed.cookies)
    assert "sessionid" in seen
    assert seen <= NECESSARY_COOKIES | {"messages"}
    assert all(COOKIES_BY_NAME[name].category == NECESSARY for name in seen)
    assert {name for name, morsel in client.cookies.items() if morsel.value} <= NECESSARY_COOKIES
    assert ConsentRecord.objects.count() == 0


def test_consent_1_consent_of_without_the_middleware_is_undecided():
    assert consent_of(RequestFactory().get("/")) == UNDECIDED


# --- CONSENT-2: records as evidence ------------------------------------------------------------


def test_consent_2_each_choice_writes_an_exact_record_without_the_raw_ip(client):
    publish("2026-11-23")
    client.post("/privacy/cookies/banner/", {"choice": "all"}, REMOTE_ADDR=IP)
    _, _, browser_id = stored(client)
    client.post("/privacy/cookies/banner/", {"choice": "none"}, REMOTE_ADDR=IP)
    client.post("/privacy/cookies/", {"analytics": "on", "preferences": "on"}, REMOTE_ADDR=IP)
    client.put(
        "/api/v1/consent",
        {"categories": ["analytics"]},
        content_type="application/json",
        REMOTE_ADDR=IP,
    )
    client.post("/privacy/do-not-sell-or-share/", REMOTE_ADDR=IP)

    browser = blind_index(browser_id, purpose="consent.browser")
    ip_hash = blind_index(IP, purpose="consent.ip")
    rows = list(
        ConsentRecord.objects.order_by("id").values(
            "user", "browser", "categories", "notice_version", "method", "ip_hash"
        )
    )
    common = {"user": None, "browser": browser, "notice_version": "2026-11-23", "ip_hash": ip_hash}
    assert rows == [
        {**common, "method": "banner", "categories": ["preferences", "analytics", "advertising"]},
        {**common, "method": "banner", "categories": []},
        {**common, "method": "settings", "categories": ["preferences", "analytics"]},
        {**common, "method": "api", "categories": ["analytics"]},
        {**common, "method": "opt_out", "categories": ["analytics"]},
    ]
    # The same browser id throughout: one visitor, five choices.
    assert stored(client)[2] == browser_id
    # The raw address is nowhere in the table, and the browser id is kept only hashed.
    dump = json.dumps(list(ConsentRecord.objects.values()), default=str)
    assert IP not in dump
    assert browser_id not in dump
    assert all(record.created_at is not None for record in ConsentRecord.objects.all())


def test_consent_2_a_signed_in_choice_names_the_person_and_nothing_is_attached_later(client):
    client.post("/privacy/cookies/banner/", {"choice": "none"}, REMOTE_ADDR=IP)
    person = make_user("ines@example.com")
    client.force_login(person)
    client.post("/privacy/cookies/", {"analytics": "on"}, REMOTE_ADDR=IP)
    anonymous, signed = ConsentRecord.objects.order_by("id")
    assert anonymous.user is None
    assert (signed.user, signed.method, signed.categories) == (person, "settings", ["analytics"])
    assert signed.browser == anonymous.browser
