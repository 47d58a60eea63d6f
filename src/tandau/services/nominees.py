"""Use case: select the nominees of a set of single-member districts from a DISTRICTS.csv file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tandau.core.nominees import NomineeRequest, NomineeResult, select_nominees, set_rules
from tandau.core.rules import RuleSet
from tandau.errors import InputError
from tandau.io.candidates_csv import read_candidates
from tandau.io.nominees_csv import read_districts
from tandau.io.rules_toml import load_rules


@dataclass(frozen=True, slots=True)
class Selection:
    """The result with the rule set it was selected under."""

    result: NomineeResult
    rule_set: RuleSet


def parse_pins(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``--pin DISTRICT=ID`` values as (district, candidate id) pairs."""
    pins = []
    for value in values:
        district, sep, cid = value.partition("=")
        if not sep or not district.strip() or not cid.strip():
            raise InputError(f"a pin is DISTRICT=ID, got {value!r}", parameter="--pin")
        pins.append((district.strip(), cid.strip()))
    return tuple(pins)


def select_from_file(
    districts_file: Path, rules: str, *, election_date: date | None = None, pins: Sequence[str] = (),
    exclude: Sequence[str] = (), list_file: Path | None = None, set_label: str = "council",
) -> Selection:
    """Read, validate and select (``list_file``: a mixed council's list, counted with the nominees)."""
    rule_set = load_rules(rules)
    set_rules(rule_set.rules)  # refuse positional rules before reading the file
    if rule_set.needs_age and election_date is None:
        raise InputError("these rules count ages (people under an age on election day), so an election date is "
                         "needed: pass --election-date YYYY-MM-DD", parameter="--election-date")
    districts = read_districts(districts_file, require_birth_dates=rule_set.needs_age)
    known = {c.id for d in districts for c in d.candidates}
    unknown = [x for x in exclude if x not in known]
    if unknown:
        raise InputError(f"excluded id(s) {', '.join(unknown)} not among the candidates", parameter="--exclude")
    listed = tuple(read_candidates(list_file, require_birth_dates=rule_set.needs_age)) if list_file else ()
    request = NomineeRequest(tuple(districts), rule_set.rules, election_date, parse_pins(pins), frozenset(exclude),
                             listed, set_label)
    return Selection(select_nominees(request), rule_set)
