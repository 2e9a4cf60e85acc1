"""The rights engine: one walk of the registry serves access, portability and erasure.

A new app's data is covered the day its ``privacy.py`` registers it: nothing here names
another app.
"""
