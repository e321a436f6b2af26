"""Django settings for TITAN, read from the environment.

With no variables set TITAN runs embedded: SQLite files under ``var/`` for both database
aliases, the in-memory channel layer and secrets generated into ``var/``. ``DATABASE_URL``,
``TIMESCALE_URL`` and ``REDIS_URL`` switch to PostgreSQL and channels-redis.
``TITAN_ENV=production`` refuses to start without explicit secrets. Every variable is listed
in ``docs/configuration.md``.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any

from titan_web.common import ui_headers
from titan_web.env import (
    BASE_DIR,
    ConfigError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    generated_secret,
    sqlite_database,
    var_dir,
)

TITAN_ENV = env_str("TITAN_ENV", "embedded")
PRODUCTION = TITAN_ENV == "production"
DEBUG = env_bool("TITAN_DEBUG", False)
VAR_DIR = var_dir()

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ConfigError("TITAN_ENV=production needs DJANGO_SECRET_KEY")
    SECRET_KEY = generated_secret("django_secret_key")

ALLOWED_HOSTS = env_list("TITAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TITAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "adrf",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "titan_web.common",
    "titan_web.accounts",
    "titan_web.market",
    "titan_web.research",
    "titan_web.backtests",
    "titan_web.tasks",
    "titan_web.signals",
]

# Only async-native middleware: each sync middleware costs a thread hop per request under
# ASGI (docs/architecture.md 1). Session, auth, messages and CSRF run for /admin/ only, inside
# AdminStackMiddleware; the API authenticates with JWT bearer tokens.
MIDDLEWARE = [
    "titan_web.common.middleware.HostValidationMiddleware",
    "titan_web.common.middleware.SecurityHeadersMiddleware",
    "titan_web.common.middleware.MetricsMiddleware",
    "titan_web.common.middleware.AsyncWhiteNoiseMiddleware",
    "titan_web.common.middleware.AdminStackMiddleware",
]
SILENCED_SYSTEM_CHECKS = ["admin.E408", "admin.E409", "admin.E410"]

ROOT_URLCONF = "titan_web.urls"
ASGI_APPLICATION = "titan_web.asgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# -- Databases ---------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
TIMESCALE_URL = env_str("TIMESCALE_URL") or DATABASE_URL
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(VAR_DIR / "titan.sqlite3"),
    "timescale": database_from_url(TIMESCALE_URL)
    if TIMESCALE_URL
    else sqlite_database(VAR_DIR / "timescale.sqlite3"),
}
if TIMESCALE_URL and TIMESCALE_URL == DATABASE_URL:
    # Both aliases name one database: tests must not create it twice.
    DATABASES["timescale"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["routing.router.TimescaleRouter"]

# -- Channel layer and cache -------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    from redis.maint_notifications import MaintNotificationsConfig

    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8's default 5 s socket timeout kills idle consumers.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": None,
                        "socket_connect_timeout": 5,
                        "max_connections": env_int("TITAN_REDIS_MAX_CONNECTIONS", 200),
                        # With maintenance notifications on ("auto", redis-py 8's default)
                        # the pool skips its check of a pooled connection before handing it
                        # out, so after a Redis restart every connection the old server
                        # closed fails its next command ("Connection closed by server"):
                        # a lost group_send (docs/decisions.md, 55).
                        "maint_notifications_config": MaintNotificationsConfig(enabled=False),
                    }
                ],
                "prefix": env_str("TITAN_CHANNEL_PREFIX", "titan"),
                "capacity": env_int("TITAN_CHANNEL_CAPACITY", 10_000),
                "expiry": 60,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "titan",
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": env_int("TITAN_CHANNEL_CAPACITY", 10_000), "expiry": 60},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# -- Auth and JWT ------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]


def _read_key(path: str) -> str:
    from pathlib import Path

    return Path(path).read_text() if path else ""


_private_key = _read_key(env_str("TITAN_JWT_PRIVATE_KEY_FILE"))
_public_key = _read_key(env_str("TITAN_JWT_PUBLIC_KEY_FILE"))
_signing_key = env_str("TITAN_JWT_SIGNING_KEY")
JWT: dict[str, Any]
if _private_key and _public_key:
    JWT = {"ALGORITHM": "RS256", "SIGNING_KEY": _private_key, "VERIFYING_KEY": _public_key}
else:
    if not _signing_key:
        if PRODUCTION:
            raise ConfigError(
                "TITAN_ENV=production needs TITAN_JWT_SIGNING_KEY or an RS256 key pair"
            )
        _signing_key = generated_secret("jwt_signing_key")
    if len(_signing_key.encode()) < 32:
        raise ConfigError("TITAN_JWT_SIGNING_KEY must be at least 32 bytes for HS256")
    JWT = {"ALGORITHM": "HS256", "SIGNING_KEY": _signing_key, "VERIFYING_KEY": _signing_key}
JWT |= {
    "ISSUER": env_str("TITAN_JWT_ISSUER", "titan"),
    "AUDIENCE": env_str("TITAN_JWT_AUDIENCE", "titan-api"),
    "ACCESS_LIFETIME": timedelta(seconds=env_int("TITAN_JWT_ACCESS_SECONDS", 15 * 60)),
    "REFRESH_LIFETIME": timedelta(seconds=env_int("TITAN_JWT_REFRESH_SECONDS", 7 * 24 * 3600)),
    "LEEWAY": timedelta(seconds=env_int("TITAN_JWT_LEEWAY_SECONDS", 5)),
}

# -- REST framework ----------------------------------------------------------------------
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["titan_web.accounts.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["titan_web.common.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "titan_web.common.negotiation.ContentNegotiation",
    # JSON only: a form or multipart body to a JSON endpoint is a 415, never read as an empty
    # form (a multipart body once started a default walk-forward). Uploads opt in per view.
    "DEFAULT_PARSER_CLASSES": ["titan_web.common.jsonlimits.DepthLimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "titan_web.common.schema.TitanAutoSchema",
    "EXCEPTION_HANDLER": "titan_web.common.errors.problem_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env_str("TITAN_AUTH_THROTTLE", "20/min"),
        "auth_account": env_str("TITAN_AUTH_ACCOUNT_THROTTLE", "10/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

SPECTACULAR_SETTINGS = {
    "TITLE": "TITAN API",
    "DESCRIPTION": "Statistical-arbitrage research and live signals. JWT bearer auth: "
    "POST /api/auth/token, then `Authorization: Bearer <access>`.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TimeframeEnum": ["1m", "5m", "15m", "1h", "1d", "1w", "1mo"],
        "TimeframeLabelledEnum": "titan_web.market.models.TIMEFRAME_CHOICES",
    },
    # <id:...> (titan_web/common/converters.py): at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

# -- Static files, i18n, logging ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
UI_DIST = BASE_DIR / "ui" / "dist"
WHITENOISE_ROOT = UI_DIST if UI_DIST.is_dir() else None
WHITENOISE_INDEX_FILE = True
WHITENOISE_IMMUTABLE_FILE_TEST = ui_headers.immutable_file_test
WHITENOISE_ADD_HEADERS_FUNCTION = ui_headers.add_headers
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# Request bodies (titan_web/common/bodylimits.py): endpoints that take uploads accept up to
# TITAN_MAX_UPLOAD_BYTES, every other one TITAN_MAX_BODY_BYTES; beyond, 413 before reading.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("TITAN_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("TITAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# -- TITAN -------------------------------------------------------------------------------
_trusted_proxies = env_list("TITAN_TRUSTED_PROXIES", [])
for _proxy in _trusted_proxies:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ConfigError(f"TITAN_TRUSTED_PROXIES: {_exc}") from None

# Plain reads (detail GETs, list pages) on the event loop instead of the ORM in a thread
# (titan_web/common/asyncdb.py); off: every read through the ORM.
TITAN_ASYNC_READS = env_bool("TITAN_ASYNC_READS", True)

TITAN: dict[str, Any] = {
    "WS_AUTH_TIMEOUT": float(env_str("TITAN_WS_AUTH_TIMEOUT", "5")),
    # Request bodies: the cap for endpoints without uploads, the size above which an
    # upload is parsed off the event loop, and what a compressed upload may expand to.
    "MAX_BODY_BYTES": env_int("TITAN_MAX_BODY_BYTES", 1024 * 1024),
    "OFFLOAD_BODY_BYTES": env_int("TITAN_OFFLOAD_BODY_BYTES", 256 * 1024),
    "MAX_DECOMPRESSED_BYTES": env_int("TITAN_MAX_DECOMPRESSED_BYTES", 64 * 1024 * 1024),
    # Proxies whose X-Forwarded-For is believed (addresses or CIDR networks; default none).
    "TRUSTED_PROXIES": _trusted_proxies,
    # Compute workers warmed before the server reports ready: block | background | off.
    "WARM_START": env_str("TITAN_WARM_START", "block"),
    "DEMO_USERNAME": env_str("TITAN_DEMO_USERNAME", "demo"),
    "DEMO_PASSWORD": env_str("TITAN_DEMO_PASSWORD", "titan-demo-2026"),
}
