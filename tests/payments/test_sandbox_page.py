"""The sandbox's hosted payment page: test cards, 3-D Secure, delayed confirmation."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection

from recommerce.payments import services
from recommerce.payments.models import Chargeback, Payment, SandboxOutbox, SandboxSession
from recommerce.payments.providers.sandbox import signing
from recommerce.payments.providers.sandbox.outbox import retry_delay
from recommerce.platform import clock
from tests.payments.conftest import CANCEL_URL, RETURN_URL, sandbox, session_of, start

pytestmark = pytest.mark.django_db

CARD = {"expiry": "12/34", "cvc": "123"}


def page(payment: Payment) -> str:
    return f"/payments/sandbox/pay/{payment.provider_session_id}/"


def pay(client: Any, payment: Payment, number: str, **fields: str) -> Any:
    return client.post(page(payment), {"number": number, **CARD, **fields})


def database_text() -> str:
    """Return every value of every row of every table, as text."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(" ".join(str(value) for value in row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_the_page_says_it_is_a_sandbox_and_lists_the_test_cards(client, payer) -> None:
    payment = start(payer, amount_minor=45_000)
    response = client.get(page(payment))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sandbox payment page — test cards only" in html
    assert "Pay €450.00" in html
    for number in (
        "4242 4242 4242 4242",
        "4000 0000 0000 0002",
        "4000 0000 0000 9995",
        "4000 0027 6000 3184",
        "4000 0000 0000 0259",
    ):
        assert number in html
    assert '<label for="id_number">Card number:</label>' in html
    assert f'href="/payments/sandbox/pay/{payment.provider_session_id}/cancel/"' in html


def test_a_good_card_is_processing_then_captured_and_its_number_is_nowhere_collect_2(
    client, payer, frozen, commit, published
) -> None:
    payment = start(payer, amount_minor=45_000)
    with commit():
        response = pay(client, payment, "4242 4242 4242 4242")
    assert response.status_code == 302
    assert response["Location"] == f"{RETURN_URL}?session_id={payment.provider_session_id}"
    # Paid, but the provider has not confirmed yet.
    assert session_of(payment).status == SandboxSession.Status.PROCESSING
    assert services.payment_sync(payment=payment).status == Payment.Status.PROCESSING
    assert sandbox().outbox_deliver_due() == 0
    assert published == []
    frozen.shift(2)
    with commit():
        assert sandbox().outbox_deliver_due() == 1
    payment.refresh_from_db()
    assert (payment.status, payment.captured_minor) == (Payment.Status.CAPTURED, 45_000)
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    assert payment.provider_token.startswith("pm_sandbox_")
    assert published.counts() == {"PaymentCaptured": 1}
    text = database_text()
    assert "4242424242424242" not in text
    assert "4242 4242 4242 4242" not in text
    assert payment.provider_token in text  # the scan does see the payments table


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("4000000000000002", "card_declined", "The card was declined."),
        ("4000 0000 0000 9995", "insufficient_funds", "The card has insufficient funds."),
    ],
)
def test_a_declined_card_fails_the_payment_with_its_code(
    client, payer, frozen, commit, published, number: str, code: str, message: str
) -> None:
    payment = start(payer)
    with commit():
        response = pay(client, payment, number)
    assert response.status_code == 402
    html = response.content.decode()
    assert message in html
    assert f"({code})" in html
    assert number.replace(" ", "") not in html
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == (Payment.Status.FAILED, code)
    assert (payment.card_brand, payment.card_last4) == ("", "")
    assert published.counts() == {"PaymentFailed": 1}
    # The page stays open: another card can still pay.
    with commit():
        assert pay(client, payment, "4242424242424242").status_code == 302
    frozen.shift(2)
    with commit():
        sandbox().outbox_deliver_due()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED
    assert published.counts() == {"PaymentFailed": 1, "PaymentCaptured": 1}


