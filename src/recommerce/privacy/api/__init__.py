"""The privacy API (PLAT-3): the same rights through the app as on the web pages.

- ``consent``: cookie and tracking choices, for anyone (CONSENT-1).
- ``exports``: request a copy of my data, follow it, download it once (RIGHT-1).
- ``erasure``: what stands in the way of erasing my account, and erase it (RIGHT-3).
- ``limits``: restrict or object to a use of my data, or allow it again (CONSENT-7).
- ``personal``: object to call and chat recording (CONSENT-6); give or withdraw the
  consent to facial biometric checks (CONSENT-5).
- ``disclosures``: who received my data (SHARE-5).
- ``data_requests``: my requests with their deadlines and steps, and corrections I ask
  for (RIGHT-2, RIGHT-5).

Everything but ``consent`` is the signed-in person's own, through allauth's app session
token (``X-Session-Token``) or the browser's session cookie (with its CSRF token on
writes). What hands data out, files a request or erases asks, like the web pages, for a
re-authentication minutes ago (``recommerce.platform.api_auth``). The rules are the
services' and selectors' the web pages use.
"""

from ninja import Router

from recommerce.privacy.api import (
    consent,
    data_requests,
    disclosures,
    erasure,
    exports,
    limits,
    personal,
)

router = Router()
for part in (consent, exports, erasure, limits, personal, disclosures, data_requests):
    router.add_router("", part.router)

__all__ = ["router"]
