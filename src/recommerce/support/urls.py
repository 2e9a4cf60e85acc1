"""A person's after-sales pages, under /account/support/."""

from recommerce.support.views import claims, conversations, feedback, identity, returns

app_name = "support"
urlpatterns = [
    *claims.buyer_patterns,
    *returns.buyer_patterns,
    *conversations.buyer_patterns,
    *identity.buyer_patterns,
    *feedback.buyer_patterns,
]
