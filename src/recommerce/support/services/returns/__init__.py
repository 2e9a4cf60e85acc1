"""What follows an agreed claim: the return parcel, the activation-lock check, the
inspection and the refund.

``claim_resolution_start`` is called by the claims services, inside their transaction and
with the claim row locked, once a resolution is agreed or decided. Every later step locks
the claim row again, checks who acts (``claim_require``; staff who change a claim's course
need ``support.decide_claim``), refuses a step its status does not
allow with a ``ValidationError`` that says why, and appends a ``ClaimEvent``. Emails leave
after commit, so a rolled-back step never announces itself.

- ``outcome``: the agreed resolution, the inspection and the refund. Refunds go through
  ``orders.services.fulfilment.order_refund`` under the key ``claim-<reference>``: a retried
  request, a double click or a second caller gets the refund started the first time, never
  another. The credit note and the seller's ledger debit follow when the payment provider
  confirms the refund (``orders/handlers.py``).
- ``parcel``: the prepaid parcel back to the seller, followed with the carrier.
- ``devices``: the activation-lock check (SEC-3). A device locked to an account, or never
  checked, is never accepted and so never refunded.
"""

from recommerce.support.services.returns.devices import (
    claim_device_check,
    claim_device_recheck,
    claim_device_sandbox_release,
)
from recommerce.support.services.returns.outcome import (
    claim_inspection_accept,
    claim_inspection_reject,
    claim_refund_amount,
    claim_repair_done,
    claim_resolution_start,
)
from recommerce.support.services.returns.parcel import (
    claim_return_received,
    claim_return_tracking_refresh,
    claims_returns_refresh,
)

__all__ = [
    "claim_device_check",
    "claim_device_recheck",
    "claim_device_sandbox_release",
    "claim_inspection_accept",
    "claim_inspection_reject",
    "claim_refund_amount",
    "claim_repair_done",
    "claim_resolution_start",
    "claim_return_received",
    "claim_return_tracking_refresh",
    "claims_returns_refresh",
]
