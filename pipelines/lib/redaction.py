"""Secrets never leave the process: every message chipwatch stores or prints about a failure passes through redact(),
which replaces the value of each secret (COMTRADE_API_KEY, and any key a client registered) with "[redacted]", so an
error body or an exception that echoes a key cannot copy it into the refresh record, the raw zone or the logs."""

import os

REDACTED = "[redacted]"
SECRET_ENV = ("COMTRADE_API_KEY",)
MIN_LENGTH = 4  # a shorter value would redact ordinary words
_registered: set[str] = set()


def register(secret: str | None) -> None:
    """Remember a secret a client was given directly (not from the environment), for redact()."""
    if secret and len(secret) >= MIN_LENGTH:
        _registered.add(secret)


def _secrets() -> list[str]:
    found = set(_registered)
    for name in SECRET_ENV:
        value = os.environ.get(name, "")
        found.update(v for v in (value, value.strip()) if len(v) >= MIN_LENGTH)
    return sorted(found, key=len, reverse=True)  # the longest first: one secret may contain another


def redact(text):
    """`text` with every secret's value replaced by [redacted]; None and non-text pass unchanged."""
    if not isinstance(text, str) or not text:
        return text
    for secret in _secrets():
        text = text.replace(secret, REDACTED)
    return text


def redact_bytes(data: bytes) -> bytes:
    for secret in _secrets():
        data = data.replace(secret.encode(), REDACTED.encode())
    return data
