"""Customer service's after-sales pages, under /staff/support/."""

from recommerce.support.views import claims, conversations, feedback, identity, returns

app_name = "staff_support"
urlpatterns = [
    *claims.staff_patterns,
    *returns.staff_patterns,
    *conversations.staff_patterns,
    *identity.staff_patterns,
    *feedback.staff_patterns,
]
