"""After-sales API: claims."""

from __future__ import annotations

from ninja import Router

router = Router()
