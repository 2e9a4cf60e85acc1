from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from recommerce.accounts.providers.vat import (
    SandboxVatLookup,
    VatCheckRequest,
    VatCheckResult,
    ViesRestVatLookup,
    get_vat_lookup,
)
from recommerce.platform.identifiers import VatNumber, vat_number
from recommerce.platform.providers import (
    ProviderError,
    ProviderUnavailable,
    clear_provider_cache,
    get_provider,
)

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
SANDBOX = "recommerce.accounts.providers.vat.SandboxVatLookup"
VIES = "recommerce.accounts.providers.vat.ViesRestVatLookup"


@pytest.fixture(autouse=True)
def _fresh_providers() -> Iterator[None]:
    clear_provider_cache()
    yield
    clear_provider_cache()


# --- Provider loading ---------------------------------------------------------------------


def test_the_sandbox_is_the_default_and_is_built_once():
    lookup = get_vat_lookup()
    assert type(lookup) is SandboxVatLookup
    assert get_provider("vat_lookup") is lookup
    assert get_vat_lookup() is lookup


def test_clearing_the_cache_builds_a_new_instance():
    first = get_vat_lookup()
    clear_provider_cache()
    assert get_vat_lookup() is not first


def test_override_settings_switches_the_provider_and_back():
    sandbox = get_vat_lookup()
    with override_settings(PROVIDERS={"vat_lookup": VIES}):
        vies = get_vat_lookup()
        assert type(vies) is ViesRestVatLookup
        assert vies.url == "https://ec.europa.eu/taxation_customs/vies/rest-api/check-vat-number"
    assert type(get_vat_lookup()) is SandboxVatLookup
    assert get_vat_lookup() is not sandbox


def test_options_become_constructor_arguments():
    configured = {"BACKEND": VIES, "OPTIONS": {"base_url": "http://vies.test/api/", "timeout": 3}}
    with override_settings(PROVIDERS={"vat_lookup": configured}):
        lookup = get_vat_lookup()
    assert type(lookup) is ViesRestVatLookup
    assert (lookup.url, lookup.timeout) == ("http://vies.test/api/check-vat-number", 3)


@pytest.mark.parametrize(
    ("providers", "message"),
    [
        ({}, "No provider named 'vat_lookup' in settings.PROVIDERS."),
        (
            {"vat_lookup": "recommerce.accounts.providers.vat.Nowhere"},
            "settings.PROVIDERS['vat_lookup'] names 'recommerce.accounts.providers.vat.Nowhere', "
            'which cannot be imported: Module "recommerce.accounts.providers.vat" does not define '
            'a "Nowhere" attribute/class',
        ),
        (
            {"vat_lookup": {"OPTIONS": {}}},
            "settings.PROVIDERS['vat_lookup'] must be a dotted class path or a dict with "
            '"BACKEND" and optional "OPTIONS", not {\'OPTIONS\': {}}.',
        ),
    ],
)
def test_misconfiguration_is_reported(providers, message):
    with override_settings(PROVIDERS=providers), pytest.raises(ImproperlyConfigured) as caught:
        get_provider("vat_lookup")
    assert str(caught.value) == message


def test_a_class_without_check_is_not_a_vat_lookup():
    with (
        override_settings(PROVIDERS={"vat_lookup": "collections.OrderedDict"}),
        pytest.raises(ImproperlyConfigured),
    ):
        get_vat_lookup()


# --- Sandbox ------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_sandbox_registers_valid_numbers_with_a_made_up_company():
    lookup = SandboxVatLookup()
    assert lookup.check(vat_number("FR40303265045")) == VatCheckResult(
        valid=True,
        country="FR",
        number="FR40303265045",
        name="SANDBOX GRANITE SAS",
        address="80 HIGH STREET\n75002 PARIS",
        reference="",
        checked_at=NOW,
    )
    assert lookup.check(vat_number("EL094259216")) == VatCheckResult(
        valid=True,
        country="GR",
        number="EL094259216",
        name="SANDBOX PHOENIX IKE",
        address="8 HARBOUR LANE\n105 57 ATHINA",
        reference="",
        checked_at=NOW,
    )


def test_sandbox_answers_are_deterministic_and_a_requester_gets_a_reference():
    number, requester = vat_number("FR40303265045"), vat_number("DE136695976")
    first = SandboxVatLookup().check(number, requester=requester)
    again = SandboxVatLookup().check(number, requester=requester)
    assert first.reference == again.reference == "WAPI38BE469CFDCA"
    assert (first.name, first.address) == (again.name, again.address)


