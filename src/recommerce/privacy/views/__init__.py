"""Pages of the privacy core: a signed-in person's own data (``person``) and the public
request form, identity check and one-time export download (``public``)."""
