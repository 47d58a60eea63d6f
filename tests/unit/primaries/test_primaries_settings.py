"""Settings: read from TANDAU_* by a cached factory that checks nothing (the command line needs no server
secrets); production is the default environment, and the server's check refuses default, published, short
or low-entropy secrets outside development and any address but loopback in development."""

from __future__ import annotations

import secrets

import pytest
from pydantic import SecretStr

from tandau.errors import InputError
from tandau.settings import DEFAULT_SECRET_KEY, PUBLISHED_SECRETS, Settings, get_settings


@pytest.fixture(autouse=True)
def _fresh() -> None:
    get_settings.cache_clear()


def test_production_is_the_default_and_reading_checks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDAU_ENVIRONMENT", raising=False)
    monkeypatch.delenv("TANDAU_SECRET_KEY", raising=False)
    monkeypatch.setenv("TANDAU_DATABASE_URL", "sqlite:///x.db")
    s = get_settings()  # a CLI command reads the settings without a server's secret: no refusal here
    assert s.environment == "production"
    assert s.database_url == "sqlite:///x.db"
    assert get_settings() is s
    with pytest.raises(InputError, match="TANDAU_SECRET_KEY"):
        s.check_safe()  # ...but a server would not start
    get_settings.cache_clear()


def test_development_is_asked_for_and_accepts_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDAU_ENVIRONMENT", "development")
    s = get_settings()
    assert s.environment == "development"
    s.check_safe()
    get_settings.cache_clear()


@pytest.mark.parametrize("secret", [DEFAULT_SECRET_KEY, "changeme", "short-but-random", "x" * 64,
                                    *sorted(PUBLISHED_SECRETS)])
def test_production_refuses_weak_secrets(monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    monkeypatch.setenv("TANDAU_ENVIRONMENT", "production")
    monkeypatch.setenv("TANDAU_SECRET_KEY", secret)
    with pytest.raises(InputError, match="TANDAU_SECRET_KEY"):
        get_settings().check_safe()
    get_settings.cache_clear()


def test_production_with_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDAU_ENVIRONMENT", "production")
    monkeypatch.setenv("TANDAU_SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("TANDAU_OTP_DELIVERY", "webhook")  # the console sender is refused in production
    monkeypatch.setenv("TANDAU_SMS_WEBHOOK_URL", "https://sms.example.kz/send")
    monkeypatch.setenv("TANDAU_SMS_WEBHOOK_TOKEN", "gateway-token")
    s = get_settings()
    s.check_safe()
    s.check_host("0.0.0.0")  # production may listen on any address
    assert s.environment == "production"
    get_settings.cache_clear()
    assert Settings(environment="development").otp_ttl_seconds == 600


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "tandau.party.kz"])
def test_development_refuses_a_non_loopback_host(host: str) -> None:
    with pytest.raises(InputError) as refused:
        Settings(environment="development").check_host(host)
    assert refused.value.parameter == "--host" and "loopback" in str(refused.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_development_serves_loopback(host: str) -> None:
    Settings(environment="development", secret_key=SecretStr(DEFAULT_SECRET_KEY)).check_host(host)


def test_throttle_and_session_defaults_are_documented() -> None:
    s = Settings(environment="development")
    assert (s.signin_max_failures_per_id, s.signin_max_failures_per_address, s.signin_failure_window_seconds,
            s.signin_backoff_seconds, s.signin_backoff_max_seconds) == (5, 100, 900, 30, 3600)
    assert (s.session_cache_seconds, s.session_max_age_seconds) == (3.0, 8 * 3600)
