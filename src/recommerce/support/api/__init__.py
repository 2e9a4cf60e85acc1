"""The after-sales API: claims, messages, identity checks and reviews, for buyers (session)
and sellers (API key); each area's router is added here."""

from ninja import Router

from recommerce.support.api import claims, conversations, feedback, identity, returns

router = Router(tags=["After-sales"])
router.add_router("", claims.router)
router.add_router("", returns.router)
router.add_router("", conversations.router)
router.add_router("", identity.router)
router.add_router("", feedback.router)
