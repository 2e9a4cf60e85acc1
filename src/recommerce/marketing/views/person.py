"""A signed-in person's marketing choices, per channel and topic."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from recommerce.accounts.models import User
from recommerce.marketing import selectors, services
from recommerce.marketing.forms import PreferencesForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Show and change which marketing the person receives; unticking unsubscribes."""
    user = request.user
    assert isinstance(user, User)
    current = selectors.preference_view(user=user)
    initial = {"email": current.email, "sms": current.sms, "topics": current.topics}
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.marketing_preference_set(
                user=user, email=data["email"], sms=data["sms"], topics=data["topics"]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Your marketing preferences are saved.")
            return redirect("marketing:preferences")
    return render(
        request,
        "marketing/preferences.html",
        {"form": form, "current": current, "has_phone": bool(user.phone)},
        status=400 if form.errors else 200,
    )
