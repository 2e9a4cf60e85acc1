"""The data-protection officer's console, through the web client: written requests run to an
answer (RIGHT-2, RIGHT-4, RIGHT-5), looks at personal data are logged (SEC-1), the disclosure
log is searchable (SHARE-5), retention dry runs (RETAIN-1) and small groups stay hidden in the
figures (RETAIN-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from recommerce.privacy import purposes
from recommerce.privacy.aggregates import Group, suppress_small, suppressed_total
from recommerce.privacy.ledger import ledger_store
from recommerce.privacy.models import (
    DataRequest,
    ErasureRecord,
    ExportArchive,
    ProcessingLimit,
    RetentionRun,
    StaffAccess,
)
from recommerce.privacy.services import disclosure_record
from recommerce.privacy.services.requests import (
    data_request_close,
    data_request_document_ask,
    data_request_document_upload,
    data_request_submit,
    data_request_verify_by_staff,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 2, 3, 10, 0, tzinfo=PARIS)
DPO_PERMISSIONS = (
    "privacy.handle_datarequest",
    "privacy.run_retention",
    "privacy.read_access_log",
)
BASE = "/staff/privacy/"


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Any) -> None:
    """Keep identity documents of the tests out of the project's var/ folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def make_staff(*permissions: str, email: str = "dpo@recommerce.example") -> Any:
    user = User.objects.create_user(email, None, is_staff=True)
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def dpo() -> Any:
    return make_staff(*DPO_PERMISSIONS)


@pytest.fixture
def dana() -> Any:
    return User.objects.create_user("dana@example.com", None, full_name="Dana Subject")


@pytest.fixture
def console(client: Client, dpo: Any) -> Client:
    client.force_login(dpo)
    return client


def letter(**overrides: str) -> dict[str, str]:
    return {
        "full_name": "Dana Subject",
        "email": "dana@example.com",
        "kind": "objection",
        "jurisdiction": "gdpr",
        "received_on": "2026-01-31",
        "details": "Please stop sending me newsletters.",
        "purpose": "marketing.email",
        **overrides,
    }


def written(
    *,
    kind: str = "access",
    received_on: dt.date,
    email: str = "dana@example.com",
    purpose: str = "",
    jurisdiction: str = "gdpr",
) -> DataRequest:
    return data_request_submit(
        kind=kind,
        channel="written",
        jurisdiction=jurisdiction,
        full_name="Dana Subject",
        email=email,
        purpose=purpose,
        received_on=received_on,
    )


def step(client: Client, path: str, data: dict[str, str] | None = None) -> Any:
    """Post as a browser does: follow the redirect to the page that shows the outcome."""
    return client.post(path, data or {}, follow=True)


