"""Publishing the privacy notice (NOTICE-2): dated versions kept as published, the email to
account holders, the site banner until dismissed, and the public and staff pages."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from recommerce.privacy.models import NoticeVersion
from recommerce.privacy.notice import labels
from recommerce.privacy.notice.context import COOKIE_NAME, Banner, banner_for, notice_banner
from recommerce.privacy.services import notice as notice_services
from recommerce.privacy.services.notice import (
    NoticeError,
    NoticeUnchanged,
    notice_mail_batch,
    notice_publish,
)
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _notice_cookie_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    """List the dismissal cookie as strictly necessary where the cookie list lacks it.

    The consent middleware drops any cookie missing from ``privacy.consent.COOKIES``.
    """
    from recommerce.privacy import consent

    if COOKIE_NAME not in consent.COOKIES_BY_NAME:
        monkeypatch.setitem(
            consent.COOKIES_BY_NAME,
            COOKIE_NAME,
            consent.Cookie(COOKIE_NAME, "Notice banner dismissed", consent.NECESSARY, "1 year"),
        )


@pytest.fixture
def change_notice(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Return a function that changes the generated notice, as a registry change would."""
    count = iter(range(1, 100))

    def change() -> None:
        number = next(count)
        monkeypatch.setitem(
            labels.CATEGORIES,
            "user.contact.phone",
            labels.CategoryLabel("identity", f"Phone number ({number})", f"Téléphone ({number})"),
        )

    return change


def publisher(email: str = "dpo@recommerce.example") -> Any:
    user = make_user(email, is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="privacy", codename="publish_notice")
    )
    return user


def test_notice_2_publishing_stores_both_languages_with_the_date_and_hash() -> None:
    dpo = publisher()
    version = notice_publish(actor=dpo, summary="First version.")
    version.refresh_from_db()
    assert version.version == "2026-11-23"
    assert version.published_at == NOW
    assert version.published_by == dpo
    assert version.summary == "First version."
    assert version.content_en.startswith(
        '<section class="panel notice-short" aria-labelledby="notice-short">\n'
    )
    assert '<h2 class="panel-title" id="notice-short">In short</h2>' in version.content_en
    assert '<h2 class="panel-title" id="notice-short">En bref</h2>' in version.content_fr
    expected = hashlib.sha256(f"{version.content_en}\0{version.content_fr}".encode()).hexdigest()
    assert version.content_hash == expected


def test_notice_2_publishing_twice_without_a_change_is_refused() -> None:
    first = notice_publish(actor=None, summary="First version.")
    with pytest.raises(NoticeUnchanged, match="Nothing changed since the version of 2026-11-23"):
        notice_publish(actor=None, summary="Again.")
    assert list(NoticeVersion.objects.values_list("pk", flat=True)) == [first.pk]
    assert mail.outbox == []


def test_notice_2_a_summary_is_required() -> None:
    with pytest.raises(NoticeError, match="Say in a few words what changed"):
        notice_publish(actor=None, summary="   ")
    assert NoticeVersion.objects.count() == 0


def test_notice_2_versions_of_one_day_get_a_number_and_older_ones_stay_as_published(
    change_notice: Any,
) -> None:
    first = notice_publish(actor=None, summary="First version.")
    stored_en, stored_fr = first.content_en, first.content_fr
    change_notice()
    second = notice_publish(actor=None, summary="Phone label.")
    change_notice()
    third = notice_publish(
        actor=None, summary="Phone label again.", when=NOW + dt.timedelta(hours=1)
    )
    assert [v.version for v in NoticeVersion.objects.order_by("published_at", "id")] == [
        "2026-11-23",
        "2026-11-23-2",
        "2026-11-23-3",
    ]
    assert (second.version, third.version) == ("2026-11-23-2", "2026-11-23-3")
    first.refresh_from_db()
    assert (first.content_en, first.content_fr) == (stored_en, stored_fr)
    assert "Phone number (2)" in third.content_en
    assert "Phone number (2)" not in first.content_en

    client = Client()
    old = client.get(f"/privacy/notice/{first.version}/en/")
    assert old.status_code == 200
    assert stored_en in old.content.decode()
    assert "This is an earlier version of the notice" in old.content.decode()
    old_fr = client.get(f"/privacy/notice/{first.version}/fr/")
    assert stored_fr in old_fr.content.decode()
    assert 'lang="fr"' in old_fr.content.decode()
    current = client.get("/privacy/notice/en/")
    assert third.content_en in current.content.decode()
    assert "earlier version" not in current.content.decode()


