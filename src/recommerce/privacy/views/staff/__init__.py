"""The data-protection officer's console: requests (RIGHT-1 to RIGHT-5), the data map, the
disclosure log (SHARE-5), retention runs (RETAIN-1) and aggregate figures (RETAIN-2).

Every page that shows a person's data logs the look (SEC-1). Staff without the permission
get a 403; people who are not staff get a 404, as in the other staff tools.
"""

from recommerce.privacy.views.staff.registers import (
    data_map,
    disclosures,
    ledger,
    retention,
    retention_dry_run,
    stats,
)
from recommerce.privacy.views.staff.requests import (
    request_action,
    request_detail,
    request_document,
    request_list,
    request_new,
)

__all__ = [
    "data_map",
    "disclosures",
    "ledger",
    "request_action",
    "request_detail",
    "request_document",
    "request_list",
    "request_new",
    "retention",
    "retention_dry_run",
    "stats",
]