def notes(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def events(request: DataRequest) -> list[tuple[str, str | None]]:
    return [
        (event.action, event.actor.email if event.actor else None)
        for event in request.events.select_related("actor")
    ]


# --- A letter from receipt to the answer ----------------------------------------------------


def test_right_4_right_5_written_objection_runs_to_completion(console, dpo, dana):
    created = step(console, f"{BASE}new/", letter())

    request = DataRequest.objects.get()
    assert created.redirect_chain == [(f"{BASE}{request.reference}/", 302)]
    assert notes(created) == [f"Request {request.reference} is recorded."]
    assert (request.channel, request.kind, request.status, request.purpose) == (
        "written",
        "objection",
        "received",
        "marketing.email",
    )
    assert (request.due_on, request.acknowledge_by, request.handled_by) == (
        dt.date(2026, 2, 28),
        None,
        dpo,
    )

    verified = step(
        console,
        f"{BASE}{request.reference}/verify/",
        {"verify-method": "signed letter, address matches"},
    )
    assert notes(verified) == ["The identity is verified."]
    fulfilled = step(console, f"{BASE}{request.reference}/fulfil/")

    request.refresh_from_db()
    assert notes(fulfilled) == ["The request is completed. Last step: completed."]
    assert (request.status, request.user, request.verification_method) == (
        "completed",
        dana,
        "signed letter, address matches",
    )
    limit = ProcessingLimit.objects.get()
    assert (limit.user, limit.purpose, limit.kind, limit.request, limit.lifted_at) == (
        dana,
        "marketing.email",
        "objection",
        request,
        None,
    )
    assert events(request) == [
        ("received", "dpo@recommerce.example"),
        ("verification code sent", None),
        ("identity verified", "dpo@recommerce.example"),
        ("in progress", "dpo@recommerce.example"),
        ("completed", "dpo@recommerce.example"),
    ]
    assert [message.to for message in mail.outbox] == [["dana@example.com"]] * 2
    page = console.get(f"{BASE}{request.reference}/").content.decode()
    for action in ("verification code sent", "identity verified", "in progress", "completed"):
        assert f"<td>{action}</td>" in page


def test_right_1_right_5_written_access_request_queues_the_export_then_is_answered(
    console, dpo, dana, django_capture_on_commit_callbacks
):
    step(console, f"{BASE}new/", letter(kind="access", purpose=""))
    request = DataRequest.objects.get()
    step(console, f"{BASE}{request.reference}/verify/", {"verify-method": "passport copy"})

    with django_capture_on_commit_callbacks() as callbacks:
        step(console, f"{BASE}{request.reference}/fulfil/")

    archive = ExportArchive.objects.get()
    assert (archive.user, archive.request, archive.status) == (dana, request, "pending")
    # The build and the steps' copies in the erasure ledger wait for the commit.
    assert callbacks
    assert ledger_store().request_steps(reference=request.reference) == []
    request.refresh_from_db()
    assert (request.status, request.purpose) == ("in_progress", "")
    again = step(console, f"{BASE}{request.reference}/fulfil/")
    assert notes(again) == ["This step is not open for the request in its present state."]
    assert ExportArchive.objects.count() == 1
    answered = step(
        console,
        f"{BASE}{request.reference}/complete/",
        {"complete-answer": "Your data was sent by post."},
    )
    request.refresh_from_db()
    assert notes(answered) == ["The request is completed and the person has the answer."]
    assert (request.status, request.answer) == ("completed", "Your data was sent by post.")
    assert [action for action, _ in events(request)] == [
        "received",
        "verification code sent",
        "identity verified",
        "in progress",
        "export queued",
        "completed",
    ]


def test_right_2_rectification_corrects_only_the_requesters_own_record(console, dana):
    other = User.objects.create_user("eve@example.com", None, full_name="Eve Other")
    step(console, f"{BASE}new/", letter(kind="rectification", purpose=""))
    request = DataRequest.objects.get()
    step(console, f"{BASE}{request.reference}/verify/", {"verify-method": "signed letter"})
    step(console, f"{BASE}{request.reference}/fulfil/")
    fix = {"rectify-target": "accounts.User:full_name", "rectify-value": "Dana Corrected"}

    wrong = step(
        console, f"{BASE}{request.reference}/rectify/", {**fix, "rectify-record_id": str(other.pk)}
    )
    right = step(
        console, f"{BASE}{request.reference}/rectify/", {**fix, "rectify-record_id": str(dana.pk)}
    )

    dana.refresh_from_db()
    other.refresh_from_db()
    assert notes(wrong) == ["That record does not belong to the person who asked."]
    assert notes(right) == ["accounts.User " + str(dana.pk) + ": full_name is corrected."]
    assert (dana.full_name, other.full_name) == ("Dana Corrected", "Eve Other")
    assert request.events.filter(action="rectified").get().note == "accounts.User.full_name"


def test_right_5_extension_is_offered_once_and_a_second_one_is_a_message(console):
    request = written(received_on=dt.date(2026, 2, 3))
    url = f"{BASE}{request.reference}/extend/"
    assert 'id="extend-title"' in console.get(f"{BASE}{request.reference}/").content.decode()

    first = step(console, url, {"extend-reason": "Your letter names three accounts."})
    second = step(console, url, {"extend-reason": "Again."})

    request.refresh_from_db()
    assert notes(first) == ["The answer is now due on 3 May 2026; the person is told."]
    assert (second.redirect_chain[-1][1], notes(second)) == (
        302,
        ["This step is not open for the request in its present state."],
    )
    assert (request.extended_due_on, request.extension_reason, request.answer_by) == (
        dt.date(2026, 5, 3),
        "Your letter names three accounts.",
        dt.date(2026, 5, 3),
    )
    assert request.events.filter(action="deadline extended").count() == 1
    assert 'id="extend-title"' not in console.get(f"{BASE}{request.reference}/").content.decode()
    assert console.get(BASE).context["counters"]["extended"] == 1


def test_right_5_extension_is_not_offered_after_the_first_deadline(console):
    with time_machine.travel(NOW - dt.timedelta(days=40), tick=False):
        request = written(received_on=dt.date(2025, 12, 20))  # due 20 Jan 2026

    page = console.get(f"{BASE}{request.reference}/").content.decode()

    assert 'id="extend-title"' not in page
    assert "Overdue" in page


def test_right_5_a_letter_is_extended_from_the_day_it_arrived(console):
    request = written(received_on=dt.date(2026, 1, 31))  # entered 3 Feb, due 28 Feb

    step(console, f"{BASE}{request.reference}/extend/", {"extend-reason": "Three accounts."})

    request.refresh_from_db()
    assert request.extended_due_on == dt.date(2026, 4, 30)


def test_right_5_restriction_of_a_legal_obligation_is_refused_with_the_reason(console, dpo, dana):
    request = written(
        kind="restriction", purpose="legal.accounting", received_on=dt.date(2026, 2, 1)
    )
    data_request_verify_by_staff(request=request, actor=dpo, method="signed letter")

    response = step(console, f"{BASE}{request.reference}/fulfil/")

    request.refresh_from_db()
    assert notes(response) == ["The request is refused. Last step: refused."]
    assert (request.status, request.answer) == (
        "refused",
        "“Keep accounting records and invoices” rests on legal obligation; it cannot be "
        "stopped by a restriction or an objection.",
    )
    assert not ProcessingLimit.objects.exists()


def test_right_4_a_refused_step_is_a_message_and_leaves_the_request_as_it_was(console, dpo, dana):
    request = written(
        kind="restriction", purpose="marketing.email", received_on=dt.date(2026, 2, 1)
    )
    data_request_verify_by_staff(request=request, actor=dpo, method="signed letter")
    # A request recorded under a use that is no longer listed: the engine cannot act on it.
    DataRequest.objects.filter(pk=request.pk).update(purpose="marketing.fax")

    response = step(console, f"{BASE}{request.reference}/fulfil/")

    request.refresh_from_db()
    assert response.status_code == 200
    assert notes(response) == ["The request names no listed use of the data: ask which one."]
    assert request.status == "verified"
    assert not ProcessingLimit.objects.exists()
    assert not request.events.filter(action="in progress").exists()


# --- What is due -----------------------------------------------------------------------------


def test_right_5_overdue_filter_and_counters_show_what_is_late(console, dpo):
    late = written(received_on=dt.date(2025, 12, 1))  # due 1 Jan 2026
    soon = written(received_on=dt.date(2026, 1, 5))  # due 5 Feb 2026
    later = written(received_on=dt.date(2026, 1, 31))  # due 28 Feb 2026
    answered = written(received_on=dt.date(2025, 11, 1))  # due 1 Dec 2025, but answered
    data_request_close(request=answered, actor=dpo, answer="Nothing held.")

    overdue = console.get(BASE, {"state": "overdue"})
    everything = console.get(BASE)

    assert overdue.status_code == 200
    assert [row.request for row in overdue.context["rows"]] == [late]
    assert everything.context["counters"] == {
        "open": 3,
        "overdue": 1,
        "due_this_week": 1,
        "extended": 0,
    }
    assert [(r.request, r.overdue, r.due_soon) for r in everything.context["rows"]] == [
        (answered, False, False),
        (late, True, False),
        (soon, False, True),
        (later, False, False),
    ]
    closed = console.get(BASE, {"state": "closed"})
    assert [row.request for row in closed.context["rows"]] == [answered]
    assert not StaffAccess.objects.exists()  # the list shows no name or email


def test_right_5_ccpa_request_shows_its_acknowledgement_date(console):
    request = written(received_on=dt.date(2026, 1, 30), jurisdiction="ccpa")  # a Friday

    page = console.get(BASE, {"jurisdiction": "ccpa"})

    assert (request.acknowledge_by, request.due_on) == (dt.date(2026, 2, 13), dt.date(2026, 3, 16))
    assert "13 Feb 2026" in page.content.decode()


# --- Who may look, and the log of looks ------------------------------------------------------


def test_sec_1_viewing_a_request_is_logged(console, dpo, dana):
    request = data_request_submit(
        kind="access",
        channel="account",
        jurisdiction="gdpr",
        full_name="Dana Subject",
        email="dana@example.com",
        user=dana,
    )

    page = console.get(f"{BASE}{request.reference}/")

    assert page.status_code == 200
    assert "dana@example.com" in page.content.decode()
    access = StaffAccess.objects.get()
    assert (access.staff, access.subject, access.what, access.path, access.created_at) == (
        dpo,
        dana,
        f"data request {request.reference}",
        f"{BASE}{request.reference}/",
        NOW,
    )


def test_sec_1_identity_document_is_downloaded_as_an_attachment_and_logged(console, dpo, dana):
    request = written(received_on=dt.date(2026, 2, 1))
    data_request_document_ask(request=request, actor=dpo, note="A copy of your passport.")
    data_request_document_upload(
        request=request, content=b"%PDF-1.7 id", content_type="application/pdf"
    )
    StaffAccess.objects.all().delete()

    download = console.get(f"{BASE}{request.reference}/document/")

    assert download.status_code == 200
    assert download.content == b"%PDF-1.7 id"
    assert (download["Content-Type"], download["Content-Disposition"]) == (
        "application/pdf",
        f'attachment; filename="{request.reference}-identity.pdf"',
    )
    access = StaffAccess.objects.get()
    assert (access.staff, access.what) == (dpo, f"identity document of {request.reference}")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("get", "{ref}/"),
        ("get", "{ref}/document/"),
        ("post", "{ref}/verify/"),
        ("get", "disclosures/?email=dana@example.com"),
        ("get", "data-map/"),
        ("get", "stats/"),
        ("get", "ledger/"),
        ("post", "retention/dry-run/"),
    ],
)
def test_sec_1_staff_without_the_permission_get_403_and_nothing_is_logged(
    client, dana, method, path
):
    request = written(received_on=dt.date(2026, 2, 1))
    client.force_login(make_staff("accounts.view_personal_data", email="agent@recommerce.example"))

    response = getattr(client, method)(
        BASE + path.format(ref=request.reference),
        {"verify-method": "none"} if method == "post" else None,
    )

    assert response.status_code == 403
    assert "dana@example.com" not in response.content.decode()
    assert not StaffAccess.objects.exists()
    request.refresh_from_db()
    assert request.status == "received"
    assert not RetentionRun.objects.exists()


