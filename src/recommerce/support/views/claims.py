"""After-sales pages: claims."""

from __future__ import annotations

from django.urls import URLPattern

buyer_patterns: list[URLPattern] = []
seller_patterns: list[URLPattern] = []
staff_patterns: list[URLPattern] = []
