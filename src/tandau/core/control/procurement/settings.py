"""The settings of the procurement red flags: Cardinal's INI settings file, read into one typed object.

The file (read by :func:`tandau.io.ocds.read_settings`) arrives here as nested tables of strings: top-level keys,
one table per section, a dotted section (``[R003.procurement_method_details]``) as a table inside its parent. Keys
are case-sensitive. An indicator runs only if its section is present. The globals:

- ``currency``: the main currency (default: the first currency observed);
- ``no_price_comparison_procurement_methods`` / ``price_comparison_procurement_methods``: ``|``-separated values of
  ``tender.procurementMethodDetails`` excluded from (or the only ones admitted to) the price-comparing indicators
  R024, R028, R036 and R058; the second wins when both are set;
- ``[exclusions] procurement_method_details``: ``|``-separated values whose releases are dropped altogether.

The sections of Cardinal's ``prepare`` command (codelists, defaults, redactions, corrections, modifications) are
accepted and ignored, as are R044 and R055 (Cardinal indicators not reimplemented here); anything else is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Union

from tandau.errors import InputError

__all__ = ["IGNORED_SECTIONS", "ProcurementSettings", "parse_pipe_list", "settings_from_tables"]

Table = Mapping[str, Union[str, "Table"]]

# sections Cardinal reads for its other commands (prepare) or for indicators not reimplemented
IGNORED_SECTIONS = ("codelists", "defaults", "redactions", "corrections", "modifications", "R044", "R055")

# per indicator: key -> kind ("int", "uint", "float", "list", "table")
_KEYS: dict[str, dict[str, str]] = {
    "R003": {"threshold": "int", "procurement_methods": "list", "procurement_method_details": "table"},
    "R018": {"procurement_methods": "list"},
    "R024": {"threshold": "float"},
    "R025": {"percentile": "uint", "threshold": "float"},
    "R028": {},
    "R030": {},
    "R035": {"threshold": "uint"},
    "R036": {},
    "R038": {"threshold": "float", "minimum_submitted_bids": "uint", "minimum_contracting_processes": "uint"},
    "R048": {"digits": "uint", "threshold": "uint", "minimum_contracting_processes": "uint"},
    "R058": {"threshold": "float"},
}
_GLOBALS = ("currency", "no_price_comparison_procurement_methods", "price_comparison_procurement_methods")


def parse_pipe_list(value: str | None) -> frozenset[str]:
    """Values separated by ``|``; a trailing empty value is dropped (Rust's ``split_terminator``).

    >>> sorted(parse_pipe_list("open|selective|")), parse_pipe_list(""), parse_pipe_list(None)
    (['open', 'selective'], frozenset(), frozenset())
    """
    if not value:
        return frozenset()
    parts = value.split("|")
    if parts[-1] == "":
        parts.pop()
    return frozenset(parts)


@dataclass(frozen=True)
class ProcurementSettings:
    """Which indicators run and with which parameters (``None``: Cardinal's default or the computed fence)."""

    enabled: frozenset[str]
    currency: str | None = None
    no_price_comparison: frozenset[str] = frozenset()
    price_comparison: frozenset[str] = frozenset()
    excluded_details: frozenset[str] = frozenset()
    r003_threshold: int = 15
    r003_methods: frozenset[str] = frozenset()
    r003_details: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    r018_methods: frozenset[str] = frozenset({"open", "selective"})
    r024_threshold: float | None = None
    r025_percentile: int = 75
    r025_threshold: float | None = None
    r035_threshold: int = 1
    r038_threshold: float | None = None
    r038_minimum_bids: int = 2
    r038_minimum_processes: int = 2
    r048_digits: int = 2
    r048_threshold: int | None = None
    r048_minimum_processes: int = 20
    r058_threshold: float | None = None
    warnings: tuple[str, ...] = ()

    @staticmethod
    def all_indicators() -> ProcurementSettings:
        """Every indicator with its defaults (as an INI file with each section empty)."""
        return ProcurementSettings(enabled=frozenset(_KEYS))


def _convert(kind: str, text: str, where: str, file: str | None) -> object:
    try:
        if kind == "int":
            return int(text.strip())
        if kind == "uint":
            value = int(text.strip())
            if value < 0:
                raise ValueError(text)
            return value
        if kind == "float":
            return float(text.strip())
    except ValueError:
        wanted = {"int": "an integer", "uint": "a natural number", "float": "a decimal number"}[kind]
        raise InputError(f"{where} must be {wanted}, got {text!r}", file=file) from None
    return text


def _scalar(value: str | Table, where: str, file: str | None) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where} is a section; give it as a key = value", file=file)
    return value


def settings_from_tables(tables: Table, *, file: str | None = None) -> ProcurementSettings:
    """Validate the nested tables of a settings file; errors name the section and key and list the valid ones.

    >>> s = settings_from_tables({"R003": {"threshold": "10", "procurement_method_details": {"x": "5"}}})
    >>> sorted(s.enabled), s.r003_threshold, dict(s.r003_details)
    (['R003'], 10, {'x': 5})
    """
    values: dict[str, object] = {}
    enabled: set[str] = set()
    warnings: list[str] = []
    for key, value in tables.items():
        if key in _GLOBALS:
            values[key] = _scalar(value, key, file)
        elif key == "exclusions":
            if isinstance(value, str):
                raise InputError("exclusions must be a section", file=file)
            for sub, text in value.items():
                if sub != "procurement_method_details":
                    raise InputError(f"unknown key {sub!r} in [exclusions]; valid: procurement_method_details",
                                     file=file)
                values["excluded_details"] = parse_pipe_list(_scalar(text, "[exclusions] " + sub, file))
        elif key in _KEYS:
            if isinstance(value, str):
                raise InputError(f"{key} must be a section [{key}]", file=file)
            enabled.add(key)
            _read_section(key, value, values, file)
        elif key in IGNORED_SECTIONS:
            if key.startswith("R"):
                warnings.append(f"[{key}] is a Cardinal indicator that Tandau does not compute; ignored")
        else:
            valid = ", ".join([*_GLOBALS, "exclusions", *_KEYS, *IGNORED_SECTIONS])
            raise InputError(f"unknown section or key {key!r} (keys are case-sensitive); valid: {valid}", file=file)
    return ProcurementSettings(
        enabled=frozenset(enabled),
        currency=_opt_str(values.get("currency")),
        no_price_comparison=parse_pipe_list(_opt_str(values.get("no_price_comparison_procurement_methods"))),
        price_comparison=parse_pipe_list(_opt_str(values.get("price_comparison_procurement_methods"))),
        warnings=tuple(warnings),
        **{k: v for k, v in values.items() if k not in _GLOBALS},  # type: ignore[arg-type]
    )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


_FIELD = {
    ("R003", "threshold"): "r003_threshold", ("R003", "procurement_methods"): "r003_methods",
    ("R003", "procurement_method_details"): "r003_details", ("R018", "procurement_methods"): "r018_methods",
    ("R024", "threshold"): "r024_threshold", ("R025", "percentile"): "r025_percentile",
    ("R025", "threshold"): "r025_threshold", ("R035", "threshold"): "r035_threshold",
    ("R038", "threshold"): "r038_threshold", ("R038", "minimum_submitted_bids"): "r038_minimum_bids",
    ("R038", "minimum_contracting_processes"): "r038_minimum_processes", ("R048", "digits"): "r048_digits",
    ("R048", "threshold"): "r048_threshold", ("R048", "minimum_contracting_processes"): "r048_minimum_processes",
    ("R058", "threshold"): "r058_threshold",
}


def _read_section(code: str, section: Table, values: dict[str, object], file: str | None) -> None:
    allowed = _KEYS[code]
    for key, value in section.items():
        kind = allowed.get(key)
        where = f"[{code}] {key}"
        if kind is None:
            valid = ", ".join(allowed) or "none"
            raise InputError(f"unknown key {key!r} in [{code}] (keys are case-sensitive); valid: {valid}", file=file)
        if kind == "table":
            if isinstance(value, str):
                raise InputError(f"{key} must be a section [{code}.{key}] of name = days", file=file)
            values[_FIELD[code, key]] = MappingProxyType({
                name: _convert("int", _scalar(days, f"[{code}.{key}] {name}", file), f"[{code}.{key}] {name}", file)
                for name, days in value.items()
            })
        elif kind == "list":
            values[_FIELD[code, key]] = parse_pipe_list(_scalar(value, where, file))
        else:
            converted = _convert(kind, _scalar(value, where, file), where, file)
            if code == "R035":
                converted = max(int(converted), 1)  # type: ignore[call-overload]
            values[_FIELD[code, key]] = converted