def test_sec_1_a_new_request_needs_the_permission(client):
    client.force_login(make_staff(email="agent@recommerce.example"))

    response = client.post(f"{BASE}new/", letter())

    assert response.status_code == 403
    assert not DataRequest.objects.exists()


def test_sec_2_the_console_is_404_for_people_who_are_not_staff(client, dana):
    client.force_login(dana)

    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}data-map/").status_code == 404


def test_retain_1_dry_run_needs_its_own_permission(client):
    client.force_login(make_staff("privacy.handle_datarequest"))

    assert client.get(f"{BASE}retention/").status_code == 200
    assert client.post(f"{BASE}retention/dry-run/").status_code == 403
    assert not RetentionRun.objects.exists()


def test_retain_1_dry_run_records_a_run_and_changes_nothing(console, dana):
    response = console.post(f"{BASE}retention/dry-run/")

    run = RetentionRun.objects.get()
    assert (response.status_code, response["Location"], run.dry_run, run.error) == (
        302,
        f"{BASE}retention/",
        True,
        "",
    )
    assert User.objects.filter(pk=dana.pk).exists()
    assert f"Dry run {run.pk}" in console.get(f"{BASE}retention/").content.decode()


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"received_on": "2026-02-04"}, {"received_on": ["A letter cannot arrive in the future."]}),
        (
            {"kind": "gossip"},
            {"kind": ["Select a valid choice. gossip is not one of the available choices."]},
        ),
        ({"purpose": ""}, {"purpose": ["Choose the use the person wants stopped."]}),
        (
            {"purpose": "legal.accounting"},
            {
                "purpose": [
                    "Select a valid choice. legal.accounting is not one of the available choices."
                ]
            },
        ),
        ({"received_on": "31/31/2026"}, {"received_on": ["Enter a valid date."]}),
    ],
)
def test_right_4_bad_letter_input_is_a_form_error(console, overrides, errors):
    response = console.post(f"{BASE}new/", letter(**overrides))

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert not DataRequest.objects.exists()
    assert mail.outbox == []


