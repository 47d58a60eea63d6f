"""Peers (votelib, abcvoting, pref_voting) are oracles of the differential tests: under ``CI=true`` a missing peer
fails the test, elsewhere it skips it with the reason (``pytest.importorskip`` would skip in CI too)."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

#: The peers and the distribution that provides each (``pip install`` name), all in the ``dev`` extra.
PEERS = {"votelib": "votelib", "abcvoting": "abcvoting", "pref_voting": "pref_voting"}


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def require_peer(module: str) -> ModuleType:
    """Import ``module`` (a peer or one of its submodules); missing, fail under ``CI=true``, else skip."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        root = module.split(".")[0]
        why = f"peer {root} is missing ({exc}); install it with `pip install -e .[dev]` ({PEERS.get(root, root)})"
        if in_ci():
            pytest.fail(why + ": differential tests may not skip under CI=true", pytrace=False)
        pytest.skip(why, allow_module_level=True)
