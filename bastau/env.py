"""Typed readers for environment variables.

Every reader names the variable in its error, so a bad deployment stops at start-up with a
message that says what to fix instead of failing later in a request.
"""

import os

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()
SUPPORTED_DATABASES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}


def env_str(name: str, default=_MISSING) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def local_url(port_name: str = "PORT", default_port: int = 8000) -> str:
    """http://127.0.0.1:<port>, the port from the variable `port_name` (`make run PORT=8001` sets it):
    where the development server answers, so links sent from a demo lead back to it."""
    port = env_int(port_name, default_port)
    if not 0 < port < 65536:
        raise ImproperlyConfigured(f"{port_name}={port} is not a port number (1-65535).")
    return f"http://127.0.0.1:{port}"


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as exc:  # environ raises several kinds on a bad URL
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({exc}).") from None
    if config.get("ENGINE") not in SUPPORTED_DATABASES:
        raise ImproperlyConfigured(
            f"{name} has an unknown database scheme {raw.split(':', 1)[0]!r}: use postgres:// or sqlite:///."
        )
    return config


def env_redis_url(name: str) -> str | None:
    raw = os.environ.get(name)
    if not raw:
        return None
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://, got {raw!r}.")
    return raw


def env_mailers(name: str, default: str) -> dict:
    """Django 6.1's MAILERS setting from a URL: smtp+tls://user:pass@host:587, consolemail://."""
    raw = os.environ.get(name) or default
    try:
        config = environ.Env.email_url_config(raw)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} is not a valid e-mail URL ({exc}).") from None
    backend = config.get("EMAIL_BACKEND")
    if not backend:
        raise ImproperlyConfigured(f"{name} has an unknown scheme: {raw.split(':', 1)[0]!r}.")
    if backend == "django.core.mail.backends.console.EmailBackend":
        backend = "core.mail.MaskedConsoleEmailBackend"  # no addresses or IINs in clear on the console
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        if not config.get("EMAIL_HOST"):
            raise ImproperlyConfigured(f"{name} names no SMTP host.")
        options = {
            "host": config["EMAIL_HOST"],
            "port": config.get("EMAIL_PORT") or 25,
            "username": config.get("EMAIL_HOST_USER") or "",
            "password": config.get("EMAIL_HOST_PASSWORD") or "",
            "use_tls": bool(config.get("EMAIL_USE_TLS")),
            "use_ssl": bool(config.get("EMAIL_USE_SSL")),
            "timeout": 20,
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}