def test_right_4_a_refusal_without_reason_is_a_form_error(console):
    request = written(received_on=dt.date(2026, 2, 1))

    response = console.post(f"{BASE}{request.reference}/refuse/", {"refuse-reason": " "})

    request.refresh_from_db()
    assert response.status_code == 400
    assert response.context["forms"]["refuse"].errors == {"reason": ["This field is required."]}
    assert request.status == "received"


def test_right_4_unknown_action_and_reference_are_404(console):
    request = written(received_on=dt.date(2026, 2, 1))

    assert console.post(f"{BASE}{request.reference}/delete/").status_code == 404
    assert console.get(f"{BASE}DSR-NOPE/").status_code == 404
    assert console.get(f"{BASE}{request.reference}/verify/").status_code == 405
    assert not StaffAccess.objects.exists()


def test_right_4_bad_filters_are_form_errors(console):
    requests = console.get(BASE, {"kind": "gossip"})
    disclosures = console.get(f"{BASE}disclosures/", {"since": "2026-02-02", "until": "2026-02-01"})

    assert requests.status_code == 400
    assert requests.context["form"].errors == {
        "kind": ["Select a valid choice. gossip is not one of the available choices."]
    }
    assert disclosures.context["form"].errors == {
        "until": ["The end of the range comes before its start."]
    }