def test_notice_2_account_holders_are_emailed_in_batches(
    change_notice: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = "https://shop.example"
    dpo = publisher()
    ana = make_user("ana@example.com", full_name="Ana Lopez")
    marc = make_user("marc@example.com", full_name="Marc Petit", language="fr")
    make_user("gone@example.com", is_active=False)
    make_user("erased-41@erased.invalid", full_name="")
    with django_capture_on_commit_callbacks(execute=True):
        notice_publish(actor=dpo, summary="First version.")
    assert mail.outbox == []  # the first version changes nothing for anyone

    batches: list[list[int]] = []
    from recommerce.privacy.notice import tasks

    real = tasks.notice_announce_task

    def spy(version_id: int, user_ids: list[int], attempt: int = 1) -> Any:
        batches.append(list(user_ids))
        return real(version_id, user_ids, attempt)

    monkeypatch.setattr(notice_services, "BATCH_SIZE", 2)
    monkeypatch.setattr(tasks, "notice_announce_task", spy)
    change_notice()
    with django_capture_on_commit_callbacks(execute=True):
        version = notice_publish(actor=dpo, summary="The phone number is labelled differently.")

    assert batches == [[dpo.pk, ana.pk], [marc.pk]]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@example.com",
        "dpo@recommerce.example",
        "marc@example.com",
    ]
    assert len(mail.outbox) == 3
    by_address = {m.to[0]: m for m in mail.outbox}
    english = by_address["ana@example.com"]
    assert english.subject == "Recommerce: our privacy notice changed on 23 November 2026"
    assert english.extra_headers["X-Recommerce-Category"] == "transactional"
    assert "Hello Ana Lopez," in english.body
    assert "The phone number is labelled differently." in english.body
    assert "Read the new version: https://shop.example/privacy/notice/en/\n" in english.body
    assert (
        "Every version, earlier ones included: https://shop.example/privacy/notice/versions/"
        in (english.body)
    )
    french = by_address["marc@example.com"]
    assert french.subject == (
        "Recommerce: notre politique de confidentialité a changé le 23 novembre 2026"
    )
    assert "Bonjour Marc Petit," in french.body
    assert "Lire la nouvelle version : https://shop.example/privacy/notice/fr/\n" in french.body
    assert version.version == "2026-11-23-2"


def test_notice_2_a_failed_address_does_not_stop_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    version = notice_publish(actor=None, summary="First version.")
    ana = make_user("ana@example.com")
    bad = make_user("bounce@example.com")
    real = notice_services.notice_mail

    def flaky(*, version: NoticeVersion, person: Any) -> None:
        if person.pk == bad.pk:
            raise OSError("mail server refused")
        real(version=version, person=person)

    monkeypatch.setattr(notice_services, "notice_mail", flaky)
    failed = notice_mail_batch(
        version_id=version.pk, user_ids=[ana.pk, bad.pk], attempt=notice_services.SEND_ATTEMPTS
    )
    assert failed == [bad.pk]
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]


# --- The banner --------------------------------------------------------------------------------


def _banner_html(client_cookie: str | None = None) -> str:
    request = RequestFactory().get("/")
    if client_cookie is not None:
        request.COOKIES[COOKIE_NAME] = client_cookie
    context = {"request": request, **notice_banner(request)}
    return render_to_string("privacy/notice/_changed_banner.html", context, request=request)


