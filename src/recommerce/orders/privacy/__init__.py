"""Personal data held by orders: what a buyer bought, where it goes, and the invoices.

``datamap`` classifies every field and says how exports present the records; ``hooks``
gives the rights engine what only orders know (open orders, who to tell of an erasure).
"""

from recommerce.orders.privacy import datamap, hooks

__all__ = ["datamap", "hooks"]
