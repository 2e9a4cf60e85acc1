"""First-party analytics: page and product views, with consent only."""
