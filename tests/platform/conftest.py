"""Fixtures of the platform tests: the worker fault tests' world (one migrated database a
session, shared by the modules that kill workers)."""

from __future__ import annotations

from tests.platform.worker_world import _migrated_sqlite, world

__all__ = ["_migrated_sqlite", "world"]
