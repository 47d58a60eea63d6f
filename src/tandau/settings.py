"""Typed settings for the server side of Tandau, read from ``TANDAU_*`` environment variables.

Create them with :func:`get_settings` (cached), never at import time. The default environment is
``production``: development (default secrets, codes shown on the page, loopback only) is asked for
explicitly (``TANDAU_ENVIRONMENT=development``; ``tandau demo`` sets it). Reading the settings checks
nothing, so the command line works without a server's secrets; the server (``tandau serve`` and
:func:`tandau.web.app.create_app`) calls :meth:`Settings.check_safe`, which outside development refuses a
default, published or short secret key and the ``console`` sender of one-time codes (which delivers
nothing), so codes reach members by e-mail or SMS.

>>> Settings().environment
'production'
>>> Settings(environment="development").database_url
'sqlite:///tandau.db'
"""

from __future__ import annotations

from email.utils import parseaddr
from functools import lru_cache
from ipaddress import ip_address
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tandau.errors import InputError

DEFAULT_SECRET_KEY = "change-me-development-only"  # a known placeholder, refused in production
_PLACEHOLDERS = frozenset({DEFAULT_SECRET_KEY, "", "secret", "changeme", "change-me", "dev", "development"})
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 10  # "x" * 40 is long but no secret
# keys printed in this repository's documentation and tests: anyone can read them
PUBLISHED_SECRETS = frozenset({
    DEFAULT_SECRET_KEY, "e2e-secret-key-that-is-long-enough-0123456789", "test-secret-key-" + "x" * 32,
})
# ids of the one-time code senders (the registry of tandau.services.primaries.delivery; a test keeps both equal)
OTP_SENDERS = ("console", "smtp", "webhook")


