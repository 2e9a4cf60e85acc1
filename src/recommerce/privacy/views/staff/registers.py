"""The console's registers: the data map, the disclosure log, retention runs, the erasure
ledger, figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from recommerce.platform.staff import staff_only
from recommerce.privacy import selectors
from recommerce.privacy.aggregates import suppress_small, suppressed_total
from recommerce.privacy.datamap import Entry, datamap_entries
from recommerce.privacy.models import (
    DataRequest,
    Disclosure,
    ErasureRecord,
)
from recommerce.privacy.registry import registry
from recommerce.privacy.selectors import disclosure_list
from recommerce.privacy.services import staff_access_record
from recommerce.privacy.services.retention import retention_run
from recommerce.privacy.views.staff.common import HANDLE, PER_PAGE, RUN_RETENTION, Kind
from recommerce.privacy.views.staff.forms import DisclosureFilterForm

# --- The data map ----------------------------------------------------------------------------


def _data_map() -> list[tuple[str, str, list[Entry]]]:
    """Return the data-map entries per model, as the generated document lists them."""
    grouped: dict[str, list[Entry]] = {}
    for entry in datamap_entries():
        grouped.setdefault(entry.model, []).append(entry)
    return [
        (label, str(registry.model_classes[label]._meta.verbose_name), entries)
        for label, entries in grouped.items()
    ]


@staff_only(HANDLE)
def data_map(request: HttpRequest) -> HttpResponse:
    context = {"section": "datamap", "models": _data_map()}
    return render(request, "privacy/staff/datamap.html", context)


# --- Disclosures -----------------------------------------------------------------------------


@staff_only(HANDLE)
def disclosures(request: HttpRequest) -> HttpResponse:
    form = DisclosureFilterForm(request.GET or None)
    found: QuerySet[Disclosure] = disclosure_list()
    subject: Any = None
    if form.is_bound and not form.is_valid():
        found = found.none()
    elif form.is_bound:
        data = form.cleaned_data
        if data["account"] or data["email"]:
            people = get_user_model()._default_manager.all()
            people = people.filter(pk=data["account"]) if data["account"] else people
            people = people.filter(email__iexact=data["email"]) if data["email"] else people
            subject = people.first()
            if subject is None:
                form.add_error(None, "No account matches this number or email.")
        found = disclosure_list(subject=subject, reference=data["reference"])
        if form.errors:
            found = found.none()
        if data["recipient_kind"]:
            found = found.filter(recipient_kind=data["recipient_kind"])
        if data["since"]:
            found = found.filter(created_at__date__gte=data["since"])
        if data["until"]:
            found = found.filter(created_at__date__lte=data["until"])
    if subject is not None:
        staff_access_record(
            staff=request.user, subject=subject, what="disclosure log", path=request.path
        )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {"section": "disclosures", "form": form, "page": page, "subject": subject}
    return render(request, "privacy/staff/disclosures.html", context)


# --- Retention -------------------------------------------------------------------------------


@staff_only(HANDLE)
def retention(request: HttpRequest) -> HttpResponse:
    runs = selectors.retention_run_list()[:20]
    context = {"section": "retention", "runs": runs}
    return render(request, "privacy/staff/retention.html", context)


@staff_only(RUN_RETENTION)
@require_POST
def retention_dry_run(request: HttpRequest) -> HttpResponse:
    """Count what the retention job would remove now, changing nothing."""
    run = retention_run(dry_run=True)
    if run.error:
        messages.error(request, f"The dry run stopped: {run.error}")
    else:
        rows = sum(int(line.get("rows", 0)) for line in run.report)
        messages.success(request, f"Dry run done: {rows} rows are past their period.")
    return redirect("privacy_staff:retention")


# --- The erasure ledger ----------------------------------------------------------------------


@staff_only(HANDLE)
def ledger(request: HttpRequest) -> HttpResponse:
    """Show the erasure ledger beside this database: reachable, complete, replayed."""
    context = {"section": "ledger", "ledger": selectors.ledger_overview()}
    return render(request, "privacy/staff/ledger.html", context)


# --- Figures ---------------------------------------------------------------------------------


@staff_only(HANDLE)
def stats(request: HttpRequest) -> HttpResponse:
    """Show counts of people per group, each group too small to publish hidden (RETAIN-2)."""
    since = timezone.now() - dt.timedelta(days=30)
    requests, asked = selectors.people_per_request_group()
    erasures, erased = selectors.people_per_erasure_status()
    shared, sent = selectors.people_per_recipient_kind(since=since)
    tables = [
        (
            "Requests per kind and law",
            "People who asked",
            {
                f"{Kind(k).label} · {DataRequest.Jurisdiction(j).label}": n
                for (k, j), n in requests.items()
            },
            asked,
        ),
        (
            "Erasures per status",
            "People",
            {str(ErasureRecord.Status(status).label): n for status, n in erasures.items()},
            erased,
        ),
        (
            "Disclosures in the last 30 days, per recipient",
            "People whose data was sent",
            {str(Disclosure.RecipientKind(kind).label): n for kind, n in shared.items()},
            sent,
        ),
    ]
    context = {
        "section": "stats",
        "min_group": settings.PRIVACY_MIN_GROUP,
        "tables": [
            (
                title,
                column,
                suppress_small(counts),
                suppressed_total(total, label="In all (a person counts once)"),
            )
            for title, column, counts, total in tables
        ],
    }
    return render(request, "privacy/staff/stats.html", context)
