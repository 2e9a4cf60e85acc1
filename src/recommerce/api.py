"""The JSON API, version 1: each app contributes its router."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja.errors import ValidationError

from recommerce.accounts.api import router as accounts_router
from recommerce.catalog.api import router as catalog_router
from recommerce.catalog.search import SearchQueryError
from recommerce.checkout.api import router as checkout_router
from recommerce.marketing.api import router as marketing_router
from recommerce.offers.api import router as offers_router
from recommerce.orders.api import router as orders_router
from recommerce.platform.api import PlatformAPI
from recommerce.platform.api_auth import ReauthenticationMissing
from recommerce.privacy.api import router as privacy_router
from recommerce.support.api import router as support_router

api = PlatformAPI(
    title="Recommerce API",
    version="1.0.0",
    description=(
        "Catalog, offers and search of the Recommerce marketplace; people's accounts, "
        "companies and seller files; sellers' offers with an API key; cart, checkout and "
        "payment; orders and their fulfilment; cookie choices; and a person's privacy "
        "rights, as on the web: a copy of their data (asked for, followed, downloaded "
        "once), erasure of the account, restrictions and objections, who received their "
        "data, and their requests with deadlines and steps. People sign in through "
        "allauth's app API (/_allauth/app/v1/, X-Session-Token) or a browser session "
        "(CSRF token on writes). Operations that hand data out or erase it answer 401 with "
        "the re-authentication flows unless the person re-authenticated minutes ago "
        "(POST /_allauth/app/v1/auth/reauthenticate).\n\n"
        "Requests with a body send `application/json` (UTF-8), a JSON object of at most "
        f"{settings.API_MAX_BODY_BYTES} bytes (`API_MAX_BODY_BYTES`): another content type answers "
        "415, a larger body 413. Text fields refuse control and invisible formatting "
        "characters (422 naming the field); fields marked `x-multiline` keep line breaks."
    ),
    urls_namespace="api-v1",
)
api.add_router("/", catalog_router)
api.add_router("/", offers_router)
api.add_router("/", accounts_router)
api.add_router("/", checkout_router)
api.add_router("/", orders_router)
api.add_router("/", privacy_router)
api.add_router("/", marketing_router)
api.add_router("/", support_router)


@api.exception_handler(SearchQueryError)
def bad_search_query(request: HttpRequest, exc: SearchQueryError) -> HttpResponse:
    return api.create_response(
        request, {"detail": [{"loc": ["query", exc.field], "msg": exc.message}]}, status=400
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg", "Invalid value.")} for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(DjangoValidationError)
def refused_by_a_rule(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """Answer a service's refusal with 400 and its messages, per field where it has one."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": ["body"], "msg": message} for message in exc.messages]
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(ReauthenticationMissing)
def reauthenticate_first(request: HttpRequest, exc: ReauthenticationMissing) -> HttpResponse:
    """Answer 401 with the flows that re-authenticate, as allauth's own API does."""
    return api.create_response(request, exc.answer(), status=401)


@api.exception_handler(PermissionError)
def not_allowed(request: HttpRequest, exc: PermissionError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)
