"""Use case: a council's composition (list half + single-member districts) and its what-if, from files.

The council comes from an electoral system (``kz-2021``, ``kz-2023``) and the districting of its territory layout
(:func:`tandau.io.territory.kz_districts`, optionally with an official district table); the list half is counted by
the preset the system names for the council's level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tandau.core.candidates import Candidate
from tandau.core.seats.mixed import CouncilComposition, compose_council
from tandau.core.seats.mixed_sim import MixedSimulation, simulate_council
from tandau.core.systems import CouncilSeats, ElectoralSystem, LevelSystem, get_system
from tandau.errors import InputError
from tandau.io.district_results import read_district_estimates, read_party_lists, read_results
from tandau.io.votes import read_candidates_csv, read_shares_csv, read_votes_csv


@dataclass(frozen=True, slots=True)
class CouncilRef:
    """A council under a system: the system, its level's rule and the council's seats and districts."""

    system: ElectoralSystem
    level: LevelSystem
    council: CouncilSeats


def council_ref(system_id: str, council_id: str, district_table: Path | None = None) -> CouncilRef:
    """The council ``council_id`` of ``system_id``'s territory layout (Kazakhstan), with official districts from
    ``district_table`` (``council, district, name[, kato]``) when given."""
    from tandau.io.territory import kz_districts, load_districts

    system = get_system(system_id)
    if system.country != "KZ":
        raise InputError(f"system {system_id} is not Kazakh; only Kazakh territories are built in",
                         parameter="--system")
    districting = kz_districts(system.layout)
    if district_table is not None:
        districting = load_districts(district_table, districting)
    council = districting.council(council_id)
    return CouncilRef(system, system.level(council.level), council)


def read_lists(lists_file: Path | None, list_specs: Sequence[str]) -> dict[str, list[Candidate]]:
    """Party lists from ``LISTS.csv`` (with a ``party`` column) and ``PARTY=LIST.csv`` options (``LIST.csv`` as for
    ``tandau seats mandates``); a party given twice is refused."""
    lists: dict[str, list[Candidate]] = read_party_lists(lists_file) if lists_file is not None else {}
    for spec in list_specs:
        party, sep, path = spec.partition("=")
        if not sep or not party.strip() or not path.strip():
            raise InputError(f"expected PARTY=LIST.csv, got {spec!r}", parameter="--list")
        if party.strip() in lists:
            raise InputError(f"the list of {party.strip()!r} is given twice", parameter="--list")
        lists[party.strip()] = list(read_candidates_csv(path.strip()))
    return lists


def _check_lists(lists: Mapping[str, Sequence[Candidate]], rule: str, day: date | None) -> None:
    if lists and rule == "kz-law-2022" and day is None:
        raise InputError("the kz-law-2022 mandate rule counts under-29s on election day: pass --election-date "
                         "YYYY-MM-DD (or --rule list-order)", parameter="--election-date")


def compose_from_files(
    system_id: str, council_id: str, *, votes: Path | None, results: Path | None, by_elections: Path | None = None,
    lists_file: Path | None = None, list_specs: Sequence[str] = (), rule: str = "kz-law-2022",
    election_date: date | None = None, as_of: date | None = None, other_valid_votes: int = 0,
    tie_policy: str | None = None, seed: int | None = None, district_table: Path | None = None,
) -> tuple[CouncilRef, CouncilComposition]:
    """Read the list votes, the district results (and by-elections), the lists; compose the council."""
    ref = council_ref(system_id, council_id, district_table)
    if ref.council.list_seats and votes is None:
        raise InputError(f"council {council_id} has {ref.council.list_seats} list seats under {system_id}: give "
                         "--votes VOTES.csv", parameter="--votes")
    if ref.council.single_member and results is None:
        raise InputError(f"council {council_id} has {ref.council.single_member} single-member districts under "
                         f"{system_id}: give --districts RESULTS.csv", parameter="--districts")
    if results is None and by_elections is not None:
        raise InputError("--by-elections needs --districts RESULTS.csv", parameter="--by-elections")
    vote_rows = read_votes_csv(votes) if votes is not None else []
    rows = read_results(results, by_elections) if results is not None else []
    lists = read_lists(lists_file, list_specs)
    _check_lists(lists, rule, election_date)
    return ref, compose_council(ref.council, ref.level, vote_rows, rows, lists=lists, mandate_rule=rule,
                                election_day=election_date, other_valid_votes=other_valid_votes, as_of=as_of,
                                tie_policy=tie_policy, seed=seed)


def simulate_from_files(
    system_id: str, council_id: str, *, shares: Path | None, estimates: Path, lists_file: Path | None = None,
    list_specs: Sequence[str] = (), rule: str = "kz-law-2022", election_date: date | None = None,
    other_share: float = 0.0, draws: int = 10_000, seed: int = 0, concentration: float | None = 2_000.0,
    list_sigma: float | None = None, sigma: float = 0.05, swing: float = 0.0, district_table: Path | None = None,
) -> tuple[CouncilRef, MixedSimulation]:
    """Read the expected list shares, the district estimates and the lists; simulate the council."""
    ref = council_ref(system_id, council_id, district_table)
    if ref.council.list_seats and shares is None:
        raise InputError(f"council {council_id} has list seats: give --shares SHARES.csv", parameter="--shares")
    expected = read_shares_csv(shares) if shares is not None else {}
    rows = read_district_estimates(estimates)
    lists = read_lists(lists_file, list_specs)
    _check_lists(lists, rule, election_date)
    return ref, simulate_council(ref.council, ref.level, expected, rows, lists=lists, mandate_rule=rule,
                                 election_day=election_date, other_share=other_share, draws=draws, seed=seed,
                                 concentration=concentration, list_sigma=list_sigma, sigma=sigma, swing=swing)
