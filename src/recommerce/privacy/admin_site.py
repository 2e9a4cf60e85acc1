"""The admin site, where every look at personal data is written to the staff access log.

SEC-1 asks that every staff access to personal data be logged, and the admin shows people's
data to each role its permissions allow (an order's delivery address to customer service,
a payout account holder to finance). Rather than trusting each ``ModelAdmin`` to log, the
site wraps every one registered on it, the project's and the libraries' alike: when a page
shows objects of a model the registry knows to hold personal data (the object, its
inlines, its deletion or history page, or a list whose columns show personal fields), one
``StaffAccess`` row is written per person shown, found through the registry's subject
paths. A subject the paths cannot name (a company's representatives, a provider's
notification) is logged with no person, naming the object.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse

from recommerce.privacy.paths import SELF, subject_paths
from recommerce.privacy.registry import registry
from recommerce.privacy.services.logs import staff_access_record_many


class AccessLoggedAdmin(admin.ModelAdmin[Any]):
    """Log each person shown by this admin's pages (SEC-1); mixed into every registration."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            shown = self._object_shown(request, object_id)
            for inline in (getattr(response, "context_data", None) or {}).get(
                "inline_admin_formsets", ()
            ):
                shown += [form.instance for form in inline.formset.forms if form.instance.pk]
            access_log(request, shown)
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().delete_view(request, object_id, extra_context)
        if response.status_code == 200:
            access_log(request, self._object_shown(request, object_id))
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            access_log(request, self._object_shown(request, object_id))
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if (
            response.status_code == 200
            and changelist is not None
            and list_shows_personal_data(self.model, self.get_list_display(request))
        ):
            access_log(request, list(changelist.result_list), listing=True)
        return response

    def _object_shown(self, request: HttpRequest, object_id: str) -> list[models.Model]:
        obj = self.get_object(request, unquote(object_id))
        return [obj] if obj is not None else []


class AccessLoggedAdminSite(admin.AdminSite):
    """The default admin site: every registered admin logs the people it shows."""

    def register(
        self,
        model_or_iterable: Any,
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AccessLoggedAdmin):
            admin_class = type(
                admin_class.__name__,
                (AccessLoggedAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)


def holds_personal_data(model: type[models.Model]) -> bool:
    return bool(registry.fields_of(model))


def list_shows_personal_data(model: type[models.Model], columns: Sequence[Any]) -> bool:
    """Tell whether a list with these columns shows personal data of ``model``'s rows.

    A registered personal field does; so does anything that is not a plain field (``__str__``,
    a method, a callable), as nothing says what it prints.
    """
    personal = {item.field_name for item in registry.fields_of(model)}
    if not personal:
        return False
    for column in columns:
        if not isinstance(column, str) or column in personal:
            return True
        try:
            model._meta.get_field(column)
        except FieldDoesNotExist:
            return True
    return False


def access_log(
    request: HttpRequest, shown: Iterable[models.Model], *, listing: bool = False
) -> int:
    """Write one staff access row per person ``shown`` shows; return how many were written."""
    by_model: dict[type[models.Model], list[Any]] = {}
    for obj in shown:
        model = obj._meta.concrete_model
        if model is not None and holds_personal_data(model):
            by_model.setdefault(model, []).append(obj.pk)
    looks: dict[tuple[Any, str], None] = {}
    for model, pks in by_model.items():
        for pk, subjects in subjects_of(model, pks).items():
            what = (
                f"admin: {model._meta.verbose_name_plural} list"
                if listing
                else f"admin: {model._meta.verbose_name} {pk}"
            )
            for subject in subjects:
                looks[(subject, what[:120])] = None
    # The path without its query: a search typed in the admin may itself be personal data.
    return staff_access_record_many(staff=request.user, looks=list(looks), path=request.path)


def subjects_of(model: type[models.Model], pks: Sequence[Any]) -> dict[Any, set[Any]]:
    """Return, per row, the ids of the people its personal fields are about (``None``: the
    registry's paths name nobody for that row)."""
    paths: set[str] = set()
    for item in registry.fields_of(model):
        if isinstance(item.subject, str):
            paths.update(subject_paths(item.subject))
    found: dict[Any, set[Any]] = {pk: set() for pk in pks}
    for path in sorted(paths):
        if path == SELF:
            for pk in pks:
                found[pk].add(pk)
            continue
        rows = model._base_manager.filter(pk__in=pks).values_list("pk", path)
        for pk, subject in rows:
            if subject is not None:
                found[pk].add(subject)
    return {pk: subjects or {None} for pk, subjects in found.items()}
