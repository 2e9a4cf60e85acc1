"""Adapters to external services used by accounts (see ``recommerce.platform.providers``)."""
