"""RULES.csv and LINKS.csv: contracting processes linked to programme items (issue 12, scope 5; docs/control.md).

RULES: ``programme, indicator, region, buyer_id, classification``; ``region`` the 9-digit KATO code of a region or
city of republican significance, or empty for any region; ``buyer_id`` empty for any buyer; ``classification`` a
prefix of an item's classification id, empty for any. Two rules with the same criteria are refused.

LINKS (the output, which the user corrects): ``ocid, buyer_id, buyer_name, region, programme, indicator,
amount_kzt, status, rule, note``; ``status`` one of linked, ambiguous, unmatched, manual. Only ``manual`` rows are
read as corrections and validated in full; an ocid may appear once; a programme left on an unmatched or
ambiguous row, or cleared on a linked one, without ``manual`` is refused (the edit would be lost).

Both may be ``.csv`` (UTF-8, comma, semicolon or tab) or ``.xlsx`` (the table reader of the control files);
reading is all or nothing, the first problem raising :class:`~tandau.errors.InputError` with file, row and column.
LINKS.csv is written UTF-8 with a BOM (Excel reads the Cyrillic names right), atomically (a temporary file in
the same directory renamed over the target); a text cell starting with ``=``, ``+``, ``-`` or ``@`` is written
behind an apostrophe so that a spreadsheet does not run it as a formula, and read back without it.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tandau.core.control.procurement.links import STATUSES, Link, Rule
from tandau.errors import InputError, TandauError
from tandau.io.control_csv import region_codes
from tandau.io.ocds import iter_release_lines, parse_release, read_release_bytes
from tandau.services.primaries._tabular import Cell, Table, read_table, text_of

__all__ = ["LINK_COLUMNS", "RULE_COLUMNS", "ReleaseFile", "links_csv", "manual_rows", "parse_links",
           "parse_rules", "read_links", "read_rules", "write_links"]

_PROGRESS_EVERY = 5_000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RULE_COLUMNS = ("programme", "indicator", "region", "buyer_id", "classification")
LINK_COLUMNS = ("ocid", "buyer_id", "buyer_name", "region", "programme", "indicator", "amount_kzt", "status",
                "rule", "note")


def _cell(cells: dict[str, Cell], column: str) -> str:
    return text_of(cells.get(column))


def _guarded(text: str) -> str:
    """Text a spreadsheet will not run as a formula: an apostrophe before a leading =, +, -, @, tab or CR (OWASP's
    advice for CSV files; names and ids come from the publishers' data). :func:`_unguarded` takes it off."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _unguarded(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def parse_rules(table: Table) -> tuple[Rule, ...]:
    """The rules of a RULES table, each with its row (see the module's docstring)."""
    valid = region_codes()[1:]
    seen: dict[tuple[str, str, str], int] = {}
    rules = []
    for number, cells in table.rows:
        def error(column: str, problem: str, number: int = number) -> InputError:
            return InputError(problem, file=table.file, row=number, column=column)

        programme, indicator = _cell(cells, "programme"), _cell(cells, "indicator")
        for column, value in (("programme", programme), ("indicator", indicator)):
            if not value:
                raise error(column, "empty; a value is required")
        region = _cell(cells, "region")
        if region.upper() == "KZ":
            raise error("region", "KZ is not a buyer's region: leave region empty for any region")
        if region and region not in valid:
            raise error("region", f"unknown region {region!r}: expected empty (any region) or the 9-digit KATO "
                                  f"code of a region or city of republican significance ({', '.join(valid[:3])}, ...)")
        buyer, prefix = _cell(cells, "buyer_id"), _cell(cells, "classification")
        key = (region, buyer, prefix)
        if key in seen:
            raise error("classification", f"the same region, buyer_id and classification as row {seen[key]}: "
                                          "one process can only go one way; keep one of the two rows")
        seen[key] = number
        rules.append(Rule(programme, indicator, region, buyer, prefix, number))
    if not rules:
        raise InputError("no rules in the file", file=table.file)
    return tuple(rules)


def _amount(text: str, error: Callable[[str, str], InputError]) -> Decimal | None:
    text = text.replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise error("amount_kzt", f"expected a number (a dot for decimals, no thousands separator), got "
                                  f"{text!r}") from None
    if not value.is_finite() or value < 0:
        raise error("amount_kzt", f"expected a finite number ≥ 0, got {text}")
    return value


def parse_links(table: Table) -> tuple[Link, ...]:
    """The rows of a LINKS table (see the module's docstring); only manual rows are fully validated."""
    valid = region_codes()
    seen: dict[str, int] = {}
    links = []
    for number, cells in table.rows:
        def error(column: str, problem: str, number: int = number) -> InputError:
            return InputError(problem, file=table.file, row=number, column=column)

        text = {column: _unguarded(_cell(cells, column)) for column in LINK_COLUMNS}
        ocid = text["ocid"]
        if not ocid:
            raise error("ocid", "empty; a value is required")
        if ocid in seen:
            raise error("ocid", f"ocid {ocid!r} is already in row {seen[ocid]}: one row per process")
        seen[ocid] = number
        status = text["status"].lower()
        if status not in STATUSES:
            raise error("status", f"expected one of {', '.join(STATUSES)}, got {status!r}")
        programme, indicator, region = text["programme"], text["indicator"], text["region"]
        if status in ("unmatched", "ambiguous") and programme:
            raise error("status", f"a programme on a {status} row would be lost: set status to manual to keep it")
        if status == "linked" and not programme:
            raise error("status", "a linked row without a programme: set status to manual to unlink the process")
        amount = None
        if status == "manual":
            if not programme:
                indicator = ""  # the process is unlinked; an indicator alone means nothing
            elif not indicator:
                raise error("indicator", "empty; a manual link with a programme needs its indicator")
            if region.upper() == "KZ":
                region = "KZ"
            elif region and region not in valid:
                raise error("region", f"unknown region {region!r}: expected empty, KZ or the 9-digit KATO code of "
                                      f"a region or city of republican significance ({', '.join(valid[1:4])}, ...)")
            amount = _amount(text["amount_kzt"], error)
        links.append(Link(ocid, text["buyer_id"], text["buyer_name"], region, programme, indicator, amount,
                          status, text["rule"], text["note"]))
    return tuple(links)


def read_rules(path: Path) -> tuple[Rule, ...]:
    """Read and validate a RULES.csv (or .xlsx) file."""
    return parse_rules(read_table(path, RULE_COLUMNS))


def read_links(path: Path) -> tuple[Link, ...]:
    """Read a LINKS.csv (or .xlsx) file, the user's corrections."""
    return parse_links(read_table(path, LINK_COLUMNS))


def manual_rows(path: Path) -> int:
    """How many rows of an existing file have status ``manual`` (0 if it is not a readable LINKS file)."""
    try:
        table = read_table(path, ("ocid", "status"))
    except TandauError:
        return 0
    return sum(1 for _, cells in table.rows if _cell(cells, "status").lower() == "manual")


def links_csv(links: Iterable[Link]) -> str:
    """The links as LINKS.csv text (amounts in plain notation, empty when unknown; text that a spreadsheet would
    take for a formula behind an apostrophe, which :func:`read_links` removes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LINK_COLUMNS)
    for k in links:
        amount = "" if k.amount_kzt is None else format(k.amount_kzt, "f")
        writer.writerow((*map(_guarded, (k.ocid, k.buyer_id, k.buyer_name, k.region, k.programme, k.indicator)),
                         amount, k.status, k.rule, _guarded(k.note)))
    return out.getvalue()


def write_links(path: Path, links: Iterable[Link]) -> None:
    """Write LINKS.csv atomically: a temporary file beside ``path``, flushed, then renamed over it."""
    data = links_csv(links).encode("utf-8-sig")
    directory = path.resolve().parent
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot write there: {exc}", file=str(path)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)  # mkstemp makes it private; keep the old file's mode (or the umask's)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write the file: {exc}", file=str(path)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class ReleaseFile:
    """The releases of a JSON Lines file (gzip recognised by its content), parsed one line at a time.

    A line that is not JSON goes to ``on_warning`` with its line and column and is skipped; a value that is not
    an object, or has no string ``ocid``, is counted in ``skipped`` by reason. ``on_progress(done_bytes,
    total_bytes)`` is called every few thousand lines. The file is read when created (a missing file or broken
    gzip stream raises :class:`~tandau.errors.InputError`).
    """

    path: Path
    on_warning: Callable[[str], None] | None = None
    on_progress: Callable[[int, int], None] | None = None
    lines: int = 0
    invalid: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._data = read_release_bytes(self.path)

    @property
    def size(self) -> int:
        """The size of the (decompressed) data in bytes."""
        return len(self._data)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        name = str(self.path)
        total, done = len(self._data), 0
        for number, line in iter_release_lines(self._data):
            self.lines += 1
            if self.on_progress is not None:
                done += len(line) + 1
                if self.lines % _PROGRESS_EVERY == 0:
                    self.on_progress(min(done, total), total)
            try:
                release = parse_release(line)
            except ValueError as exc:
                self.invalid += 1
                if self.on_warning is not None:
                    self.on_warning(f"{name}, line {number}, {exc}: invalid JSON, line skipped")
                continue
            if type(release) is not dict:
                reason = "not an object"
            elif type(release.get("ocid")) is not str:
                reason = "ocid is not a string"
            else:
                yield release
                continue
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
        if self.on_progress is not None:
            self.on_progress(total, total)