def test_3d_secure_with_the_right_code_succeeds(client, payer, frozen, commit, published) -> None:
    payment = start(payer)
    response = pay(client, payment, "4000002760003184")
    challenge = f"{page(payment)}challenge/"
    assert (response.status_code, response["Location"]) == (302, challenge)
    assert client.get(page(payment))["Location"] == challenge
    code = session_of(payment).challenge_code
    html = client.get(challenge).content.decode()
    assert re.search(rf"enter <strong><code>{code}</code></strong>", html)
    with commit():
        response = client.post(challenge, {"code": code})
    assert response["Location"] == f"{RETURN_URL}?session_id={payment.provider_session_id}"
    frozen.shift(2)
    with commit():
        sandbox().outbox_deliver_due()
    payment.refresh_from_db()
    assert (payment.status, payment.card_last4) == (Payment.Status.CAPTURED, "3184")
    assert published.counts() == {"PaymentCaptured": 1}


def test_3d_secure_with_a_wrong_code_fails(client, payer, frozen, commit, published) -> None:
    payment = start(payer)
    pay(client, payment, "4000002760003184")
    right = session_of(payment).challenge_code
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    challenge = f"{page(payment)}challenge/"
    assert client.post(challenge, {"code": "12"}).status_code == 400  # not a code: ask again
    with commit():
        response = client.post(challenge, {"code": wrong})
    assert response.status_code == 402
    assert "The 3-D Secure authentication failed." in response.content.decode()
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == (
        Payment.Status.FAILED,
        "authentication_failed",
    )
    assert session_of(payment).challenge_code == ""
    assert published.counts() == {"PaymentFailed": 1}
    assert client.get(challenge)["Location"] == page(payment)


def test_the_dispute_card_succeeds_then_a_chargeback_follows(
    client, payer, frozen, commit, published
) -> None:
    payment = start(payer, amount_minor=20_000)
    with commit():
        pay(client, payment, "4000000000000259")
    frozen.shift(2)
    with commit():
        assert sandbox().outbox_deliver_due() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED
    assert payment.disputed_minor == 0
    frozen.shift(2)
    with commit():
        assert sandbox().outbox_deliver_due() == 1
    payment.refresh_from_db()
    chargeback = Chargeback.objects.get()
    assert (chargeback.amount_minor, chargeback.reason) == (20_000, "fraudulent")
    assert (payment.disputed_minor, payment.refundable_minor) == (20_000, 0)
    assert published.counts() == {"PaymentCaptured": 1, "ChargebackOpened": 1}


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"number": "1234"}, "number", "This card number is not valid: check the digits."),
        ({"number": "4242 4242 4242 4241"}, "number", "This card number is not valid"),
        ({"number": "abcd efgh"}, "number", "This card number is not valid"),
        ({"number": "4111 1111 1111 1111"}, "number", "only the test cards listed here"),
        ({"number": ""}, "number", "This field is required."),
        ({"expiry": "13/40"}, "expiry", "The month is from 01 to 12."),
        ({"expiry": "01/20"}, "expiry", "This card has expired."),
        ({"expiry": "soon"}, "expiry", "Give the expiry date as MM/YY"),
        ({"cvc": "12"}, "cvc", "The security code has 3 or 4 digits."),
        ({"cvc": "1é3"}, "cvc", "The security code has 3 or 4 digits."),
        ({"number": "4" * 500}, "number", "at most 30 characters"),
    ],
)
def test_bad_card_input_gives_form_errors_and_charges_nothing(
    client, payer, frozen, fields: dict[str, str], field: str, error: str
) -> None:
    payment = start(payer)
    data = {"number": "4242424242424242", **CARD, **fields}
    response = client.post(page(payment), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'id="id_{field}_error">[^<]*{re.escape(error)}', html)
    # What was typed in the card number is never written back into the page.
    assert "4242424242424242" not in html.replace("4242 4242 4242 4242", "")
    assert session_of(payment).status == SandboxSession.Status.OPEN
    assert SandboxOutbox.objects.count() == 0