# --- Disclosures (SHARE-5) -------------------------------------------------------------------


def test_share_5_disclosure_search_by_email_shows_that_person_and_is_logged(console, dpo, dana):
    other = User.objects.create_user("eve@example.com", None)
    for person, reference in ((dana, "ORD-1"), (other, "ORD-2"), (dana, "ORD-3")):
        disclosure_record(
            subject=person,
            recipient_kind="carrier",
            recipient="Colis Express",
            fields=["delivery_address"],
            purpose=purposes.SERVICE_ORDERS,
            reference=reference,
        )

    found = console.get(f"{BASE}disclosures/", {"email": "DANA@example.com"})
    by_reference = console.get(f"{BASE}disclosures/", {"reference": "ORD-2"})
    unknown = console.get(f"{BASE}disclosures/", {"email": "nobody@example.com"})

    assert [d.reference for d in found.context["page"]] == ["ORD-3", "ORD-1"]
    assert [d.reference for d in by_reference.context["page"]] == ["ORD-2"]
    assert list(unknown.context["page"]) == []
    assert unknown.context["form"].non_field_errors() == [
        "No account matches this number or email."
    ]
    access = StaffAccess.objects.get()  # one look at one person; the others named no one
    assert (access.staff, access.subject, access.what, access.path) == (
        dpo,
        dana,
        "disclosure log",
        f"{BASE}disclosures/",
    )


