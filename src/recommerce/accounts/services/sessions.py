"""End a person's sessions: web sign-ins and the app's session tokens."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from recommerce.accounts.models import User


def user_sessions_end(*, user: User) -> int:
    """End every live session of ``user`` at once; return how many ended.

    allauth's app tokens are Django sessions too (the token is the session key), so one pass
    covers the web and the app. A session row has no column naming its user: each live one
    is decoded, as Django's ``clearsessions`` walks them all, which an erasure (rare) can
    afford. The engine's own ``delete`` also drops a cached copy (``cached_db``). Cookie or
    cache-only engines cannot be listed; none is configured here.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model_of = getattr(store, "get_model_class", None)
    if model_of is None:
        return 0
    ended = 0
    live = model_of().objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator(chunk_size=500):
        if str(session.get_decoded().get(SESSION_KEY, "")) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