def test_missing_page_cancel_and_revisit_after_paying(client, payer, frozen, commit) -> None:
    payment = start(payer)
    assert client.get("/payments/sandbox/pay/cs_sandbox_nope/").status_code == 404
    assert client.get(f"{page(payment)}cancel/")["Location"] == CANCEL_URL
    with commit():
        pay(client, payment, "4242424242424242")
        # A second submission (double click) shows the payment made and charges nothing more.
        again = pay(client, payment, "4000000000000002")
    assert again.status_code == 200
    assert SandboxOutbox.objects.count() == 1
    for html in (again.content.decode(), client.get(page(payment)).content.decode()):
        assert "This payment is made with the Visa card ending in 4242." in html
        assert f'href="{RETURN_URL}?session_id={payment.provider_session_id}"' in html


def test_an_unpaid_page_expires_after_a_day_and_the_payment_fails(
    client, payer, frozen, commit, published
) -> None:
    payment = start(payer)
    frozen.shift(24 * 3600 + 1)
    with commit():
        assert sandbox().outbox_deliver_due() == 1
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == (Payment.Status.FAILED, "expired")
    assert client.get(page(payment)).status_code == 410
    assert pay(client, payment, "4242424242424242").status_code == 410
    assert published.counts() == {"PaymentFailed": 1}


# --- Delivery over HTTP, retried with backoff ---------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[str, dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, dict(self.headers), body))
        self.send_response(self.answers.pop(0) if self.answers else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Any:
    _Receiver.answers = [500, 503]
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_http_delivery_is_signed_and_retried_with_backoff(
    settings, payer, frozen, commit, receiver
) -> None:
    secret = "whsec_http_test"
    settings.SITE_URL = f"http://127.0.0.1:{receiver.server_address[1]}"
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "payments": {
            "BACKEND": "recommerce.payments.providers.sandbox.SandboxPaymentProvider",
            "OPTIONS": {"webhook_secret": secret, "transport": "http"},
        },
    }
    payment = start(payer)
    with commit():
        sandbox().card_pay(public_id=payment.provider_session_id, number="4242424242424242")
    frozen.shift(2)
    assert sandbox().outbox_deliver_due() == 0  # answered 500
    row = SandboxOutbox.objects.get()
    assert (row.attempts, row.last_error, row.delivered_at) == (1, "HTTP 500", None)
    assert row.deliver_after == clock.now() + retry_delay(1)
    assert sandbox().outbox_deliver_due() == 0  # not due yet: nothing sent
    frozen.shift(5)
    assert sandbox().outbox_deliver_due() == 0  # answered 503
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (2, "HTTP 503")
    assert row.deliver_after == clock.now() + retry_delay(2)
    frozen.shift(10)
    assert sandbox().outbox_deliver_due() == 1
    row.refresh_from_db()
    assert (row.attempts, row.last_error, row.delivered_at) == (3, "", clock.now())
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 10, 20)] == [5, 10, 20, 2560, 3600]
    assert len(receiver.RequestHandlerClass.received) == 3
    for path, headers, body in receiver.RequestHandlerClass.received:
        assert path == "/payments/webhooks/sandbox/"
        assert json.loads(body)["type"] == "payment.succeeded"
        signing.verify(
            secret=secret,
            body=body,
            header=headers[signing.SIGNATURE_HEADER],
            now=int(clock.now().timestamp()),
        )


def test_http_delivery_to_a_closed_port_counts_the_attempt(settings, payer, frozen, commit):
    settings.SITE_URL = "http://127.0.0.1:9"
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "payments": {
            "BACKEND": "recommerce.payments.providers.sandbox.SandboxPaymentProvider",
            "OPTIONS": {"webhook_secret": "whsec_x", "transport": "http"},
        },
    }
    payment = start(payer)
    with commit():
        sandbox().card_pay(public_id=payment.provider_session_id, number="4000000000000002")
    row = SandboxOutbox.objects.get()
    assert row.attempts == 1
    assert row.last_error.startswith("connection failed")
    assert row.delivered_at is None
