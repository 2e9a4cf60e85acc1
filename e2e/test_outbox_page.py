"""Customer service finds an email that never left, and sends it again (Faults 3)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from tests.accounts.conftest import make_staff
from tests.platform.test_outbox_page import failed_email

from recommerce.accounts import roles
from recommerce.platform.models import OutboundEmail

from .test_seller_journey import sign_in

pytestmark = pytest.mark.browser


def test_faults_3_customer_service_retries_a_failed_email(browse):
    email = failed_email("camille.mail@example.org")
    make_staff(roles.CUSTOMER_SERVICE, email="support.outbox@example.com")
    visit = browse()
    page = visit.page
    sign_in(visit, "support.outbox@example.com")
    page.goto(visit.url("/staff/"))
    page.get_by_role("link", name="Outgoing email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outgoing email")
    expect(page.locator("main")).to_contain_text("c•••@example.org")
    expect(page.locator("main")).not_to_contain_text("camille.mail@example.org")
    visit.screenshot("outbox-01-failed-email")
    visit.assert_first_party_only()

    page.get_by_role("button", name="Try again").click()
    expect(page.locator("main")).to_contain_text("will be sent again within a minute")
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
