"""The marketing console: campaigns with their reach, and advertising audiences.

Staff see counts, never a list of people: who is reached and why the others are not
(small groups hidden, RETAIN-2). An audience leaves only as a file of hashed addresses,
each person's disclosure recorded (SHARE-4).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from recommerce.accounts.models import User
from recommerce.marketing import rules, selectors, services
from recommerce.marketing.forms import AudienceForm, CampaignForm
from recommerce.marketing.models import Campaign
from recommerce.platform.staff import staff_only
from recommerce.privacy.aggregates import Group, suppress_small

SEND = "marketing.send_campaign"
EXPORT = "marketing.export_audience"


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _groups(reasons: Mapping[str, int]) -> list[Group]:
    ordered = {rules.REASONS[r]: reasons[r] for r in rules.REASONS if reasons.get(r)}
    return suppress_small(ordered)


def _campaign(pk: int) -> Campaign:
    found = selectors.campaign_get(pk=pk)
    if found is None:
        raise Http404("No campaign has this number.")
    return found


@staff_only(SEND)
@require_http_methods(["GET", "HEAD", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    """List campaigns and write a new one."""
    form = CampaignForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(actor=_staff(request), **data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return redirect("marketing_staff:campaign", pk=campaign.pk)
    return render(
        request,
        "marketing/staff/campaigns.html",
        {"form": form, "campaigns": selectors.campaign_list()[:50], "section": "campaigns"},
        status=400 if form.errors else 200,
    )


@staff_only(SEND)
@require_safe
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a campaign, how many it reaches now, and why the others are not reached."""
    found = _campaign(pk)
    reach = selectors.reach_summary(topic=found.topic, channel=found.channel)
    return render(
        request,
        "marketing/staff/campaign.html",
        {
            "campaign": found,
            "reach": reach,
            "groups": _groups(reach.reasons),
            "skipped": _groups(found.skipped),
            "min_group": settings.PRIVACY_MIN_GROUP,
            "section": "campaigns",
        },
    )


@staff_only(SEND)
@require_POST
def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    found = _campaign(pk)
    try:
        services.campaign_queue(campaign=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The campaign is being sent; the counts fill in as it goes.")
    return redirect("marketing_staff:campaign", pk=found.pk)


@never_cache
@staff_only(EXPORT)
@require_http_methods(["GET", "HEAD", "POST"])
def audiences(request: HttpRequest) -> HttpResponse:
    """List past audiences; export a new one as a CSV of hashed addresses."""
    form = AudienceForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            made = services.audience_export(
                partner=form.cleaned_data["partner"], actor=_staff(request)
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return _csv(made)
    return render(
        request,
        "marketing/staff/audiences.html",
        {
            "form": form,
            "exports": selectors.audience_export_list()[:50],
            "section": "audiences",
        },
        status=400 if form.errors else 200,
    )


def _csv(made: services.AudienceFile) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email_sha256"])
    writer.writerows([digest] for digest in made.hashes)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = slugify(f"{made.export.reference} {made.export.partner}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
