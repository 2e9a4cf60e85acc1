"""Settings for every environment, driven by environment variables.

Embedded defaults (SQLite under ``var/``, SqliteHuey, local-memory cache) need nothing
installed; ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

# Lets generic Django classes (ModelAdmin[Model], QuerySet[Model]) be subscripted at run time.
django_stubs_ext.monkeypatch()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("RECOMMERCE_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Read SECRET_KEY from the environment, else from ``var/``, making it on first run."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# A key made on this machine: the deploy check refuses it (platform.E101), since each
# machine of a deployment would make its own and sign what the others cannot verify.
SECRET_KEY_FROM_FILE = not os.environ.get("SECRET_KEY")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
# A check ID listed here is accepted on purpose (e.g. a benchmark on sandbox payments).
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin whose every look at personal data is logged (SEC-1).
    "recommerce.privacy.admin_app.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",
    "django_countries",
    "recommerce.platform",
    "recommerce.privacy",
    "recommerce.accounts",
    "recommerce.catalog",
    "recommerce.offers",
    "recommerce.payments",
    "recommerce.orders",
    "recommerce.checkout",
    "recommerce.support",
    "recommerce.marketing",
    "recommerce.analytics",
    "recommerce.demo",
    # After the project's apps, so accounts' templates restyle allauth's pages.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.apple",
]

MIDDLEWARE = [
    # Health checks before the HTTPS redirect and the Host check; 503 while the database
    # is down (recommerce.platform.outages).
    "recommerce.platform.middleware.OutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML pages leave compressed (static files are compressed ahead by collectstatic),
    # padded with random bytes against BREACH-style length guessing; JSON is left alone.
    "recommerce.platform.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "recommerce.platform.middleware.SecurityHeadersMiddleware",
    "recommerce.privacy.consent.middleware.ConsentMiddleware",
    "recommerce.analytics.middleware.PageViewMiddleware",
]

ROOT_URLCONF = "recommerce.urls"
WSGI_APPLICATION = "recommerce.wsgi.application"
ASGI_APPLICATION = "recommerce.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recommerce.platform.context_processors.site",
                "recommerce.catalog.context_processors.navigation",
                "recommerce.accounts.context_processors.prices",
                "recommerce.checkout.context_processors.cart",
                "recommerce.privacy.notice.context.notice_banner",
            ],
        },
    }
]
if not DEBUG:
    # Cached templates in production; APP_DIRS must be off when loaders are given.
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'recommerce.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of
        # failing with "database is locked" half-way through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA cache_size=-32000;"
            "PRAGMA mmap_size=268435456;"
        ),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, background jobs ---------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
HUEY: dict[str, Any]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "recommerce.platform.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "recommerce",
            # A Redis that does not answer costs a page at most these (seconds); its
            # errors read as misses, retried after RETRY_SECONDS, logged once a minute.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("CACHE_CONNECT_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("CACHE_TIMEOUT", "0.5")),
                "RETRY_SECONDS": 5,
            },
        }
    }
    HUEY = {
        # Tasks queued while Redis is down wait in the database (ADR 0017).
        "huey_class": "recommerce.platform.queue.DurableRedisHuey",
        "name": "recommerce",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    # Rate limits, flags and locks must hold across every web and worker process: they go
    # to a table of the database. Pieces of pages stay in each process's memory, where a
    # read costs microseconds (recommerce.platform.cache.SplitCache, docs/deploy.md).
    CACHES = {
        "default": {
            "BACKEND": "recommerce.platform.cache.SplitCache",
            "OPTIONS": {
                "SHARED": "shared",
                "LOCAL": "pages",
                # Read on every page, each tolerating a minute or more of staleness.
                "LOCAL_PREFIXES": ["catalog:", "template.cache.", "privacy:notice:"],
            },
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "recommerce_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "recommerce",
            # Pages are cached in pieces (cards, fragments, results): the default of 300
            # entries would evict them faster than a shopper browses.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "recommerce",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
HUEY["immediate"] = env_bool("HUEY_IMMEDIATE", False)
# Seconds a 503 (the database unavailable) asks clients to wait before trying again.
OUTAGE_RETRY_AFTER_SECONDS = int(os.environ.get("OUTAGE_RETRY_AFTER_SECONDS", "30"))

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Sign-up and password reset answer the same whether an address is known or not.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "recommerce.accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "recommerce.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Recommerce: "
# Links in emails use https wherever requests are redirected to it (see Security).
ACCOUNT_DEFAULT_HTTP_PROTOCOL = (
    "https" if not DEBUG and env_bool("SECURE_SSL_REDIRECT", True) else "http"
)
SOCIALACCOUNT_ADAPTER = "recommerce.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False
# Social sign-ups see the same form as others, so the age declaration is never skipped.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, Any]] = {}
if os.environ.get("GOOGLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APP": {
            "client_id": os.environ["GOOGLE_CLIENT_ID"],
            "secret": os.environ.get("GOOGLE_CLIENT_SECRET", ""),
        },
        "SCOPE": ["openid", "email", "profile"],
    }
if os.environ.get("APPLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["apple"] = {
        "APPS": [
            {
                "client_id": os.environ["APPLE_CLIENT_ID"],
                "secret": os.environ.get("APPLE_KEY_ID", ""),
                "key": os.environ.get("APPLE_TEAM_ID", ""),
                "settings": {"certificate_key": os.environ.get("APPLE_PRIVATE_KEY", "")},
            }
        ]
    }
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Recommerce"
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_SERVE_SPECIFICATION = True
# Age rules (AGE-1): how a country asks for age, and the thresholds.
AGE_DECLARATION_BY_COUNTRY = {"FR": "birth_date", "US": "attestation"}
AGE_DECLARATION_DEFAULT = "birth_date"
AGE_MINIMUM_ACCOUNT = 13
AGE_ADULT = 18

# --- Email --------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Recommerce <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # Well under the outbox's ten minutes after which an email still "being sent" is sent
    # again: a hung mail server must not cause a copy (platform/outbox.py).
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
else:
    # Without a mail server, messages are written as files under var/mail (the demo's inbox).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
DEFAULT_CURRENCY = os.environ.get("RECOMMERCE_CURRENCY", "EUR")
DEFAULT_LOCALE = os.environ.get("RECOMMERCE_LOCALE", "en_IE")
# Standard VAT rates in basis points, by buyer country: business buyers see prices without it.
VAT_STANDARD_RATES_BP = {
    "default": 2000,
    "AT": 2000, "BE": 2100, "DE": 1900, "ES": 2100, "FR": 2000, "IE": 2300, "IT": 2200,
    "LU": 1700, "NL": 2100, "PL": 2300, "PT": 2300, "SE": 2500,
}  # fmt: skip

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Serve the public pictures (catalog/) from Django, never any other upload; production may
# put them behind object storage or the reverse proxy instead (ADR 0013).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STATIC_ROOT.mkdir(exist_ok=True)
# Hashed, compressed static files need `collectstatic`; the demo and tests serve them from
# the apps' folders instead.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Never served by URL: data exports and sealed files (identity and seller documents),
    # handed out by views that check who asks.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The JSON API's largest request body. Its largest legitimate input (a seller's file with
# its description) is a few kilobytes; a larger body answers 413 before anything parses it.
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(64 * 1024)))
# Operations that take files (after-sales attachments and evidence) read multipart forms
# up to this size; each file is then checked against its own limit.
API_MAX_UPLOAD_BYTES = int(os.environ.get("API_MAX_UPLOAD_BYTES", str(60 * 1024 * 1024)))

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Catalog ------------------------------------------------------------------------------
CATALOG_PAGE_SIZE = 24
CATALOG_FACET_CACHE_SECONDS = int(os.environ.get("CATALOG_FACET_CACHE_SECONDS", "60"))

# --- Encryption at rest -------------------------------------------------------------------
# Comma-separated Fernet keys, newest first (older ones still decrypt, for rotation); without
# them a key is made in var/ on first run. The blind-index key makes searchable hashes.
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS")
BLIND_INDEX_KEY = os.environ.get("BLIND_INDEX_KEY", "")

# --- Providers (external services) --------------------------------------------------------
# Each provider has an offline sandbox (the default) and, where one exists, a real adapter.
# Where the site is reached from outside: links in emails, provider return URLs.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Privacy ---------------------------------------------------------------------------------
# Hours a data export can be downloaded (once) before its file is deleted.
PRIVACY_EXPORT_HOURS = int(os.environ.get("PRIVACY_EXPORT_HOURS", "72"))
# Aggregates over fewer people than this are shown as "fewer than N" (RETAIN-2).
PRIVACY_MIN_GROUP = int(os.environ.get("PRIVACY_MIN_GROUP", "5"))
# Days the file inbox (no mail server configured) keeps a message: it holds names and
# addresses, so the retention job empties it.
PRIVACY_MAIL_FILE_DAYS = int(os.environ.get("PRIVACY_MAIL_FILE_DAYS", "30"))
# The erasure ledger lives outside the database it repairs after a restore (RIGHT-3,
# docs/operations.md): a SQLite file (next to the embedded database by default) or a
# PostgreSQL database of its own. Never the main database, never inside its backups.
PRIVACY_LEDGER_URL = os.environ.get(
    "PRIVACY_LEDGER_URL", f"sqlite:///{VAR_DIR / 'erasure-ledger.sqlite3'}"
)

# External services (see platform/providers.py): sandboxes by default, real adapters by env.
PROVIDERS: dict[str, Any] = {
    "vat_lookup": os.environ.get(
        "PROVIDER_VAT_LOOKUP", "recommerce.accounts.providers.vat.SandboxVatLookup"
    ),
    "payments": {
        "BACKEND": "recommerce.payments.providers.sandbox.SandboxPaymentProvider",
        "OPTIONS": {
            "webhook_secret": os.environ.get("SANDBOX_PAYMENTS_WEBHOOK_SECRET")
            or f"whsec_sandbox_{SECRET_KEY[:24]}",
            # Seconds the sandbox takes to confirm a payment, as a real provider does.
            "confirm_delay_seconds": int(os.environ.get("SANDBOX_PAYMENTS_CONFIRM_SECONDS", "2")),
        },
    },
    "credit": "recommerce.payments.providers.credit.SandboxCreditPartner",
    "carrier": "recommerce.orders.providers.carrier.SandboxCarrier",
    "insurer": "recommerce.orders.providers.insurer.SandboxInsurer",
    "risk": "recommerce.checkout.providers.risk.SandboxRiskCheck",
    # After-sales: the activation-lock check of returned devices (SEC-3) and the identity
    # checks of claims (COLLECT-8, CONSENT-5); sandboxes unless configured below.
    "activation_lock": "recommerce.support.providers.activation.SandboxActivationLock",
    "identity": {
        "BACKEND": "recommerce.support.providers.identity.SandboxIdentityVerifier",
        "OPTIONS": {
            "webhook_secret": os.environ.get("IDENTITY_WEBHOOK_SECRET")
            or f"whsec_identity_{SECRET_KEY[:24]}",
        },
    },
}
if os.environ.get("STRIPE_SECRET_KEY"):
    PROVIDERS["payments"] = {
        "BACKEND": "recommerce.payments.providers.stripe.StripePaymentProvider",
        "OPTIONS": {
            "secret_key": os.environ["STRIPE_SECRET_KEY"],
            "webhook_secret": os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
            # Payouts: each seller's Connect account, e.g. {"12": "acct_1Nv…"}.
            "connect_accounts": json.loads(os.environ.get("STRIPE_CONNECT_ACCOUNTS", "{}")),
        },
    }

if os.environ.get("ACTIVATION_LOCK_URL"):
    # An IMEI-checking web service over HTTPS (support/README.md, "Providers").
    PROVIDERS["activation_lock"] = {
        "BACKEND": "recommerce.support.providers.activation.HttpActivationLockService",
        "OPTIONS": {
            "base_url": os.environ["ACTIVATION_LOCK_URL"],
            "api_key": os.environ.get("ACTIVATION_LOCK_API_KEY", ""),
        },
    }
if os.environ.get("STRIPE_SECRET_KEY") and os.environ.get("IDENTITY_WEBHOOK_SECRET"):
    # Stripe Identity, on the payments account, with its own webhook endpoint's secret.
    PROVIDERS["identity"] = {
        "BACKEND": "recommerce.support.providers.identity_stripe.StripeIdentityVerifier",
        "OPTIONS": {
            "secret_key": os.environ["STRIPE_SECRET_KEY"],
            "webhook_secret": os.environ["IDENTITY_WEBHOOK_SECRET"],
        },
    }

# --- Checkout, orders and payouts ---------------------------------------------------------
CHECKOUT_RESERVATION_MINUTES = int(os.environ.get("CHECKOUT_RESERVATION_MINUTES", "30"))
# Days after dispatch when a parcel nobody reported on counts as delivered (the seller's own
# carrier sends no news): the return period, payouts and erasures then stop waiting.
ORDERS_DELIVERY_PRESUMED_DAYS = int(os.environ.get("ORDERS_DELIVERY_PRESUMED_DAYS", "30"))
# Days after its dispatch deadline when an order the seller has not shipped is cancelled and
# refunded, and days after payment when an order held for review nobody decided on is.
# How long a buyer's bank usually takes to decide a card dispute, as the blocker of an
# erasure tells the person (the bank, not the marketplace, decides).
PAYMENTS_DISPUTE_DAYS = int(os.environ.get("PAYMENTS_DISPUTE_DAYS", "75"))
ORDERS_UNSHIPPED_CANCEL_DAYS = int(os.environ.get("ORDERS_UNSHIPPED_CANCEL_DAYS", "7"))
ORDERS_REVIEW_DAYS = int(os.environ.get("ORDERS_REVIEW_DAYS", "3"))
CART_MAX_QUANTITY_PER_LINE = 50

# --- After-sales (support) ------------------------------------------------------------------
# Business days a seller has to answer a claim before customer service takes it over.
SUPPORT_SELLER_ANSWER_BUSINESS_DAYS = int(os.environ.get("SUPPORT_SELLER_ANSWER_DAYS", "2"))
# Business days after delivery to report transit damage.
SUPPORT_TRANSIT_DAMAGE_BUSINESS_DAYS = 3
# Days after the latest expected delivery date during which a parcel can be reported lost.
SUPPORT_NOT_RECEIVED_DAYS = int(os.environ.get("SUPPORT_NOT_RECEIVED_DAYS", "30"))
# Claims above this amount (minor units) may be asked for an identity check.
SUPPORT_IDENTITY_CHECK_ABOVE_MINOR = int(os.environ.get("SUPPORT_IDENTITY_ABOVE_MINOR", "30000"))
# Days identity documents and selfies are kept after their claim closes.
SUPPORT_IDENTITY_EVIDENCE_DAYS = int(os.environ.get("SUPPORT_IDENTITY_EVIDENCE_DAYS", "30"))
# Attachments: the largest file accepted, per message, and how many per message.
SUPPORT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
SUPPORT_VIDEO_MAX_BYTES = 50 * 1024 * 1024
SUPPORT_ATTACHMENTS_PER_MESSAGE = 5
# Shipping per seller parcel: price in minor units, transit in business days after dispatch.
SHIPPING_METHODS = {
    "standard": {"label": "Standard delivery", "price_minor": 0, "transit_days": (2, 4)},
    "express": {"label": "Express delivery", "price_minor": 990, "transit_days": (1, 1)},
}
INSURANCE_COVER = "12 months: 2 repairs or 1 replacement per year"
INSTALMENT_COUNTS = (3, 4)
# Marketplace commission when no rule applies (basis points of the item price).
COMMISSION_DEFAULT_BP = 1000
# Payouts: run on these days of the month for orders shipped at least N days before.
PAYOUT_DAYS_OF_MONTH = (6, 16, 26)
PAYOUT_AFTER_SHIPPING_DAYS = 10
PAYOUT_SECOND_APPROVAL_MINOR = 1_000_000  # above 10 000 EUR, a second person approves
INVOICE_RETENTION_YEARS = 10
MARKETPLACE_LEGAL = {
    "name": "Recommerce Marketplace SAS",
    "address": "10 rue de la Paix, 75002 Paris, France",
    "vat_number": "FR40303265045",
    "registration": "RCS Paris 303 265 045",
    "country": "FR",
    "dpo_email": "dpo@recommerce.example",
}
