"""Settings: read from TANDAU_* by a cached factory; production refuses default or placeholder secrets."""

from __future__ import annotations

import pytest

from tandau.errors import InputError
from tandau.settings import DEFAULT_SECRET_KEY, Settings, get_settings


@pytest.fixture(autouse=True)
def _fresh() -> None:
    get_settings.cache_clear()


def test_development_accepts_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDAU_ENVIRONMENT", raising=False)
    monkeypatch.setenv("TANDAU_DATABASE_URL", "sqlite:///x.db")
    s = get_settings()
    assert s.environment == "development"
    assert s.database_url == "sqlite:///x.db"
    assert get_settings() is s
    get_settings.cache_clear()


@pytest.mark.parametrize("secret", [DEFAULT_SECRET_KEY, "changeme", "short-but-random"])
def test_production_refuses_weak_secrets(monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    monkeypatch.setenv("TANDAU_ENVIRONMENT", "production")
    monkeypatch.setenv("TANDAU_SECRET_KEY", secret)
    with pytest.raises(InputError, match="TANDAU_SECRET_KEY"):
        get_settings()
    get_settings.cache_clear()


def test_production_with_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDAU_ENVIRONMENT", "production")
    monkeypatch.setenv("TANDAU_SECRET_KEY", "k" * 16 + "Zq9!" * 5)
    monkeypatch.setenv("TANDAU_OTP_DELIVERY", "webhook")  # the console sender is refused in production
    monkeypatch.setenv("TANDAU_SMS_WEBHOOK_URL", "https://sms.example.kz/send")
    monkeypatch.setenv("TANDAU_SMS_WEBHOOK_TOKEN", "gateway-token")
    assert get_settings().environment == "production"
    get_settings.cache_clear()
    assert Settings(environment="development").otp_ttl_seconds == 600