def test_sandbox_germany_discloses_no_name_or_address():
    result = SandboxVatLookup().check(vat_number("DE136695976"))
    assert (result.valid, result.name, result.address) == (True, "", "")


@time_machine.travel(NOW, tick=False)
def test_sandbox_numbers_ending_000_are_not_registered():
    assert SandboxVatLookup().check(vat_number("FR22303276000")) == VatCheckResult(
        valid=False,
        country="FR",
        number="FR22303276000",
        name="",
        address="",
        reference="",
        checked_at=NOW,
    )
    assert SandboxVatLookup().check(vat_number("DE136707000")).valid is False


def test_sandbox_numbers_with_wrong_check_digits_are_not_registered():
    unchecked = VatNumber(country="FR", number="FR41303265045", display="FR41303265045")
    assert SandboxVatLookup().check(unchecked).valid is False


@pytest.mark.parametrize("typed", ["FR68303268999", "DE136697999"])
def test_sandbox_numbers_ending_999_meet_an_unavailable_member_state(typed):
    with pytest.raises(ProviderUnavailable) as caught:
        SandboxVatLookup().check(vat_number(typed))
    assert caught.value.code == "MS_UNAVAILABLE"


def test_sandbox_member_states_can_be_made_unavailable():
    lookup = SandboxVatLookup(unavailable=["it"])
    with pytest.raises(ProviderUnavailable) as caught:
        lookup.check(vat_number("IT00743110157"))
    assert str(caught.value) == "The IT member state's service is unavailable (sandbox)."
    assert lookup.check(vat_number("FR40303265045")).valid is True


@pytest.mark.parametrize("typed", ["GB980780684", "CHE107787577IVA"])
def test_sandbox_refuses_numbers_outside_vies(typed):
    with pytest.raises(ProviderError) as caught:
        SandboxVatLookup().check(vat_number(typed))
    assert type(caught.value) is ProviderError
    assert caught.value.code == "INVALID_INPUT"


def test_sandbox_refuses_a_requester_with_wrong_check_digits():
    unchecked = VatNumber(country="DE", number="DE136695978", display="DE136695978")
    with pytest.raises(ProviderError) as caught:
        SandboxVatLookup().check(vat_number("FR40303265045"), requester=unchecked)
    assert caught.value.code == "INVALID_REQUESTER_INFO"


def test_sandbox_remembers_every_call_even_failed_ones():
    lookup = SandboxVatLookup()
    number, failing, requester = (
        vat_number("FR40303265045"),
        vat_number("FR68303268999"),
        vat_number("DE136695976"),
    )
    lookup.check(number, requester=requester)
    with pytest.raises(ProviderUnavailable):
        lookup.check(failing)
    assert lookup.calls == [
        VatCheckRequest(number=number, requester=requester),
        VatCheckRequest(number=failing, requester=None),
    ]


# --- VIES REST adapter against a local fake -------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: object = None
    raw: bytes | None = None
    hang: bool = False


