"""A local fake identity provider that plays Google's and Apple's OAuth2/OpenID endpoints.

It listens on 127.0.0.1 (an ephemeral port) with the standard library's HTTP server, so
allauth's real provider code talks to it over real HTTP with ``requests``:

- ``/google/auth`` redirects straight back to ``redirect_uri`` with ``code`` and ``state``;
  ``/google/token`` exchanges the code for an ID token; ``/google/certs`` publishes the
  public key as ``{kid: PEM X.509 certificate}``, as ``googleapis.com/oauth2/v1/certs`` does.
- ``/apple/auth/authorize`` answers with an auto-submitting form (``response_mode=form_post``)
  carrying ``code``, ``state``, ``id_token`` and, on the first authorisation of an app only,
  the ``user`` JSON with the name; ``/apple/auth/token`` checks the client secret (an ES256
  JWT signed with the app's private key) before it answers; ``/apple/auth/keys`` is a JWKS.

ID tokens are RS256 with a ``kid`` header, and carry, besides the claims the platform may
keep, claims it must not keep (picture, locale, given and family names, phone number...).
Every request is recorded, so a test can show the flow really went through here.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

GOOGLE_ISSUER = "https://accounts.google.com"
APPLE_ISSUER = "https://appleid.apple.com"
KID = "fake-idp-key-1"

# Claims an identity provider sends that the platform must not keep (COLLECT-6).
GOOGLE_EXTRA_CLAIMS = {
    "picture": "https://lh3.googleusercontent.com/a/fake-photo",
    "locale": "fr",
    "hd": "example.com",
    "phone_number": "+33612345678",
}
APPLE_EXTRA_CLAIMS = {
    "is_private_email": False,
    "real_user_status": 2,
    "nonce_supported": True,
    "phone_number": "+33612345678",
}


@cache
def rsa_key(label: str = "idp") -> rsa.RSAPrivateKey:
    """An RSA key per label, made once per test run (key generation is the slow part)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def ec_key(label: str = "apple-client") -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def certificate_pem(key: rsa.RSAPrivateKey) -> str:
    """A self-signed certificate for ``key``: Google publishes its keys this way (v1/certs)."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-idp")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


@dataclass
class Person:
    """Who is signed in at the identity provider."""

    sub: str
    email: str
    first_name: str = ""
    last_name: str = ""
    email_verified: bool = True
    display_name: str = ""  # the ``name`` claim when it is not "first last"

    @property
    def name(self) -> str:
        return self.display_name or f"{self.first_name} {self.last_name}".strip()


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeIdP:
    person: Person
    google_client: tuple[str, str]  # client_id, secret
    apple_client: tuple[str, str, str]  # client_id, team id, key id
    apple_client_public_key: ec.EllipticCurvePublicKey
    # Tampering: claims that replace the right ones, another key to sign ID tokens with.
    claim_overrides: dict[str, Any] = field(default_factory=dict)
    sign_with: rsa.RSAPrivateKey | None = None
    requests: list[Recorded] = field(default_factory=list)
    form_posts: list[dict[str, str]] = field(default_factory=list)  # what Apple posted back
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    apple_authorised: set[tuple[str, str]] = field(default_factory=set)
    base_url: str = ""

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def paths(self, method: str | None = None) -> list[str]:
        return [r.path for r in self.requests if method in (None, r.method)]

    def id_token(self, issuer: str, client_id: str, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": issuer,
            "aud": client_id,
            "sub": self.person.sub,
            "iat": now,
            "exp": now + 3600,
            **claims,
            **self.claim_overrides,
        }
        key = self.sign_with or rsa_key()
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": KID})

    # --- Google ------------------------------------------------------------------------
    def google_claims(self) -> dict[str, Any]:
        person = self.person
        claims: dict[str, Any] = {
            "azp": self.google_client[0],
            "email": person.email,
            "email_verified": person.email_verified,
            **GOOGLE_EXTRA_CLAIMS,
        }
        if person.name:
            claims |= {
                "name": person.name,
                "given_name": person.first_name,
                "family_name": person.last_name,
            }
        return claims

    # --- Apple -------------------------------------------------------------------------
    def apple_claims(self) -> dict[str, Any]:
        return {
            "email": self.person.email,
            "email_verified": "true" if self.person.email_verified else "false",
            "auth_time": int(time.time()),
            **APPLE_EXTRA_CLAIMS,
        }

    def apple_user_field(self, client_id: str) -> str:
        """Apple sends the name only the first time a person authorises an app."""
        first_time = (client_id, self.person.sub) not in self.apple_authorised
        self.apple_authorised.add((client_id, self.person.sub))
        if not first_time or not self.person.name:
            return ""
        name = {"firstName": self.person.first_name, "lastName": self.person.last_name}
        return json.dumps({"name": name, "email": self.person.email})

    def check_apple_client_secret(self, form: dict[str, str]) -> bool:
        client_id, team_id, key_id = self.apple_client
        try:
            header = jwt.get_unverified_header(form.get("client_secret", ""))
            claims = jwt.decode(
                form["client_secret"],
                self.apple_client_public_key,
                algorithms=["ES256"],
                audience=APPLE_ISSUER,
                issuer=team_id,
            )
        except (jwt.PyJWTError, KeyError):
            return False
        return header.get("kid") == key_id and claims.get("sub") == client_id

    # --- Both --------------------------------------------------------------------------
    def new_code(self, provider: str, query: dict[str, str]) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "provider": provider,
            "client_id": query.get("client_id"),
            "redirect_uri": query.get("redirect_uri"),
            "code_challenge": query.get("code_challenge"),
            "nonce": query.get("nonce"),
        }
        return code

    def redeem_code(self, provider: str, form: dict[str, str]) -> dict[str, Any] | None:
        """The grant behind a code, once, if the client and redirect URI match."""
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or grant["provider"] != provider
            or form.get("grant_type") != "authorization_code"
            or grant["client_id"] != form.get("client_id")
            or grant["redirect_uri"] != form.get("redirect_uri")
        ):
            return None
        if challenge := grant["code_challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != challenge:
                return None
        return grant

    def token_response(self, issuer: str, grant: dict[str, Any], claims: dict[str, Any]) -> Any:
        access_token = secrets.token_urlsafe(24)
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3599,
            "refresh_token": secrets.token_urlsafe(24),
            "id_token": self.id_token(
                issuer, grant["client_id"], at_hash=at_hash(access_token), **claims
            ),
        }

    def handle(self, method: str, path: str, query: dict[str, str], form: dict[str, str]):
        """Answer a request: (status, headers, body)."""
        self.requests.append(Recorded(method, path, query, form))
        if (method, path) == ("GET", "/google/auth"):
            if query.get("client_id") != self.google_client[0]:
                return 400, {}, b"invalid_client"
            code = self.new_code("google", query)
            back = urlencode({"code": code, "state": query.get("state", "")})
            location = f"{query['redirect_uri']}?{back}"
            return 302, {"Location": location}, b""
        if (method, path) == ("POST", "/google/token"):
            grant = self.redeem_code("google", form)
            if form.get("client_secret") != self.google_client[1]:
                return json_body({"error": "invalid_client"}, 401)
            if grant is None:
                return json_body({"error": "invalid_grant"}, 400)
            return json_body(self.token_response(GOOGLE_ISSUER, grant, self.google_claims()))
        if (method, path) == ("GET", "/google/certs"):
            return json_body({KID: certificate_pem(rsa_key())})
        if (method, path) == ("GET", "/apple/auth/authorize"):
            if query.get("client_id") != self.apple_client[0]:
                return 400, {}, b"invalid_client"
            code = self.new_code("apple", query)
            fields = {
                "state": query.get("state", ""),
                "code": code,
                # response_type "code id_token": an ID token comes with the code, too.
                "id_token": self.id_token(APPLE_ISSUER, query["client_id"], **self.apple_claims()),
                "user": self.apple_user_field(query["client_id"]),
            }
            self.form_posts.append({k: v for k, v in fields.items() if v})
            return 200, {"Content-Type": "text/html"}, auto_post(query["redirect_uri"], fields)
        if (method, path) == ("POST", "/apple/auth/token"):
            if not self.check_apple_client_secret(form):
                return json_body({"error": "invalid_client"}, 400)
            grant = self.redeem_code("apple", form)
            if grant is None:
                return json_body({"error": "invalid_grant"}, 400)
            return json_body(self.token_response(APPLE_ISSUER, grant, self.apple_claims()))
        if (method, path) == ("GET", "/apple/auth/keys"):
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key().public_key()))
            return json_body({"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256"}]})
        return 404, {}, b"not found"


def json_body(data: Any, status: int = 200) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode()


def auto_post(action: str, fields: dict[str, str]) -> bytes:
    """The page Apple answers with for response_mode=form_post: a form that submits itself."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
        if v
    )
    page = (
        f'<html><body onload="document.forms[0].submit()">'
        f'<form method="post" action="{html.escape(action)}">{inputs}</form></body></html>'
    )
    return page.encode()


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.action:
            self.action = values.get("action", "")
        elif tag == "input" and values.get("name"):
            self.fields[values["name"]] = values.get("value", "")


def parse_form(page: str) -> tuple[str, dict[str, str]]:
    """The first form's action and the values of all inputs of a page."""
    parser = _FormParser()
    parser.feed(page)
    return parser.action, parser.fields


def path_of(url: str) -> str:
    """``/path?query`` of an absolute URL, to hand to Django's test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class _Handler(BaseHTTPRequestHandler):
    def _answer(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        status, headers, payload = self.server.idp.handle(  # type: ignore[attr-defined]
            method, parts.path, dict(parse_qsl(parts.query)), dict(parse_qsl(body))
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


class FakeIdPServer:
    """Runs a FakeIdP on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, idp: FakeIdP) -> None:
        self.idp = idp
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.idp = idp  # type: ignore[attr-defined]
        host, port = self.httpd.server_address[:2]
        idp.base_url = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeIdP:
        self.thread.start()
        return self.idp

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
