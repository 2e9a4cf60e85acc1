"""Marketing: newsletter, preferences, campaigns, unsubscribes, ad audiences."""