@dataclass
class FakeVies:
    url: str
    replies: list[Reply] = field(default_factory=list)
    received: list[tuple[str, str, str | None, object]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def vies() -> Iterator[FakeVies]:
    fake: FakeVies

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            fake.received.append((self.command, self.path, self.headers["Content-Type"], body))
            reply = fake.replies.pop(0)
            if reply.hang:
                fake.release.wait(5)
                return
            payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeVies(url=f"http://127.0.0.1:{server.server_address[1]}/rest-api")
    # A short poll keeps shutdown() quick: it waits for the serving loop's next poll.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def _adapter(fake: FakeVies, timeout: float = 5) -> ViesRestVatLookup:
    return ViesRestVatLookup(base_url=fake.url + "/", timeout=timeout)


def test_vies_qualified_check_sends_the_requester_and_reads_the_answer(vies):
    vies.replies.append(
        Reply(
            body={
                "countryCode": "FR",
                "vatNumber": "40303265045",
                "requestDate": "2026-03-02T09:30:12.345Z",
                "valid": True,
                "requestIdentifier": "WAPIAAAAZ1x2y3z4",
                "name": "SA SODIMAS",
                "address": "11 RUE AMPERE\n26600 PONT DE L ISERE",
                "traderName": "---",
                "traderNameMatch": "NOT_PROCESSED",
            }
        )
    )
    result = _adapter(vies).check(vat_number("FR40303265045"), requester=vat_number("EL094259216"))
    assert result == VatCheckResult(
        valid=True,
        country="FR",
        number="FR40303265045",
        name="SA SODIMAS",
        address="11 RUE AMPERE\n26600 PONT DE L ISERE",
        reference="WAPIAAAAZ1x2y3z4",
        checked_at=dt.datetime(2026, 3, 2, 9, 30, 12, 345000, tzinfo=dt.UTC),
    )
    assert vies.received == [
        (
            "POST",
            "/rest-api/check-vat-number",
            "application/json",
            {
                "countryCode": "FR",
                "vatNumber": "40303265045",
                "requesterMemberStateCode": "EL",
                "requesterNumber": "094259216",
            },
        )
    ]


@time_machine.travel(NOW, tick=False)
def test_vies_plain_check_sends_no_requester_and_drops_undisclosed_fields(vies):
    vies.replies.append(
        Reply(
            body={
                "countryCode": "EL",
                "vatNumber": "094259216",
                "requestDate": "2026-03-02+01:00",
                "valid": False,
                "name": "---",
                "address": "---",
            }
        )
    )
    result = _adapter(vies).check(vat_number("EL094259216"))
    assert result == VatCheckResult(
        valid=False,
        country="GR",
        number="EL094259216",
        name="",
        address="",
        reference="",
        checked_at=NOW,
    )
    assert vies.received[0][3] == {"countryCode": "EL", "vatNumber": "094259216"}


@pytest.mark.parametrize("status", [200, 500])
@pytest.mark.parametrize(
    "code",
    ["MS_UNAVAILABLE", "TIMEOUT", "SERVICE_UNAVAILABLE", "MS_MAX_CONCURRENT_REQ"],
)
def test_vies_temporary_errors_mean_unavailable(vies, status, code):
    vies.replies.append(
        Reply(
            status=status,
            body={
                "actionSucceed": False,
                "errorWrappers": [{"error": code, "message": "Try again later."}],
            },
        )
    )
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(vies).check(vat_number("DE136695976"))
    assert caught.value.code == code
    assert str(caught.value) == f"VIES: {code} Try again later."


def test_vies_invalid_input_is_a_permanent_error(vies):
    vies.replies.append(
        Reply(
            status=400,
            body={"actionSucceed": False, "errorWrappers": [{"error": "INVALID_INPUT"}]},
        )
    )
    with pytest.raises(ProviderError) as caught:
        _adapter(vies).check(vat_number("DE136695976"))
    assert type(caught.value) is ProviderError
    assert caught.value.code == "INVALID_INPUT"
    assert str(caught.value) == "VIES refused the request: INVALID_INPUT"


def test_vies_http_500_without_json_is_unavailable(vies):
    vies.replies.append(Reply(status=500, raw=b"<html>Internal Server Error</html>"))
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(vies).check(vat_number("DE136695976"))
    assert str(caught.value) == "VIES answered HTTP 500."


def test_vies_success_without_a_validity_is_an_error(vies):
    vies.replies.append(Reply(status=200, raw=b"<html>Maintenance</html>"))
    with pytest.raises(ProviderError) as caught:
        _adapter(vies).check(vat_number("DE136695976"))
    assert type(caught.value) is ProviderError


def test_vies_timeout_is_unavailable(vies):
    vies.replies.append(Reply(hang=True))
    with pytest.raises(ProviderUnavailable) as caught:
        _adapter(vies, timeout=0.2).check(vat_number("DE136695976"))
    assert str(caught.value).startswith("VIES could not be reached: ")


def test_vies_unreachable_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more: the connection is refused.
    lookup = ViesRestVatLookup(base_url=f"http://127.0.0.1:{port}", timeout=2)
    with pytest.raises(ProviderUnavailable):
        lookup.check(vat_number("DE136695976"))


def test_vies_numbers_outside_vies_are_refused_before_sending(vies):
    with pytest.raises(ProviderError) as caught:
        _adapter(vies).check(vat_number("GB980780684"))
    assert caught.value.code == "INVALID_INPUT"
    with pytest.raises(ProviderError) as caught:
        _adapter(vies).check(vat_number("DE136695976"), requester=vat_number("GB980780684"))
    assert caught.value.code == "INVALID_REQUESTER_INFO"
    assert vies.received == []


def test_vies_base_url_must_be_http():
    with pytest.raises(ImproperlyConfigured):
        ViesRestVatLookup(base_url="file:///etc/passwd")
