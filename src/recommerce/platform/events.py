"""In-process domain events: lower layers publish, higher layers subscribe.

Handlers run synchronously after the publishing transaction commits, so a subscriber
never sees data that is later rolled back. Handlers that do slow work enqueue a task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.db import transaction


@dataclass(frozen=True)
class Event:
    """Base class of every domain event."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]
_handlers: dict[type[Event], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Register the decorated function for ``event_type``."""

    def decorator(handler: Callable[[E], None]) -> Callable[[E], None]:
        if handler not in _handlers[event_type]:
            _handlers[event_type].append(handler)
        return handler

    return decorator


def publish(event: Event) -> None:
    """Deliver ``event`` to its subscribers once the current transaction commits."""
    for handler in list(_handlers[type(event)]):
        transaction.on_commit(partial(handler, event))
