"""Rule sets from TOML files, and the ``--rules`` argument (preset ids and/or TOML paths, comma-separated).

See docs/rules.md for the language. Every error names the file and the key (``rule[2].min``).
"""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any

from tandau.core.rules import MEN, WOMEN, Alternation, Balance, Group, MaxRun, Quota, Rule, RuleSet, combine
from tandau.core.rules.model import PARTIALS, ROUNDINGS, SCOPES
from tandau.core.rules.presets import get_preset
from tandau.errors import InputError

BUILTIN_GROUPS = {"women": WOMEN, "men": MEN}
QUOTA_KEYS = {"kind", "group", "min", "max", "rounding", "scope", "size", "from", "partial", "enforce", "note",
              "min_length"}


def _amount(value: Any, *, file: str, key: str) -> tuple[int | None, Fraction | None]:
    """``3`` is a count; ``"30%"``, ``0.3`` or ``"3/10"`` is a share."""
    if isinstance(value, bool):
        raise InputError(f"expected a count or a share, got {value!r}", file=file, parameter=key)
    if isinstance(value, int):
        if value < 0:
            raise InputError("a count cannot be negative", file=file, parameter=key)
        return value, None
    try:
        if isinstance(value, float):
            share = Fraction(str(value))
        elif isinstance(value, str) and value.strip().endswith("%"):
            share = Fraction(value.strip()[:-1]) / 100
        elif isinstance(value, str):
            share = Fraction(value.strip())
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        raise InputError(f"expected a count (3) or a share ('30%', 0.3, '3/10'), got {value!r}", file=file,
                         parameter=key) from None
    if not 0 <= share <= 1:
        raise InputError(f"a share must lie between 0 and 100%, got {value!r}", file=file, parameter=key)
    return None, share


def _group(spec: Any, defined: dict[str, Group], *, file: str, key: str) -> Group:
    if isinstance(spec, str):
        if spec in defined:
            return defined[spec]
        raise InputError(f"unknown group {spec!r}; defined: {', '.join(sorted(defined))}", file=file, parameter=key)
    if not isinstance(spec, dict):
        raise InputError("a group is a name or a table", file=file, parameter=key)
    name = str(spec.get("name", key))
    negate = _bool(spec.get("negate", False), file=file, key=f"{key}.negate")
    if "sex" in spec:
        if spec["sex"] not in ("F", "M"):
            raise InputError(f"sex must be 'F' or 'M', got {spec['sex']!r}", file=file, parameter=f"{key}.sex")
        return Group(name, sex=spec["sex"], negate=negate)
    if "age_under" in spec:
        age = spec["age_under"]
        if not isinstance(age, int) or isinstance(age, bool) or not 1 <= age <= 150:
            raise InputError(f"age_under must be a whole number of years, got {age!r}", file=file,
                             parameter=f"{key}.age_under")
        return Group(name, age_under=age, negate=negate)
    if "tag" in spec:
        return Group(name, tag=str(spec["tag"]).lower(), negate=negate)
    for word in ("any", "all"):
        if word in spec:
            parts = spec[word]
            if not isinstance(parts, list) or not parts:
                raise InputError(f"'{word}' takes a non-empty list of groups", file=file, parameter=f"{key}.{word}")
            members = tuple(_group(p, defined, file=file, key=f"{key}.{word}[{i}]") for i, p in enumerate(parts))
            return Group(name, any_of=members, negate=negate) if word == "any" else \
                Group(name, all_of=members, negate=negate)
    raise InputError("a group needs one of sex, age_under, tag, any, all", file=file, parameter=key)


def _bool(value: Any, *, file: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"expected true or false, got {value!r}", file=file, parameter=key)
    return value


def _choice(value: Any, valid: tuple[str, ...], *, file: str, key: str) -> str:
    if value not in valid:
        raise InputError(f"expected one of {', '.join(valid)}, got {value!r}", file=file, parameter=key)
    return str(value)


