"""A seller's after-sales pages, under /account/seller/support/."""

from recommerce.support.views import claims, conversations, feedback, identity, returns

app_name = "seller_support"
urlpatterns = [
    *claims.seller_patterns,
    *returns.seller_patterns,
    *conversations.seller_patterns,
    *identity.seller_patterns,
    *feedback.seller_patterns,
]
