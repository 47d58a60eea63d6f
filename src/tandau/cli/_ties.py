"""The one tie option of every command that breaks ties: ``--ties`` (``--tie-policy`` a hidden alias) and ``--seed``.

The vocabulary is :mod:`tandau.core.ties`; each command offers the policies that apply to what it orders
(candidates: ``nomination-order``; party lists: ``registration-order``) and the engines refuse ``lot`` without a seed.
"""

from __future__ import annotations

from collections.abc import Sequence

from tandau.core.ties import TIE_ALIASES, normalise_tie_policy, require_seed
from tandau.errors import InputError

SEED_HELP = ("Seed for --ties lot: an integer of at most 256 bits, decimal or 0x-hex; required by lot, recorded in the "
             "output, the same seed draws the same result.")


def ties_help(allowed: Sequence[str], default: str) -> str:
    """Help text of ``--ties``: the choices, the default and the aliases that apply."""
    aliases = [f"{a} = {c}" for a, c in TIE_ALIASES.items() if c in allowed]
    return (f"Tie policy: {' | '.join(allowed)} [default: {default}]."
            + (f" Alias: {', '.join(aliases)}." if aliases else ""))


def resolve_ties(ties: str | None, alias: str | None, allowed: Sequence[str], default: str | None) -> str | None:
    """The canonical policy from ``--ties`` or its hidden alias ``--tie-policy`` (never two different ones)."""
    given = [v for v in (ties, alias) if v is not None]
    if len(given) == 2 and normalise_tie_policy(given[0], allowed, parameter="--ties") != normalise_tie_policy(
            given[1], allowed, parameter="--ties"):
        raise InputError(f"--ties {ties} and --tie-policy {alias} disagree; give one", parameter="--ties")
    value = given[0] if given else default
    return None if value is None else normalise_tie_policy(value, allowed, parameter="--ties")


def parse_seed(policy: str | None, text: str | None) -> int | None:
    """``--seed`` as an integer (decimal or 0x-hex, at most 256 bits); ``lot`` without it is refused."""
    return require_seed(policy or "", text, parameter="--seed")
