"""A local stand-in for the Stripe REST endpoints the adapter calls, recording each request."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeStripe:
    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    # The Checkout Session's state as Stripe would report it on retrieval.
    session_status: str = "open"
    payment_status: str = "unpaid"
    refund_status: str = "succeeded"
    # (status, body) answered once to the next request instead of the normal answer.
    fail_next: tuple[int, dict[str, Any]] | None = None
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def answer(self, recorded: Recorded) -> tuple[int, dict[str, Any]]:
        if self.fail_next is not None:
            failure, self.fail_next = self.fail_next, None
            return failure
        form = recorded.form
        if recorded.method == "POST" and recorded.path == "/v1/checkout/sessions":
            number = len(self.sessions) + 1
            session = {
                "id": f"cs_test_{number}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.com/c/pay/cs_test_{number}",
                "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
                "currency": form["line_items[0][price_data][currency]"],
                "client_reference_id": form["client_reference_id"],
                "mode": "payment",
                "status": "open",
                "payment_status": "unpaid",
                "payment_intent": None,
            }
            self.sessions[session["id"]] = session
            return 200, session
        if recorded.method == "GET" and recorded.path.startswith("/v1/checkout/sessions/"):
            session = dict(self.sessions[recorded.path.rsplit("/", 1)[1]])
            session["status"] = self.session_status
            session["payment_status"] = self.payment_status
            if self.session_status == "complete":
                session["payment_intent"] = {
                    "id": "pi_1",
                    "object": "payment_intent",
                    "status": "succeeded" if self.payment_status == "paid" else "processing",
                    "payment_method": {"id": "pm_1", "object": "payment_method", "type": "card"},
                    "latest_charge": {
                        "id": "ch_1",
                        "object": "charge",
                        "payment_method_details": {
                            "type": "card",
                            "card": {"brand": "visa", "last4": "4242", "exp_year": 2034},
                        },
                    },
                    "last_payment_error": None,
                }
            return 200, session
        if recorded.method == "POST" and recorded.path == "/v1/refunds":
            return 200, {
                "id": "re_1",
                "object": "refund",
                "amount": int(form["amount"]),
                "payment_intent": form["payment_intent"],
                "status": self.refund_status,
                "failure_reason": "expired_or_canceled_card"
                if self.refund_status == "failed"
                else None,
            }
        if recorded.method == "POST" and recorded.path == "/v1/transfers":
            return 200, {
                "id": "tr_1",
                "object": "transfer",
                "amount": int(form["amount"]),
                "currency": form["currency"],
                "destination": form["destination"],
                "reversed": False,
            }
        return 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}


@contextmanager
def fake_stripe() -> Iterator[FakeStripe]:
    state = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            recorded = Recorded(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers=dict(self.headers),
                form={key: values[0] for key, values in parse_qs(body).items()},
            )
            state.requests.append(recorded)
            status, payload = state.answer(recorded)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_{len(state.requests)}")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
