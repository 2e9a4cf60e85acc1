"""Identity checks of claims (COLLECT-8, CONSENT-5): asked by customer service, answered by
the claimant with documents reviewed by staff, or, only with consent to the biometric text
in force, by a live check at the identity-verification service.

- The document route is always open: declining (or withdrawing) biometric consent never
  shuts the person out.
- A live check starts only while ``biometric_check_allowed`` holds; the session and the
  disclosure to the service are written in one transaction. The service's result (not the
  video, which stays with the service) is kept as the claim's evidence.
- Evidence files are sealed at rest and leave storage only through
  ``identity_evidence_open``, which checks the role and logs the look (SEC-1).
- ``identity_evidence_purge`` deletes the files a set number of days after the claim
  closes; the check and its result stay.
"""

from recommerce.support.services.identity.checks import (
    identity_biometric_consent,
    identity_biometric_start,
    identity_check_request,
    identity_documents_submit,
)
from recommerce.support.services.identity.common import (
    BIOMETRIC_FIELDS,
    EVIDENCE_PERMISSION,
    REASON_TEXTS,
    BiometricConsentRequired,
    claim_value_minor,
    identity_check_url,
    identity_reasons_text,
    identity_verifier,
)
from recommerce.support.services.identity.evidence import (
    identity_evidence_open,
    identity_evidence_purge,
)
from recommerce.support.services.identity.outcomes import (
    WebhookRefused,
    identity_decide,
    identity_hosted_url,
    identity_webhook_handle,
)

__all__ = [
    "BIOMETRIC_FIELDS",
    "EVIDENCE_PERMISSION",
    "REASON_TEXTS",
    "BiometricConsentRequired",
    "WebhookRefused",
    "claim_value_minor",
    "identity_biometric_consent",
    "identity_biometric_start",
    "identity_check_request",
    "identity_check_url",
    "identity_decide",
    "identity_documents_submit",
    "identity_evidence_open",
    "identity_evidence_purge",
    "identity_hosted_url",
    "identity_reasons_text",
    "identity_verifier",
    "identity_webhook_handle",
]
