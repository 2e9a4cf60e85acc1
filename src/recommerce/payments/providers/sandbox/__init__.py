"""The offline sandbox payment provider (see ``provider`` for how it behaves)."""

from recommerce.payments.providers.sandbox.hosted import PageResult
from recommerce.payments.providers.sandbox.provider import SandboxPaymentProvider

__all__ = ["PageResult", "SandboxPaymentProvider"]
