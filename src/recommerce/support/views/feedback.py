"""After-sales pages: reviews of purchases and satisfaction surveys.

The buyer's pages read only the signed-in person's own lines and surveys (another
person's answers 404 and changes nothing); a review's photos are public while the review
is published; moderators hide and restore reviews from the staff queue.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.views.common import AuthedRequest, form_errors_from
from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.staff import staff_only
from recommerce.privacy.services.logs import staff_access_record_many
from recommerce.support.models import Review
from recommerce.support.selectors import feedback as selectors
from recommerce.support.services import feedback as services

PER_PAGE = 20
RATING_CHOICES = [
    (5, "5 stars, excellent"),
    (4, "4 stars, good"),
    (3, "3 stars, fair"),
    (2, "2 stars, poor"),
    (1, "1 star, very poor"),
]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three photos in one file input."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(one, initial) for one in files]


class ReviewForm(SafeTextMixin, forms.Form):
    rating = forms.TypedChoiceField(
        choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect, label="Your rating"
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.TEXT_MAX,
        required=False,
        label="Your review",
        help_text="What you liked or not about the device and the seller. Shown with your "
        "first name and initial.",
    )
    photos = PhotosField(
        required=False,
        label="Photos",
        help_text=f"Up to {services.PHOTOS_MAX} photos, JPEG or PNG.",
    )


class SurveyForm(SafeTextMixin, forms.Form):
    nps = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        label="How likely are you to recommend Recommerce to a friend? (0: not at all, 10: "
        "certainly)",
    )
    satisfaction = forms.TypedChoiceField(
        choices=[
            (5, "Very satisfied"),
            (4, "Satisfied"),
            (3, "Neutral"),
            (2, "Unsatisfied"),
            (1, "Very unsatisfied"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        label="How satisfied are you?",
    )
    easy = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No"), ("", "I'd rather not say")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        label="Was it easy?",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.TEXT_MAX,
        required=False,
        label="Anything to add?",
    )


class HideForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(max_length=services.REASON_MAX, label="Reason, sent to the author")


def _refusal(error: ValidationError | PermissionError) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# --- The buyer -------------------------------------------------------------------------------


@login_required
def review_list(request: AuthedRequest) -> HttpResponse:
    """Show the person's reviews and the delivered items they may still review."""
    page = Paginator(selectors.buyer_reviews(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "to_review": list(selectors.buyer_reviewable_lines(user=request.user)[:50]),
        "section": "reviews",
    }
    return render(request, "support/feedback/buyer_reviews.html", context)


@login_required
def review_new(request: AuthedRequest, line_id: int) -> HttpResponse:
    """Write a review of one delivered item of the person's own order."""
    line = selectors.buyer_line_get(user=request.user, line_id=line_id)
    if line is None:
        raise Http404("No such item in your orders.")
    existing = Review.objects.filter(line=line).first()
    form = ReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["photos"]
        try:
            services.review_create(
                line=line,
                actor=request.user,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
                photos=[(upload.name or "photo", upload) for upload in uploads],
            )
        except (ValidationError, PermissionError) as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Thank you: your review is published.")
            return redirect("support:reviews")
    context = {"line": line, "order": line.order, "form": form, "existing": existing}
    context["section"] = "reviews"
    status = 400 if request.method == "POST" else 200
    return render(request, "support/feedback/review_form.html", context, status=status)


class ReportForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(
        max_length=services.REASON_MAX,
        label="What is wrong with this review?",
        help_text="For example: insults, personal details, not about the device or the seller.",
    )


def _back_to(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("support:reviews")


@login_required
def review_report(request: AuthedRequest, review_id: int) -> HttpResponse:
    """Report a published review to moderation, then go back where the person was."""
    review = selectors.review_published_get(review_id=review_id)
    if review is None:
        raise Http404("No such review.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_report(
                review=review, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionError) as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, "Thank you: moderation will look at this review.")
        return redirect(_back_to(request))
    context = {
        "review": review,
        "form": form,
        "next": _back_to(request),
        "already": review.pk
        in selectors.reviews_reported_by(user=request.user, review_ids=[review.pk]),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "support/feedback/report.html", context, status=status)


@require_GET
def review_photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """Hand out a review's photo while the review is published (no sign-in needed)."""
    photo = selectors.review_photo_public(photo_id=photo_id)
    if photo is None:
        raise Http404("No such photo.")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    # Hiding a review must stop its photos at once: nothing kept by caches.
    response["Cache-Control"] = "no-cache"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def survey(request: AuthedRequest, token: str) -> HttpResponse:
    """Answer one of the person's satisfaction surveys, once."""
    found = selectors.survey_get_for(person=request.user, token=token)
    if found is None:
        raise Http404("No such survey.")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and found.answered_at is None and form.is_valid():
        try:
            services.survey_answer(person=request.user, token=token, **form.cleaned_data)
        except (ValidationError, PermissionError) as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Thank you for your answers.")
            return redirect("support:survey", token=token)
    context = {"survey": found, "form": form, "section": "buyer_orders"}
    return render(request, "support/feedback/survey.html", context)


# --- The seller ------------------------------------------------------------------------------


@login_required
def seller_review_list(request: AuthedRequest) -> HttpResponse:
    """Show the seller's reviews, hidden ones with the moderation's reason."""
    membership = account_selectors.seller_membership_for(user=request.user)
    if membership is None:
        raise Http404("You have no seller account.")
    seller = membership.seller
    reviews = selectors.seller_reviews(seller=seller, published_only=False)
    context = {
        "membership": membership,
        "seller": seller,
        "figures": selectors.seller_review_figures(seller=seller),
        "page": Paginator(reviews, PER_PAGE).get_page(request.GET.get("page")),
        "section": "seller_reviews",
    }
    return render(request, "support/feedback/seller_reviews.html", context)


# --- Moderation ------------------------------------------------------------------------------


@staff_only(services.MODERATE_PERMISSION)
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """List reviews to moderate, the most reported first; hidden ones on their own tab."""
    hidden = request.GET.get("status") == Review.Status.HIDDEN
    status = Review.Status.HIDDEN if hidden else Review.Status.PUBLISHED
    page = Paginator(selectors.review_moderation_queue(status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    if hidden and page.object_list:
        # Hidden reviews are no longer public: each look is logged like any personal data.
        staff_access_record_many(
            staff=request.user,
            looks=[(r.author_id, f"hidden review {r.pk}") for r in page.object_list],
            path=request.path,
        )
    context = {"page": page, "hidden": hidden}
    return render(request, "support/feedback/staff_queue.html", context)


@staff_only(services.MODERATE_PERMISSION)
@require_POST
def review_hide(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get(review_id=review_id)
    if review is None:
        raise Http404("No such review.")
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason for hiding the review: its author is told.")
    else:
        try:
            services.review_hide(
                review=review, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionError) as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, f"The review by {review.author_display} is hidden.")
    return redirect("staff_support:reviews")


@staff_only(services.MODERATE_PERMISSION)
@require_POST
def review_restore(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get(review_id=review_id)
    if review is None:
        raise Http404("No such review.")
    try:
        services.review_restore(review=review, actor=request.user)
    except (ValidationError, PermissionError) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, f"The review by {review.author_display} is shown again.")
    return redirect(reverse("staff_support:reviews") + "?status=hidden")


buyer_patterns: list[URLPattern] = [
    path("reviews/", review_list, name="reviews"),
    path("reviews/new/<int:line_id>/", review_new, name="review-new"),
    path("reviews/<int:review_id>/report/", review_report, name="review-report"),
    path("reviews/photos/<int:photo_id>/", review_photo, name="review-photo"),
    path("surveys/<str:token>/", survey, name="survey"),
]
seller_patterns: list[URLPattern] = [
    path("reviews/", seller_review_list, name="reviews"),
]
staff_patterns: list[URLPattern] = [
    path("reviews/", moderation_queue, name="reviews"),
    path("reviews/<int:review_id>/hide/", review_hide, name="review-hide"),
    path("reviews/<int:review_id>/restore/", review_restore, name="review-restore"),
]
