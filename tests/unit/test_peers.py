"""A missing peer fails the run under CI=true and skips it elsewhere (tests/peers.py)."""

from __future__ import annotations

import pytest

from tests.peers import require_peer


def test_missing_peer_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="may not skip under CI=true"):
        require_peer("no_such_peer_module")


def test_missing_peer_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no_such_peer_module"):
        require_peer("no_such_peer_module")


def test_present_peer_is_imported() -> None:
    assert require_peer("votelib").__name__ == "votelib"
