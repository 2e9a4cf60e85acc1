"""Reads of after-sales, one module per area (claims, conversations, identity, feedback)."""
