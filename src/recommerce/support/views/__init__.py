"""After-sales pages: each module lists its own URL patterns for the buyer, the seller and
staff, which ``urls.py``, ``seller_urls.py`` and ``staff_urls.py`` gather."""