class Settings(BaseSettings):
    """Every setting of the server side; each one is documented in ``docs/primaries.md``."""

    model_config = SettingsConfigDict(env_prefix="TANDAU_", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="production",
        description="production (the default) refuses default secrets and the console sender; development "
        "(asked for explicitly: tandau demo sets it) allows them, shows one-time codes and serves loopback only",
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
    otp_max_live_codes: int = Field(
        default=3, ge=1, le=20,
        description="unexpired one-time codes a member may hold; one more is refused (429) until the oldest expires",
    )
    sql_echo: bool = Field(
        default=False, description="log SQL statements (bound values stay hidden)"
    )
    otp_delivery: str = Field(
        default="console",
        description="senders of one-time codes, comma-separated, first match per contact: console (development "
        "only: logs, the page shows the code), smtp (e-mail addresses), webhook (phone numbers, SMS gateway)",
    )
    otp_queue: bool | None = Field(
        default=None,
        description="send one-time codes from a background job (otp.deliver) instead of inside the sign-in request; "
        "unset: queued on PostgreSQL (a tandau worker sends), inline on SQLite; the console sender is always inline",
    )
    otp_delivery_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="network timeout of one delivery (SMTP or SMS gateway)"
    )
    smtp_host: str | None = Field(default=None, description="SMTP server (required with the smtp sender)")
    smtp_port: int | None = Field(
        default=None, ge=1, le=65535, description="SMTP port; default 587 (starttls), 465 (ssl), 25 (none)"
    )
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls or ssl (certificate checked); none only to a loopback relay "
        "outside development"
    )
    smtp_user: str | None = Field(default=None, description="SMTP login (optional; needs smtp_password)")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password")
    smtp_from: str | None = Field(
        default=None, description="sender address of the e-mails, e.g. 'Tandau <no-reply@party.kz>'"
    )
    smtp_ca_file: str | None = Field(
        default=None, description="PEM file of the CA certificates to trust instead of the system's (private relay)"
    )
    sms_webhook_url: str | None = Field(
        default=None, description="SMS gateway URL that receives POST {\"to\", \"text\"} (required with webhook); "
        "https outside development unless on loopback",
    )
    sms_webhook_token: SecretStr | None = Field(
        default=None, description="bearer token sent to the SMS gateway (required with webhook)"
    )

    session_cache_seconds: float = Field(
        default=3.0, ge=0, le=60,
        description="how long an app process trusts a server-side session it has read (a revocation reaches "
        "the other processes within this time)",
    )
    session_max_age_seconds: int = Field(
        default=8 * 3600, ge=300, le=30 * 86400, description="lifetime of a session from sign-in"
    )
    signin_max_failures_per_id: int = Field(
        default=5, ge=1, le=1000,
        description="failed sign-ins from one address for one member id before that pair is blocked",
    )
    signin_max_failures_per_address: int = Field(
        default=100, ge=1, le=1_000_000,
        description="failed sign-ins from one address (any ids) before the address is blocked; high, so a "
        "branch office behind one address still signs in",
    )
    signin_failure_window_seconds: int = Field(
        default=900, ge=10, le=86400,
        description="failures are forgotten after this long without a new failure",
    )
    signin_backoff_seconds: int = Field(
        default=30, ge=1, le=86400,
        description="first block once a limit is reached; doubled by every further failure",
    )
    signin_backoff_max_seconds: int = Field(
        default=3600, ge=1, le=7 * 86400, description="longest block"
    )
    case_file_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, le=20 * 1024 * 1024,
        description="largest evidence file of a control case, in bytes (refused above; at most the import limit, "
        "20 MiB, which the server also applies to any form body)",
    )

    files_backend: Literal["database", "s3"] = Field(
        default="database",
        description="where stored files' bytes go (bulletins, case evidence, job outputs): database (the default: "
        "the files table, read by every app process) or s3 (an S3-compatible bucket, TANDAU_S3_*; needs boto3)",
    )
    files_max_bytes: int = Field(
        default=256 * 1024 * 1024, ge=1024 * 1024, le=1024 * 1024 * 1024,
        description="largest stored file, in bytes (a PostgreSQL bytea holds at most 1 GiB; use s3 beyond)",
    )
    s3_bucket: str | None = Field(default=None, description="bucket of the s3 files backend (required with it)")
    s3_endpoint_url: str | None = Field(
        default=None, description="endpoint of an S3-compatible service (MinIO, Ceph...); unset: AWS",
    )
    s3_region: str | None = Field(default=None, description="region of the bucket (AWS; most others ignore it)")
    s3_prefix: str = Field(default="tandau/", description="prefix of every object key Tandau writes in the bucket")
    s3_access_key_id: str | None = Field(
        default=None, description="access key of the bucket (unset: boto3's own lookup, e.g. an instance role)",
    )
    s3_secret_access_key: SecretStr | None = Field(default=None, description="secret of that access key")

    log_format: Literal["text", "json"] = Field(
        default="text",
        description="text (uvicorn's default lines) or json: one JSON object per line (time, level, logger, "
        "message, request id, route template, status, duration), personal data masked (docs/deployment.md)",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="bearer token that opens /metrics to a scraper off this machine (loopback needs none)",
    )

    @field_validator("otp_delivery")
    @classmethod
    def _known_senders(cls, value: str) -> str:
        ids = [part.strip().lower() for part in value.split(",") if part.strip()]
        unknown = [i for i in ids if i not in OTP_SENDERS]
        if not ids or unknown:
            raise ValueError(f"unknown one-time code sender(s) {unknown or [value]}; valid: {', '.join(OTP_SENDERS)}")
        if len(set(ids)) != len(ids):
            raise ValueError(f"a one-time code sender is listed twice: {value!r}")
        return ",".join(ids)

    @property
    def otp_senders(self) -> tuple[str, ...]:
        """The sender ids of ``otp_delivery`` in order (the first that serves a contact's channel sends)."""
        return tuple(self.otp_delivery.split(","))

    def otp_queued(self, dialect: str) -> bool:
        """Whether one-time codes go through the ``otp.deliver`` job on a database of ``dialect``.

        >>> Settings().otp_queued("postgresql"), Settings().otp_queued("sqlite"), Settings(otp_queue=True).otp_queued(
        ...     "sqlite")
        (True, False, True)
        """
        return self.otp_queue if self.otp_queue is not None else dialect == "postgresql"

    def check_safe(self) -> None:
        """Raise :class:`InputError` when the settings are incomplete, or unsafe for ``environment``."""
        self._check_delivery_complete()
        self._check_files()
        if self.environment == "development":
            return
        key = self.secret_key.get_secret_value()
        if (key.strip().lower() in _PLACEHOLDERS or key in PUBLISHED_SECRETS or len(key) < MIN_SECRET_LENGTH
                or len(set(key)) < MIN_SECRET_DISTINCT):
            raise InputError(
                f"refusing to start in {self.environment} with a default, published, placeholder or short secret "
                f"key; set a random value of at least {MIN_SECRET_LENGTH} characters "
                "(python -c \"import secrets; print(secrets.token_urlsafe(48))\")",
                parameter="TANDAU_SECRET_KEY",
            )
        self._check_delivery_safe()

    def _check_files(self) -> None:
        """The s3 backend names its bucket (any environment)."""
        if self.files_backend == "s3" and not (self.s3_bucket or "").strip():
            raise InputError("the s3 files backend needs a bucket", parameter="TANDAU_S3_BUCKET")

    def _check_delivery_complete(self) -> None:
        """Every chosen sender has what it needs (any environment), so a missing setting stops the start."""
        senders = self.otp_senders
        if "smtp" in senders:
            if not self.smtp_host:
                raise InputError("the smtp sender needs the SMTP server", parameter="TANDAU_SMTP_HOST")
            _name, address = parseaddr(self.smtp_from or "")
            if "@" not in address or any(c in (self.smtp_from or "") for c in "\r\n"):
                raise InputError("the smtp sender needs a sender address such as 'Tandau <no-reply@party.kz>'",
                                 parameter="TANDAU_SMTP_FROM")
            if (self.smtp_user is None) != (self.smtp_password is None):
                raise InputError("set both the SMTP login and its password, or neither",
                                 parameter="TANDAU_SMTP_USER")
        if "webhook" in senders:
            url = urlsplit(self.sms_webhook_url or "")
            if url.scheme not in ("http", "https") or not url.hostname:
                raise InputError("the webhook sender needs the SMS gateway's http(s) URL",
                                 parameter="TANDAU_SMS_WEBHOOK_URL")
            if self.sms_webhook_token is None or not self.sms_webhook_token.get_secret_value().strip():
                raise InputError("the webhook sender needs the SMS gateway's bearer token",
                                 parameter="TANDAU_SMS_WEBHOOK_TOKEN")

    def _check_delivery_safe(self) -> None:
        """Outside development: codes must really be delivered, and never travel in clear over a network."""
        if "console" in self.otp_senders:
            raise InputError(
                f"refusing to start in {self.environment} with the console sender of one-time codes (it only "
                "logs them); choose smtp and/or webhook",
                parameter="TANDAU_OTP_DELIVERY",
            )
        if "smtp" in self.otp_senders and self.smtp_security == "none" and not _loopback(self.smtp_host):
            raise InputError(
                f"refusing to send one-time codes without TLS to {self.smtp_host}; use starttls or ssl "
                "(none is allowed only for a relay on this machine)",
                parameter="TANDAU_SMTP_SECURITY",
            )
        url = urlsplit(self.sms_webhook_url or "")
        if "webhook" in self.otp_senders and url.scheme != "https" and not _loopback(url.hostname):
            raise InputError("refusing to send one-time codes to an SMS gateway over plain http; use https",
                             parameter="TANDAU_SMS_WEBHOOK_URL")

    def check_host(self, host: str) -> None:
        """Raise :class:`InputError` naming ``--host`` when a development server would listen beyond loopback
        (development allows default secrets and shows one-time codes: never on a network)."""
        if self.environment == "development" and not _loopback(host):
            raise InputError(
                f"refusing to serve the development environment on {host}: it allows default secrets and shows "
                "one-time codes; use a loopback address (127.0.0.1) or set TANDAU_ENVIRONMENT=production "
                "with a real TANDAU_SECRET_KEY",
                parameter="--host",
            )


def _loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine (``localhost`` or a loopback address).

    >>> _loopback("127.0.0.1"), _loopback("localhost"), _loopback("::1"), _loopback("smtp.party.kz")
    (True, True, True, False)
    """
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once. Not checked here (the command line needs
    no server secrets): the server calls :meth:`Settings.check_safe` before it starts."""
    return Settings()
