"""The demo data set and the load-test generator (filled in below)."""

DEMO_LOGINS: list[tuple[str, str, str]] = []
