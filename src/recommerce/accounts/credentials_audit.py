"""Audit rows for the changes allauth makes: email, password and second-factor changes.

allauth owns those flows and announces each change with a signal; these receivers only
write the audit row, so the trail covers every change to a person's account (RIGHT-2).
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals

from recommerce.privacy.services import audit_event_record


def _password(action: str) -> Any:
    def receiver(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        audit_event_record(
            actor=user, subject=user, action=action, target=user, fields=["password"]
        )

    return receiver


def _email_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_event_record(
        actor=user, subject=user, action="email.change", target=user, fields=["email"]
    )


def _email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    user = email_address.user
    audit_event_record(
        actor=user, subject=user, action="email.verify", target=email_address, fields=["verified"]
    )


def _authenticator(action: str) -> Any:
    def receiver(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any) -> None:
        audit_event_record(
            actor=user,
            subject=user,
            action=f"mfa.{action}.{authenticator.type}",
            target=authenticator,
        )

    return receiver


RECEIVERS = [
    (account_signals.password_changed, _password("password.change")),
    (account_signals.password_set, _password("password.set")),
    (account_signals.password_reset, _password("password.reset")),
    (account_signals.email_changed, _email_changed),
    (account_signals.email_confirmed, _email_confirmed),
    (mfa_signals.authenticator_added, _authenticator("add")),
    (mfa_signals.authenticator_removed, _authenticator("remove")),
    (mfa_signals.authenticator_reset, _authenticator("reset")),
]


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"accounts.audit.{id(receiver)}", weak=False)