def _size(value: Any, *, file: str, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError(f"expected a whole number ≥ 1, got {value!r}", file=file, parameter=key)
    return value


def _rule(spec: dict[str, Any], defined: dict[str, Group], origin: str, *, file: str, key: str) -> Rule:
    kind = spec.get("kind", "quota")
    enforce = _bool(spec.get("enforce", True), file=file, key=f"{key}.enforce")
    note = str(spec.get("note", ""))
    if kind == "max-run":
        return MaxRun(_size(spec.get("length"), file=file, key=f"{key}.length"), enforce, origin, note)
    if kind == "alternation":
        start = spec.get("start")
        if start is not None and start not in ("F", "M"):
            raise InputError(f"start must be 'F' or 'M', got {start!r}", file=file, parameter=f"{key}.start")
        return Alternation(start, enforce, origin, note)
    if kind == "balance":
        gap = spec.get("gap", 1)
        if not isinstance(gap, int) or isinstance(gap, bool) or gap < 0:
            raise InputError(f"gap must be a whole number ≥ 0, got {gap!r}", file=file, parameter=f"{key}.gap")
        return Balance(gap, enforce, origin, note)
    if kind != "quota":
        raise InputError(f"kind must be quota, max-run, alternation or balance, got {kind!r}", file=file,
                         parameter=f"{key}.kind")
    unknown = set(spec) - QUOTA_KEYS
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(sorted(unknown))}", file=file, parameter=key)
    if ("min" in spec) == ("max" in spec):
        raise InputError("a quota takes exactly one of min or max", file=file, parameter=key)
    bound = "min" if "min" in spec else "max"
    count, share = _amount(spec[bound], file=file, key=f"{key}.{bound}")
    scope = _choice(spec.get("scope", "list"), SCOPES, file=file, key=f"{key}.scope")
    size = None
    if scope in ("block", "window", "first"):
        size = _size(spec.get("size"), file=file, key=f"{key}.size")
    return Quota(
        group=_group(spec.get("group"), defined, file=file, key=f"{key}.group"),
        bound=bound,  # type: ignore[arg-type]
        count=count,
        share=share,
        rounding=_choice(spec.get("rounding", "ceil"), ROUNDINGS, file=file, key=f"{key}.rounding"),  # type: ignore[arg-type]
        scope=scope,  # type: ignore[arg-type]
        size=size,
        start=_size(spec.get("from", 1), file=file, key=f"{key}.from"),
        partial=_choice(spec.get("partial", "prorata"), PARTIALS, file=file, key=f"{key}.partial"),  # type: ignore[arg-type]
        enforce=enforce,
        origin=origin,
        note=note,
        min_length=_size(spec.get("min_length", 1), file=file, key=f"{key}.min_length"),
    )


def parse_rules_toml(text: str, file: str = "<rules.toml>") -> RuleSet:
    """A :class:`RuleSet` from the TOML text of ``file``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=file) from None
    rule_id = str(data.get("id", Path(file).stem))
    defined = dict(BUILTIN_GROUPS)
    groups = data.get("groups", {})
    if not isinstance(groups, dict):
        raise InputError("[groups] must be a table", file=file, parameter="groups")
    for name, spec in groups.items():
        if isinstance(spec, dict):
            spec = {"name": name, **spec}
        defined[name] = _group(spec, defined, file=file, key=f"groups.{name}")
    specs = data.get("rule", [])
    if not isinstance(specs, list) or not specs:
        raise InputError("no [[rule]] tables", file=file, parameter="rule")
    rules = tuple(_rule(s, defined, rule_id, file=file, key=f"rule[{i + 1}]") for i, s in enumerate(specs))
    notes = data.get("notes", [])
    return RuleSet(rule_id, str(data.get("name", rule_id)), str(data.get("source", file)), rules,
                   tuple(str(n) for n in notes) if isinstance(notes, list) else (str(notes),))


def load_rules(spec: str) -> RuleSet:
    """``--rules``: comma-separated preset ids and/or paths to TOML files, applied together."""
    parts = [s.strip() for s in spec.split(",") if s.strip()]
    if not parts:
        raise InputError("no rules given", parameter="--rules")
    sets = []
    for part in parts:
        if part.endswith(".toml") or Path(part).is_file():
            path = Path(part)
            try:
                text = path.read_text(encoding="utf-8")
            except (FileNotFoundError, IsADirectoryError):
                raise InputError("no such rules file", file=part, parameter="--rules") from None
            sets.append(parse_rules_toml(text, part))
        else:
            sets.append(get_preset(part))
    return sets[0] if len(sets) == 1 else combine(tuple(sets))