def test_notice_2_the_banner_shows_after_a_change_and_goes_once_dismissed(
    change_notice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice_publish(actor=None, summary="First version.")
    assert banner_for(RequestFactory().get("/")) is None
    assert _banner_html().strip() == ""

    change_notice()
    with django_capture_on_commit_callbacks(execute=True):
        second = notice_publish(actor=None, summary="Phone label.")
    assert banner_for(RequestFactory().get("/")) == Banner(
        version="2026-11-23-2", published_on=dt.date(2026, 11, 23)
    )
    shown = _banner_html()
    assert "Our privacy notice changed on 23 November 2026" in shown
    assert 'href="/privacy/notice/en/">read what changed</a>' in shown
    assert 'name="version" value="2026-11-23-2"' in shown

    client = Client()
    response = client.post("/privacy/notice/seen/", {"version": second.version, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "2026-11-23-2"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert _banner_html(client_cookie=cookie.value).strip() == ""
    # An older version seen does not hide the newer one.
    assert "Our privacy notice changed" in _banner_html(client_cookie="2026-11-23")


def test_notice_2_the_banner_speaks_french_to_french_visitors(
    change_notice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import translation

    with django_capture_on_commit_callbacks(execute=True):
        notice_publish(actor=None, summary="First version.")
        change_notice()
    with django_capture_on_commit_callbacks(execute=True):
        notice_publish(actor=None, summary="Phone label.")
    with translation.override("fr"):
        shown = _banner_html()
    assert "Notre politique de confidentialité a changé le 23 novembre 2026" in shown
    assert 'href="/privacy/notice/fr/">voir ce qui a changé</a>' in shown


def test_notice_2_dismissing_refuses_a_foreign_redirect_and_a_bad_version() -> None:
    client = Client()
    response = client.post(
        "/privacy/notice/seen/", {"version": "2026-11-23", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/privacy/notice/"
    bad = client.post("/privacy/notice/seen/", {"version": "<script>", "next": "/"})
    assert bad.status_code == 400
    assert COOKIE_NAME not in bad.cookies
    assert client.get("/privacy/notice/seen/").status_code == 405


def test_notice_2_dismissing_with_htmx_answers_an_empty_fragment() -> None:
    response = Client().post(
        "/privacy/notice/seen/", {"version": "2026-11-23", "next": "/"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content == b""
    assert response.cookies[COOKIE_NAME].value == "2026-11-23"


# --- Public pages ----------------------------------------------------------------------------


def test_notice_2_before_any_publication_the_page_shows_the_generated_text_marked() -> None:
    response = Client().get("/privacy/notice/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<article class="prose notice-page" lang="en" data-testid="notice">' in body
    assert "No version of this notice has been published yet" in body
    assert "Generated on 23 November 2026" in body
    assert '<a href="/privacy/notice/fr/" hreflang="fr" lang="fr">Lire en français</a>' in body


def test_notice_2_the_page_follows_the_visitor_language_and_links_the_other() -> None:
    version = notice_publish(actor=None, summary="First version.")
    client = Client()
    french = client.get("/privacy/notice/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    body = french.content.decode()
    assert french["Content-Language"] == "fr"
    assert '<article class="prose notice-page" lang="fr" data-testid="notice">' in body
    assert '<h1 class="page-title">Politique de confidentialité</h1>' in body
    assert "Version du 23 novembre 2026" in body
    assert version.content_fr in body
    assert '<a href="/privacy/notice/en/" hreflang="en" lang="en">Read in English</a>' in body
    english = client.get("/privacy/notice/en/").content.decode()
    assert "Version of 23 November 2026" in english
    assert version.content_en in english
    assert "What changed in this version:</strong> First version." in english


def test_notice_2_the_versions_page_lists_every_version(change_notice: Any) -> None:
    notice_publish(actor=None, summary="First version.")
    change_notice()
    notice_publish(actor=None, summary="Phone label.")
    body = Client().get("/privacy/notice/versions/").content.decode()
    assert body.index("Phone label.") < body.index("First version.")
    assert 'href="/privacy/notice/2026-11-23/fr/"' in body
    assert 'href="/privacy/notice/2026-11-23-2/en/"' in body


def test_notice_2_unknown_versions_are_not_found() -> None:
    client = Client()
    assert client.get("/privacy/notice/2020-01-01/").status_code == 404
    assert client.get("/privacy/notice/2020-01-01/de/").status_code == 404
    assert client.get("/privacy/notice/latest/").status_code == 404


# --- Staff page and command ------------------------------------------------------------------


def test_notice_2_staff_preview_then_publish(change_notice: Any) -> None:
    client = Client()
    client.force_login(publisher())
    page = client.get("/staff/privacy/notice/")
    assert page.status_code == 200
    assert "Publish this version" in page.content.decode()
    published = client.post("/staff/privacy/notice/", {"summary": "First version."}, follow=True)
    assert [str(m) for m in published.context["messages"]] == ["Version 2026-11-23 is published."]
    assert NoticeVersion.objects.get().summary == "First version."
    again = client.post("/staff/privacy/notice/", {"summary": "Again."})
    assert again.status_code == 400
    assert [str(m) for m in again.context["messages"]] == [
        "Nothing changed since the version of 2026-11-23: there is nothing to publish."
    ]
    assert NoticeVersion.objects.count() == 1
    change_notice()
    preview = client.get("/staff/privacy/notice/").content.decode()
    assert "\N{MINUS SIGN} removed</span></td><td>Phone number · " in preview
    assert "+ added</span></td><td>Phone number (1) · " in preview
    empty = client.post("/staff/privacy/notice/", {"summary": ""})
    assert empty.status_code == 400
    assert NoticeVersion.objects.count() == 1


def test_notice_2_staff_without_the_permission_cannot_publish() -> None:
    client = Client()
    client.force_login(make_user("clerk@recommerce.example", is_staff=True))
    assert client.post("/staff/privacy/notice/", {"summary": "x"}).status_code == 403
    client.force_login(make_user("buyer@example.com"))
    assert client.get("/staff/privacy/notice/").status_code == 404
    assert NoticeVersion.objects.count() == 0


def test_notice_2_the_command_publishes_and_refuses_an_unchanged_notice(capsys: Any) -> None:
    call_command("privacy", "notice-publish", "--summary", "First version.")
    assert capsys.readouterr().out == "Published the privacy notice, version 2026-11-23.\n"
    with pytest.raises(CommandError, match="Nothing changed"):
        call_command("privacy", "notice-publish", "--summary", "Again.")
    assert NoticeVersion.objects.count() == 1
