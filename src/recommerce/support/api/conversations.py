"""After-sales API: conversations."""

from __future__ import annotations

from ninja import Router

router = Router()
