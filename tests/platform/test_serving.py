"""How pages and static files leave the server: the demo's settings, compression, caching."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from recommerce import cli

pytestmark = pytest.mark.django_db

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
YEAR = "max-age=315360000, public, immutable"
PRINT_SETTINGS = """
import json, os
from recommerce import cli
os.environ.update(cli.demo_environment("127.0.0.1", "8000", os.environ))
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL": settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL,
    "SITE_URL": settings.SITE_URL,
}))
"""


def test_the_demo_settings_serve_like_production_on_plain_http(tmp_path):
    """Hardening 5.1: the demo runs without DEBUG, on http://127.0.0.1 with no HTTPS rule."""
    keep = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {"RECOMMERCE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "recommerce.settings"}
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT_SETTINGS], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(output) == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["localhost", "127.0.0.1", "[::1]"],
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "STATICFILES": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "http",
        "SITE_URL": "http://127.0.0.1:8000",
    }


def test_an_unknown_address_shows_the_branded_page_without_the_url_patterns(client):
    """Hardening 5.1: a 404 names no URL pattern and keeps the site's header and search."""
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "This page could not be found" in html
    assert 'class="site-header"' in html and 'role="search"' in html
    for leak in ("URLconf", "api/v1/", "staff/", "Django", "Traceback"):
        assert leak not in html


@pytest.fixture
def collected(tmp_path):
    """Collect, hash and compress the static files as ``recommerce demo`` does."""
    root = tmp_path / "static"
    with override_settings(
        STATIC_ROOT=str(root), STORAGES=MANIFEST_STORAGES, WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", "--no-input", "-v", "0")
        yield root


def test_hashed_static_files_are_served_compressed_and_cached_for_a_year(collected):
    """Hardening 7.3: WhiteNoise serves the hashed, gzipped copy with a year's lifetime."""
    client = Client()  # a new handler: WhiteNoise reads the collected files when it starts
    page = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/platform/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "pages link the hashed stylesheet"
    response = client.get(stylesheet[1], HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Cache-Control"] == YEAR
    assert response["Content-Encoding"] == "gzip"
    body = b"".join(response.streaming_content)
    assert (
        gzip.decompress(body) == (collected / stylesheet[1].removeprefix("/static/")).read_bytes()
    )
    plain = client.get(stylesheet[1])
    assert "Content-Encoding" not in plain and plain["Cache-Control"] == YEAR
    # A name without its hash may change at the next release: short lifetime.
    unhashed = client.get("/static/platform/site.css")
    assert unhashed["Cache-Control"] == "max-age=60, public"


def test_pages_are_compressed_with_random_padding(client):
    """Hardening 7.3: HTML is gzipped, and its length varies (BREACH mitigation)."""
    sizes = set()
    for _ in range(6):
        response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert b"<!doctype html>" in gzip.decompress(response.content)
        sizes.add(len(response.content))
    assert len(sizes) > 1
    assert "Content-Encoding" not in client.get("/")


def test_json_answers_are_not_compressed(client):
    """Hardening 7.3: only pages are gzipped; API answers, which carry tokens, are not."""
    response = client.get("/api/v1/categories", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "Content-Encoding" not in response
    assert response.json() == []


def test_every_script_is_deferred(client):
    """Hardening 7.3: no script blocks the page from rendering."""
    html = client.get("/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) >= 3
    assert [tag for tag in scripts if " defer" not in tag] == []


def test_the_demo_collects_static_files_once_until_they_change(tmp_path, monkeypatch):
    """Hardening 7.3: ``recommerce demo`` collects the static files itself, and only anew
    when a source file changed."""
    calls: list[list[str]] = []
    monkeypatch.setattr(cli, "_manage", lambda argv: calls.append(argv) or _collect(tmp_path))
    with override_settings(STATIC_ROOT=str(tmp_path)):
        cli._collect_static()
        cli._collect_static()
        assert calls == [["collectstatic", "--no-input", "--clear", "-v", "0"]]
        monkeypatch.setattr(cli, "_static_sources_digest", lambda: "changed")
        cli._collect_static()
    assert len(calls) == 2


def _collect(root) -> None:
    (root / "staticfiles.json").write_text("{}")
