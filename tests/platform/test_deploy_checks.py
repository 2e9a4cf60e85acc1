"""``check --deploy`` refuses what only the demo may have (docs/deploy.md)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command

from recommerce.accounts.models import User
from recommerce.demo.people import DEMO_LOGINS
from tests import factories as f

pytestmark = pytest.mark.django_db

OURS = {
    "platform.E101",
    "privacy.E101",
    "privacy.E102",
    "privacy.E103",
    "privacy.E104",
    "payments.E101",
    "support.E101",
    "support.E102",
    "demo.E001",
}
STRIPE = {
    "BACKEND": "recommerce.payments.providers.stripe.StripePaymentProvider",
    "OPTIONS": {"secret_key": "sk_test_x", "webhook_secret": "whsec_x", "connect_accounts": {}},
}
ACTIVATION = {
    "BACKEND": "recommerce.support.providers.activation.HttpActivationLockService",
    "OPTIONS": {"base_url": "https://imei-check.example.com/v1", "api_key": "k"},
}
IDENTITY = {
    "BACKEND": "recommerce.support.providers.identity_stripe.StripeIdentityVerifier",
    "OPTIONS": {"secret_key": "sk_test_x", "webhook_secret": "whsec_identity_x"},
}
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def deploy_errors() -> dict[str, str]:
    found = checks.run_checks(include_deployment_checks=True)
    return {m.id: m.msg for m in found if m.id in OURS and m.level >= checks.ERROR}


def configured(settings) -> None:
    settings.SECRET_KEY_FROM_FILE = False
    settings.ENCRYPTION_KEYS = [base64.urlsafe_b64encode(os.urandom(32)).decode()]
    settings.BLIND_INDEX_KEY = secrets.token_urlsafe(32)
    settings.PROVIDERS = {
        **settings.PROVIDERS, "payments": STRIPE, "activation_lock": ACTIVATION,
        "identity": IDENTITY,
    }  # fmt: skip
    if not settings.DATABASE_URL.startswith("sqlite"):
        settings.PRIVACY_LEDGER_URL = "postgres://ledger@ledger.internal:5432/recommerce_ledger"


def test_a_configured_deployment_passes(settings):
    """Hardening 2.3: keys from the environment, Stripe and no demo account: no error."""
    configured(settings)
    assert deploy_errors() == {}


def test_each_demo_only_setting_fails_the_deploy_check(settings, tmp_path):
    """Hardening 2.3: generated keys, the sandbox and demo accounts each fail, with the fix."""
    settings.VAR_DIR = tmp_path
    settings.SECRET_KEY_FROM_FILE = True
    # The demo's ledger, a file beside its SQLite database, is a valid deployment's too.
    settings.DATABASE_URL = f"sqlite:///{tmp_path / 'recommerce.sqlite3'}"
    settings.PRIVACY_LEDGER_URL = f"sqlite:///{tmp_path / 'erasure-ledger.sqlite3'}"
    User.objects.create_user(email=DEMO_LOGINS[0][1], password=None)
    errors = deploy_errors()
    assert set(errors) == OURS - {"privacy.E103", "privacy.E104"}
    assert str(tmp_path / "secret_key") in errors["platform.E101"]
    assert str(tmp_path / "encryption_keys") in errors["privacy.E101"]
    assert str(tmp_path / "blind_index_key") in errors["privacy.E102"]
    assert "sandbox payment provider" in errors["payments.E101"]
    assert "SEC-3" in errors["support.E101"]
    assert "identity-verification" in errors["support.E102"]
    assert DEMO_LOGINS[0][1] in errors["demo.E001"]


@pytest.mark.parametrize("missing", ["SECRET_KEY_FROM_FILE", "ENCRYPTION_KEYS", "BLIND_INDEX_KEY"])
def test_one_key_made_on_this_machine_is_enough_to_fail(settings, missing):
    """Hardening 2.3: every key of a deployment comes from its configuration."""
    configured(settings)
    setattr(
        settings,
        missing,
        True if missing == "SECRET_KEY_FROM_FILE" else type(getattr(settings, missing))(),
    )
    expected = {"SECRET_KEY_FROM_FILE": "platform.E101", "ENCRYPTION_KEYS": "privacy.E101",
                "BLIND_INDEX_KEY": "privacy.E102"}[missing]  # fmt: skip
    assert set(deploy_errors()) == {expected}


@pytest.mark.parametrize(
    ("database", "ledger", "expected"),
    [
        ("sqlite:///srv/var/recommerce.sqlite3", "sqlite:///srv/var/../var/recommerce.sqlite3",
         "privacy.E103"),
        ("postgres://app@db:5432/shop", "postgres://ledger@db/shop", "privacy.E103"),
        ("postgres://app@db:5432/shop", "sqlite:///srv/var/erasure-ledger.sqlite3",
         "privacy.E104"),
        ("postgres://app@db:5432/shop", "postgres://ledger@db:5432/shop_ledger", None),
        ("sqlite:///srv/var/recommerce.sqlite3", "sqlite:///srv/var/erasure-ledger.sqlite3",
         None),
    ],
)  # fmt: skip
def test_the_erasure_ledger_must_live_apart_from_the_database(settings, database, ledger, expected):
    """Faults 1: a ledger inside the database it repairs, or per machine, fails the deploy."""
    configured(settings)
    settings.DATABASE_URL, settings.PRIVACY_LEDGER_URL = database, ledger
    assert set(deploy_errors()) == ({expected} if expected else set())


def test_demo_accounts_fail_only_while_they_exist(settings):
    """Hardening 2.3: the published demo logins must not exist in production."""
    configured(settings)
    user = User.objects.create_user(email="seller@recommerce.test", password=None)
    assert set(deploy_errors()) == {"demo.E001"}
    user.delete()
    assert deploy_errors() == {}


def test_debug_turns_the_deploy_checks_off(settings):
    """Hardening 2.3: the checks guard production; a DEBUG development machine is not one."""
    settings.DEBUG = True
    settings.SECRET_KEY_FROM_FILE = True
    User.objects.create_user(email="admin@recommerce.test", password=None)
    assert deploy_errors() == {}


def run_check(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    keep = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {
        "RECOMMERCE_VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "shop.example.com",
        "SECRET_KEY": secrets.token_urlsafe(50),
        **extra,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_the_ci_deploy_check_passes_with_keys_and_a_real_provider(tmp_path):
    """Hardening 2.3: the environment CI gives ``check --deploy`` passes, without it fails."""
    passing = run_check(
        tmp_path,
        ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        BLIND_INDEX_KEY=secrets.token_urlsafe(32),
        STRIPE_SECRET_KEY="sk_test_ci",
        STRIPE_WEBHOOK_SECRET="whsec_ci",
        IDENTITY_WEBHOOK_SECRET="whsec_identity_ci",
        ACTIVATION_LOCK_URL="https://imei-check.example.com/v1",
        ACTIVATION_LOCK_API_KEY="ci",
    )
    assert (passing.returncode, passing.stderr) == (0, "")
    failing = run_check(tmp_path)
    assert failing.returncode == 1
    for check_id in (
        "privacy.E101",
        "privacy.E102",
        "payments.E101",
        "support.E101",
        "support.E102",
    ):
        assert f"({check_id})" in failing.stderr
    assert "platform.E101" not in failing.stderr


def test_serve_refuses_to_start_on_a_demo_setup(tmp_path):
    """Hardening 2.3: ``recommerce serve`` runs the deploy checks before gunicorn starts."""
    keep = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {"RECOMMERCE_VAR_DIR": str(tmp_path), "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
            "PORT": "1", "HOST": "127.0.0.1"}  # fmt: skip
    code = "import sys; sys.argv = ['recommerce', 'serve']; from recommerce.cli import main; main()"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    for check_id in OURS - {"demo.E001", "privacy.E103", "privacy.E104"}:
        assert f"({check_id})" in done.stderr
    assert "gunicorn" not in done.stderr.lower()


def test_seed_if_empty_adds_no_demo_login_to_another_catalog():
    """Hardening 2.3: a real catalog never gets the accounts whose passwords are published."""
    f.variant(f.device_model("iPhone 13"), storage_gb=128)
    out = StringIO()
    call_command("seed", "--size", "demo", "--if-empty", stdout=out)
    assert not User.objects.filter(email__in=[e for _, e, _ in DEMO_LOGINS]).exists()
    assert "already has 1 device models" in out.getvalue()


def test_seed_if_empty_completes_the_logins_of_a_demo_database(settings):
    """Hardening 2.3: on the demo data set, logins added since it was made still appear."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    f.variant(f.device_model("iPhone 13"), storage_gb=128)
    User.objects.create_user(email="buyer@recommerce.test", password=None)
    call_command("seed", "--size", "demo", "--if-empty", stdout=StringIO())
    emails = set(User.objects.values_list("email", flat=True))
    assert {email for _, email, _ in DEMO_LOGINS} <= emails
