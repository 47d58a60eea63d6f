"""Each public package's ``__all__`` lists exactly its public names (conventions.md, after httpx)."""

from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import tandau
import tandau.core

PACKAGES = ["tandau", *(f"tandau.core.{m.name}" for m in pkgutil.iter_modules(tandau.core.__path__) if m.ispkg)]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_equals_public_names(name: str) -> None:
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", None)
    assert declared is not None, f"{name} has no __all__"
    public = {
        attr for attr, value in vars(module).items()
        if (not attr.startswith("_") or attr == "__version__") and not isinstance(value, types.ModuleType)
        and attr != "annotations"
    }
    assert sorted(declared) == sorted(public), f"{name}: __all__ differs from its public names"
