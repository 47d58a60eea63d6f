"""OCDS files for the procurement red flags: compiled releases as JSON Lines (optionally gzipped) and
Cardinal's INI settings file.

The INI reader keeps keys as written (``configparser`` would lowercase them, and Cardinal's keys are
case-sensitive), reads keys before the first section as top-level settings, and makes a dotted section
(``[R003.procurement_method_details]``) a table inside its parent. Comments start with ``;`` or ``#`` (also after
a value, following a space); a value in matching quotes loses them. Errors name the file, line and column.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from tandau.errors import InputError

__all__ = ["ReleaseLine", "iter_release_lines", "parse_release", "read_release_bytes", "read_settings"]

_GZIP_MAGIC = b"\x1f\x8b"
_SECTION = re.compile(r"\[\s*([^\]]*?)\s*\]\s*(?:[;#].*)?\Z")
_INLINE_COMMENT = re.compile(r"\s[;#].*\Z")

ReleaseLine = tuple[int, bytes]
Tables = dict[str, Any]


def read_settings(path: Path) -> Tables:
    """The settings file as nested tables of strings (see the module's docstring)."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("settings file not found", file=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the settings file: {exc}", file=name) from None
    return parse_settings(text, file=name)


def parse_settings(text: str, *, file: str | None = None) -> Tables:
    """Parse INI text.

    >>> parse_settings("currency = USD\\n[R003]\\nthreshold = 10 ; days\\n[R003.procurement_method_details]\\nX = 5")
    {'currency': 'USD', 'R003': {'threshold': '10', 'procurement_method_details': {'X': '5'}}}
    """
    root: Tables = {}
    current = root
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line[0] == "[":
            match = _SECTION.match(line)
            if match is None or not match.group(1):
                raise InputError(f"a section header is [NAME], got {line!r}", file=file, row=number, column="1")
            current = root
            for part in match.group(1).split("."):
                child = current.setdefault(part.strip(), {})
                if not isinstance(child, dict):
                    raise InputError(f"{part.strip()!r} is both a key and a section", file=file, row=number)
                current = child
            continue
        cut = min((i for i in (line.find("="), line.find(":")) if i > 0), default=-1)
        if cut < 0:
            column = str(len(raw) - len(raw.lstrip()) + 1)
            raise InputError(f"expected key = value or [section], got {line!r}", file=file, row=number,
                             column=column)
        key = line[:cut].strip()
        value = _INLINE_COMMENT.sub("", line[cut + 1:]).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if isinstance(current.get(key), dict):
            raise InputError(f"{key!r} is both a section and a key", file=file, row=number)
        current[key] = value
    return root


def read_release_bytes(path: Path) -> bytes:
    """The whole file, decompressed if it is gzipped (detected by its magic number, whatever its name)."""
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("releases file not found", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read the releases file: {exc}", file=name) from None
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"not a valid gzip file: {exc}", file=name) from None
    return data


def iter_release_lines(data: bytes) -> Iterator[ReleaseLine]:
    """(line number, line) for every line that is not blank."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line and not line.isspace():
            yield number, line


class _NoConstants(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise _NoConstants(f"{name} is not JSON")


def parse_release(line: bytes) -> object:
    """One line as JSON (orjson; integers beyond 64 bits through the standard library, as floats are in
    Cardinal's serde_json). Raises ``ValueError`` with the column for invalid JSON."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        try:
            return json.loads(line, parse_constant=_refuse_constant)
        except (ValueError, RecursionError):
            raise ValueError(f"column {exc.colno}: {exc.msg}") from None
