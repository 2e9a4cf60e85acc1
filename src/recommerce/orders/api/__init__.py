"""Order endpoints: the buyer's orders (session token) and the seller's (API key).

The seller's answers are the seller's projection of an order and nothing else (SHARE-1):
``SellerOrderOut`` lists ``SELLER_ORDER_FIELDS``, and its ``buyer`` carries the B2B fields
only for a company's order. Held orders answer 404 to the seller. Unsafe calls take an
``Idempotency-Key`` header (required for refunds): a retry replays the first answer.
Seller writes need a key with the ``orders:write`` scope.
"""

from recommerce.orders.api import buyer, seller  # noqa: F401  (operations register on import)
from recommerce.orders.api.common import router

__all__ = ["router"]
