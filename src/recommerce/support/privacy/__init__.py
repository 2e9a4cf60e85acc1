"""Personal data held by after-sales: claims, messages, identity evidence, reviews, surveys.

Claims and their history are kept five years after closing (the limitation period of
claims); refunds and credit notes live with the payments and invoices, under their own
legal hold. Identity documents and selfie videos are deleted a set number of days after
their claim closes; the check's result stays as the claim's evidence.

``datamap`` classifies every field and says how exports present the records; ``hooks``
gives the rights engine what only after-sales knows (open claims, who to tell of an
erasure).
"""

from recommerce.support.privacy import datamap, hooks

__all__ = ["datamap", "hooks"]
