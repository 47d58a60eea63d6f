"""FLAGS.toml: the settings of the programme red flags P01-P09 (docs/control.md).

One table per flag, each key optional (defaults in :data:`tandau.core.control.programmes.FLAGS`)::

    [P01]
    threshold = 0.20        # paid share of the budget minus progress
    [P03]
    december_share = 0.25
    [P04]
    tolerance = 0.10        # of |target - baseline|
    consecutive = 2         # latest report dates behind
    [P05]
    probability = 0.5
    [P06]
    periods = 2
    [P09]
    ratio = 0.90
    [P07]
    enabled = false         # any flag can be switched off

Decimal values are read exactly (0.2 is 1/5). An unknown flag, key or a bad value names the file and the
parameter.
"""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

from tandau.core.control.programmes.flags import FLAGS, FlagSettings, Number
from tandau.errors import InputError

WHOLE = {"consecutive", "periods"}
SHARES = {"december_share", "probability", "ratio"}


def parse_flag_settings(text: str, file: str = "<flags>") -> FlagSettings:
    """Flag settings from TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML ({exc})", file=file) from None
    params: dict[str, dict[str, Number]] = {code: dict(p) for code, (_, p) in FLAGS.items()}
    enabled = set(FLAGS)
    for code, table in data.items():
        if code not in FLAGS:
            raise InputError(f"unknown flag {code!r}; valid: {', '.join(FLAGS)}", file=file, parameter=code)
        if not isinstance(table, dict):
            raise InputError("expected a table of settings", file=file, parameter=code)
        for key, value in table.items():
            where = f"{code}.{key}"
            if key == "enabled":
                if not isinstance(value, bool):
                    raise InputError("expected true or false", file=file, parameter=where)
                if not value:
                    enabled.discard(code)
                continue
            if key not in params[code]:
                valid = ", ".join(["enabled", *params[code]])
                raise InputError(f"unknown setting {key!r}; valid: {valid}", file=file, parameter=where)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"expected a number, got {value!r}", file=file, parameter=where)
            if key in WHOLE:
                if not isinstance(value, int) or value < 1:
                    raise InputError(f"expected a whole number ≥ 1, got {value!r}", file=file, parameter=where)
                params[code][key] = value
                continue
            number = Fraction(str(value))
            if number < 0 or (key in SHARES and number > 1):
                bound = "between 0 and 1" if key in SHARES else "≥ 0"
                raise InputError(f"expected a number {bound}, got {value!r}", file=file, parameter=where)
            params[code][key] = number
    return FlagSettings(MappingProxyType({c: MappingProxyType(p) for c, p in params.items()}), frozenset(enabled))


def read_flag_settings(path: Path) -> FlagSettings:
    """Read a FLAGS.toml file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read ({exc.__class__.__name__})", file=str(path)) from None
    return parse_flag_settings(text, str(path))
