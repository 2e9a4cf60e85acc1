"""Global Privacy Control and the US opt-out of sharing (CONSENT-3, SHARE-4's signal side)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from recommerce.privacy import purposes
from recommerce.privacy.consent import (
    ADVERTISING,
    ANALYTICS,
    COOKIE_NAME,
    OPTIONAL,
    Choice,
    consent_of,
)
from recommerce.privacy.consent.cookie import cookie_parse, cookie_value
from recommerce.privacy.consent.middleware import ConsentMiddleware
from recommerce.privacy.models import ConsentRecord, ProcessingLimit
from recommerce.privacy.selectors import consent_user_ids, people_allowed, processing_allowed
from recommerce.privacy.services.consent import gpc_checked_key
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

GPC = {"Sec-GPC": "1"}
ALL = list(OPTIONAL)


def through_middleware(request) -> Choice:
    seen: list[Choice] = []

    def view(request):
        seen.append(consent_of(request))
        return HttpResponse("ok")

    ConsentMiddleware(view)(request)
    return seen[0]


def accept_all(client) -> None:
    client.post("/privacy/cookies/banner/", {"choice": "all", "next": "/"})


def audiences_objection(user) -> list[tuple[str, str]]:
    return list(
        ProcessingLimit.objects.filter(user=user, lifted_at__isnull=True).values_list(
            "purpose", "kind"
        )
    )


def test_consent_3_gpc_turns_advertising_off_even_with_accept_all():
    request = RequestFactory().get("/", headers=GPC)
    request.COOKIES[COOKIE_NAME] = cookie_value(categories=ALL, version="", browser_id="b")
    choice = through_middleware(request)
    assert choice.gpc is True
    assert choice.allows(ADVERTISING) is False
    assert choice.allows(ANALYTICS) is True
    without = RequestFactory().get("/")
    without.COOKIES[COOKIE_NAME] = request.COOKIES[COOKIE_NAME]
    assert through_middleware(without).allows(ADVERTISING) is True


def test_consent_3_gpc_from_a_signed_in_person_is_recorded_once_with_an_objection(client):
    person = make_user("gail@example.com")
    client.force_login(person)
    accept_all(client)
    client.get("/", headers=GPC, REMOTE_ADDR="198.51.100.4")
    gpc_rows = ConsentRecord.objects.filter(user=person, method="gpc")
    assert list(gpc_rows.values_list("categories", flat=True)) == [["preferences", "analytics"]]
    assert audiences_objection(person) == [("marketing.audiences", "objection")]
    assert processing_allowed(user=person, purpose=purposes.MARKETING_AUDIENCES) is False

    # Later requests cost nothing: the cache flag stops the check.
    for _ in range(3):
        client.get("/privacy/cookies/", headers=GPC)
    assert gpc_rows.count() == 1
    # Even after the flag expires, a signal already recorded is not recorded again.
    cache.delete(gpc_checked_key(person.pk))
    client.get("/privacy/cookies/", headers=GPC)
    assert gpc_rows.count() == 1
    assert ProcessingLimit.objects.filter(user=person).count() == 1


def test_consent_3_the_gpc_check_is_a_cache_read_once_recorded(client):
    person = make_user("hugo@example.com")
    client.force_login(person)
    client.get("/privacy/cookies/", headers=GPC)
    assert ConsentRecord.objects.filter(user=person, method="gpc").count() == 1
    request = RequestFactory().get("/", headers=GPC)
    request.user = person
    with CaptureQueriesContext(connection) as queries:
        through_middleware(request)
    # Without Redis the flag lives in the shared cache table (read in a savepoint); the
    # records are not read.
    other = [q["sql"] for q in queries if "recommerce_cache" not in q["sql"]]
    control = ("SAVEPOINT", "RELEASE", "ROLLBACK")
    assert [sql for sql in other if not sql.startswith(control)] == []


def test_consent_3_gpc_is_news_again_after_the_person_allowed_advertising(client):
    person = make_user("ivy@example.com")
    client.force_login(person)
    client.get("/", headers=GPC)
    accept_all(client)  # from a browser without GPC
    assert ConsentRecord.objects.filter(user=person).first().categories == ALL
    client.get("/", headers=GPC)
    methods = list(ConsentRecord.objects.filter(user=person).order_by("id").values_list("method"))
    assert methods == [("gpc",), ("banner",), ("gpc",)]


def test_consent_3_gpc_from_an_anonymous_visitor_writes_nothing(client):
    accept_all(client)
    client.get("/", headers=GPC)
    assert list(ConsentRecord.objects.values_list("method", flat=True)) == ["banner"]
    assert ProcessingLimit.objects.count() == 0


def test_consent_3_a_choice_saved_with_gpc_on_leaves_advertising_out(client):
    response = client.post("/privacy/cookies/banner/", {"choice": "all"}, headers=GPC)
    assert cookie_parse(response.cookies[COOKIE_NAME].value).choice.categories == {
        "preferences",
        "analytics",
    }
    assert ConsentRecord.objects.get().categories == ["preferences", "analytics"]
    page = client.get("/privacy/cookies/", headers=GPC).content.decode()
    assert "Your browser sends a Global Privacy Control signal." in page
    assert 'name="advertising" id="id_advertising" disabled' in page


def test_consent_3_gpc_json_declares_support(client):
    response = client.get("/.well-known/gpc.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"gpc": True, "lastUpdate": "2026-11-23"}
    assert set(response.cookies) == set()


def test_consent_3_the_gpc_endpoint_records_a_script_found_signal(client):
    accept_all(client)
    page = client.get("/").content.decode()
    assert 'action="/privacy/cookies/gpc/" hidden data-consent-gpc' in page
    # With the header, the server knows already: no form for the script.
    assert "data-consent-gpc" not in client.get("/", headers=GPC).content.decode()

    response = client.post("/privacy/cookies/gpc/")
    assert response.status_code == 200
    assert response.json()["recorded"] is True
    assert response.json()["allowed"][ADVERTISING] is False
    latest = ConsentRecord.objects.order_by("-id").first()
    assert (latest.method, latest.categories) == ("gpc", ["preferences", "analytics"])
    assert "data-consent-gpc" not in client.get("/").content.decode()
    again = client.post("/privacy/cookies/gpc/")
    assert again.json()["recorded"] is False
    assert ConsentRecord.objects.count() == 2


def test_consent_3_the_gpc_endpoint_needs_the_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies[COOKIE_NAME] = cookie_value(categories=ALL, version="", browser_id="b")
    assert strict.post("/privacy/cookies/gpc/").status_code == 403
    assert ConsentRecord.objects.count() == 0


# --- The US opt-out page ------------------------------------------------------------------


def test_consent_3_the_opt_out_link_shows_for_us_visitors_only(client):
    link = '<a href="/privacy/do-not-sell-or-share/">Do Not Sell or Share My Personal'
    assert link in client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert (
        link not in client.get("/", headers={"Accept-Language": "fr-FR,en;q=0.5"}).content.decode()
    )
    assert link not in client.get("/", headers={"Accept-Language": "en,en-US"}).content.decode()
    client.force_login(make_user("uma@example.com", country="US"))
    assert link in client.get("/", headers={"Accept-Language": "fr-FR"}).content.decode()


def test_consent_3_the_opt_out_page_says_nothing_is_sold_and_opts_out(client):
    accept_all(client)
    page = client.get("/privacy/do-not-sell-or-share/").content.decode()
    assert "Recommerce never sells personal data" in page
    assert "Your cookie choices allow sharing for advertising." in page
    response = client.post("/privacy/do-not-sell-or-share/", REMOTE_ADDR="192.0.2.1")
    assert response["Location"] == "/privacy/do-not-sell-or-share/"
    assert cookie_parse(response.cookies[COOKIE_NAME].value).choice.categories == {
        "preferences",
        "analytics",
    }
    latest = ConsentRecord.objects.order_by("-id").first()
    assert (latest.user, latest.method, latest.categories) == (
        None,
        "opt_out",
        ["preferences", "analytics"],
    )
    page = client.get("/privacy/do-not-sell-or-share/").content.decode()
    assert "You have opted out" in page
    assert "Your data is not shared for advertising." in page


def test_consent_3_share_4_a_signed_in_opt_out_reaches_every_audience_gate(client):
    person, other = make_user("vera@example.com"), make_user("walt@example.com")
    for who in (person, other):
        client.force_login(who)
        accept_all(client)
    assert consent_user_ids(category=ADVERTISING, user_ids=[person.pk, other.pk]) == {
        person.pk,
        other.pk,
    }
    client.force_login(person)
    client.post("/privacy/do-not-sell-or-share/")
    assert audiences_objection(person) == [("marketing.audiences", "objection")]
    assert consent_user_ids(category=ADVERTISING, user_ids=[person.pk, other.pk]) == {other.pk}
    assert people_allowed(user_ids=[person.pk, other.pk], purpose=purposes.MARKETING_AUDIENCES) == {
        other.pk
    }
    page = client.get("/privacy/do-not-sell-or-share/").content.decode()
    assert "Your account's objection to advertising audiences is in force." in page
    assert "Opt out of sharing</button>" not in page
