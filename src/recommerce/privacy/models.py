# The privacy core's own tables (requests, consent, disclosures) arrive with their features.
