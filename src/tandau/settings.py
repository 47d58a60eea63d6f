"""Typed settings for the server side of Tandau, read from ``TANDAU_*`` environment variables.

Create them with :func:`get_settings` (cached), never at import time. Outside development the settings
refuse a default or placeholder secret key, so a production server cannot start with a known secret.

>>> Settings(environment="development").database_url
'sqlite:///tandau.db'
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from tandau.errors import InputError

DEFAULT_SECRET_KEY = "change-me-development-only"  # a known placeholder, refused in production
_PLACEHOLDERS = frozenset({DEFAULT_SECRET_KEY, "", "secret", "changeme", "change-me", "dev", "development"})
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Every setting of the server side; each one is documented in ``docs/primaries.md``."""

    model_config = SettingsConfigDict(env_prefix="TANDAU_", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="development", description="development allows default secrets; production refuses them"
    )
    database_url: str = Field(
        default="sqlite:///tandau.db",
        description="SQLAlchemy URL: sqlite:///PATH (default) or postgresql+psycopg://user@host:port/db",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEFAULT_SECRET_KEY),
        description="key for signing sessions; at least 32 characters in production",
    )
    otp_ttl_seconds: int = Field(default=600, ge=30, le=86400, description="lifetime of a one-time sign-in code")
    otp_max_attempts: int = Field(default=5, ge=1, le=100, description="wrong one-time codes allowed before it is void")
    sql_echo: bool = Field(
        default=False, description="log SQL statements (bound values stay hidden)"
    )

    def check_safe(self) -> None:
        """Raise :class:`InputError` when the settings are unsafe for ``environment``."""
        if self.environment == "development":
            return
        key = self.secret_key.get_secret_value()
        if key.strip().lower() in _PLACEHOLDERS or len(key) < MIN_SECRET_LENGTH:
            raise InputError(
                f"refusing to start in {self.environment} with a default or placeholder secret key; "
                f"set a random value of at least {MIN_SECRET_LENGTH} characters",
                parameter="TANDAU_SECRET_KEY",
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once and checked for safety."""
    settings = Settings()
    settings.check_safe()
    return settings