def test_share_5_disclosure_log_pages_by_fifty(console, dana):
    for number in range(51):
        disclosure_record(
            subject=dana,
            recipient_kind="seller",
            recipient="Refurb Lab",
            fields=["email"],
            purpose=purposes.SERVICE_ORDERS,
            reference=f"ORD-{number}",
        )

    first = console.get(f"{BASE}disclosures/", {"account": dana.pk})
    second = console.get(f"{BASE}disclosures/", {"account": dana.pk, "page": 2})

    assert (len(first.context["page"]), len(second.context["page"])) == (50, 1)
    assert f"?account={dana.pk}&amp;page=2" in first.content.decode()


# --- The data map ----------------------------------------------------------------------------


def test_the_data_map_lists_registered_fields_with_purpose_and_retention(console):
    page = console.get(f"{BASE}data-map/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "accounts.User" in html
    assert '<th scope="row" class="mono">full_name, title</th>' in html
    assert "user.identity.name" in html
    assert "Create and run the user&#x27;s account" in html
    assert not StaffAccess.objects.exists()


# --- Figures (RETAIN-2) ----------------------------------------------------------------------


def test_retain_2_one_small_group_hides_the_smallest_other_too():
    groups = suppress_small({"a": 10, "b": 3, "c": 7}, threshold=5)

    assert groups == [
        Group("a", 10, False),
        Group("b", None, True),
        Group("c", None, True, secondary=True),
    ]


def test_retain_2_groups_at_the_threshold_are_shown():
    assert suppress_small({"a": 5, "b": 6}, threshold=5) == [
        Group("a", 5, False),
        Group("b", 6, False),
    ]


def test_retain_2_two_small_groups_hide_nothing_else():
    assert suppress_small({"a": 1, "b": 4, "c": 9}, threshold=5) == [
        Group("a", None, True),
        Group("b", None, True),
        Group("c", 9, False),
    ]


def test_retain_2_equal_smallest_groups_hide_the_first():
    assert suppress_small({"a": 8, "b": 2, "c": 8}, threshold=5) == [
        Group("a", None, True, secondary=True),
        Group("b", None, True),
        Group("c", 8, False),
    ]


def test_retain_2_a_lone_small_group_is_hidden_alone():
    assert suppress_small({"a": 2}, threshold=5) == [Group("a", None, True)]
    assert suppress_small({}, threshold=5) == []


def test_retain_2_threshold_defaults_to_the_setting(settings):
    settings.PRIVACY_MIN_GROUP = 3

    assert suppress_small({"a": 2, "b": 3, "c": 4}) == [
        Group("a", None, True),
        Group("b", None, True, secondary=True),
        Group("c", 4, False),
    ]
    assert suppressed_total(2) == Group("Total", None, True)
    assert suppressed_total(3) == Group("Total", 3, False)


def test_retain_2_figures_page_shows_no_small_count(console):
    groups = (("access", "gdpr", 7), ("erasure", "gdpr", 6), ("portability", "ccpa", 2))
    for kind, law, people in groups:
        for number in range(people):
            written(
                kind=kind,
                jurisdiction=law,
                received_on=dt.date(2026, 2, 1),
                email=f"{kind}{number}@example.com",
            )

    html = console.get(f"{BASE}stats/").content.decode()

    assert '<tr><td>Access to my data · GDPR (EU)</td><td class="num">7</td></tr>' in html
    assert (
        '<tr><td>Erase my data · GDPR (EU)</td><td class="num"><span class="muted">hidden</span>'
        in html
    )
    assert (
        "<tr><td>A copy of my data to take elsewhere · CCPA (California)</td>"
        '<td class="num"><span class="muted">fewer than 5</span>' in html
    )
    assert '<th scope="row">In all (a person counts once)</th><td class="num">15</td>' in html
    assert ">6<" not in html
    assert ">2<" not in html
    assert not StaffAccess.objects.exists()


def test_retain_2_a_person_in_several_groups_counts_once_in_the_total(console):
    """Hardening 5.9: the total summed the groups, so a person whose data went to a seller
    and a carrier counted twice, and a total of three people read "fewer than 5" though
    six were sent data."""
    people = [User.objects.create_user(f"shared{number}@example.com", None) for number in range(6)]
    for person in people:
        for kind, recipient in (("seller", "Refurb Lyon"), ("carrier", "Sandbox Post")):
            disclosure_record(
                subject=person,
                recipient_kind=kind,
                recipient=recipient,
                fields=["delivery_name"],
                purpose=purposes.SERVICE_ORDERS,
                reference="R-1",
            )
    for number in range(3):
        written(kind="access", received_on=dt.date(2026, 2, 1), email=f"a{number}@example.com")
        written(kind="erasure", received_on=dt.date(2026, 2, 1), email=f"a{number}@example.com")

    html = console.get(f"{BASE}stats/").content.decode()

    totals = [
        cell.split("</td>")[0]
        for cell in html.split(
            '<th scope="row">In all (a person counts once)</th><td class="num">'
        )[1:]
    ]
    # Requests: three people, each asking twice: two groups of 3, and 3 in all (hidden, not
    # 6). No erasure yet: no table. Disclosures: six people, each sent to two recipients:
    # 6 in all, not 12.
    assert totals == ['<span class="muted">fewer than 5</span>', "6"]
    assert ">12<" not in html


def test_right_3_erasure_request_shows_its_ledger_entry(console, dpo, dana):
    request = written(kind="erasure", received_on=dt.date(2026, 2, 1))
    data_request_verify_by_staff(request=request, actor=dpo, method="signed letter")

    console.post(f"{BASE}{request.reference}/fulfil/")

    record = ErasureRecord.objects.get(request_reference=request.reference)
    request.refresh_from_db()
    assert (record.subject_id, record.status, request.status) == (dana.pk, "done", "completed")
    html = console.get(f"{BASE}{request.reference}/").content.decode()
    assert f"Erasure {record.pk} · Done" in html
    assert "Resume erasure" not in html


def test_right_3_postponed_erasure_is_resumed_from_the_request(console, dpo, dana, monkeypatch):
    request = written(kind="erasure", received_on=dt.date(2026, 2, 1))
    data_request_verify_by_staff(request=request, actor=dpo, method="signed letter")
    blockers = [lambda user: ["Order 1001 is not delivered yet."]]
    monkeypatch.setattr("recommerce.privacy.registry.registry.erasure_blockers", blockers)
    step(console, f"{BASE}{request.reference}/fulfil/")
    record = ErasureRecord.objects.get(request_reference=request.reference)
    page = console.get(f"{BASE}{request.reference}/").content.decode()
    assert (record.status, record.blockers) == ("postponed", ["Order 1001 is not delivered yet."])
    assert f"Resume erasure {record.pk}" in page

    blockers.clear()
    resumed = step(console, f"{BASE}{request.reference}/resume/", {"resume-record": str(record.pk)})

    record.refresh_from_db()
    request.refresh_from_db()
    assert notes(resumed) == [f"Erasure {record.pk}: done."]
    assert (record.status, request.status) == ("done", "completed")
    assert User.objects.get(pk=dana.pk).email != "dana@example.com"
