"""Writes of after-sales: claims, returns and refunds, messages, identity checks, feedback."""
