"""Mixed councils (issue 11, item 4): the list half, the districts with by-elections, composition and factions.

The hand-checked council: Kostanay oblast maslikhat 2023 (``M-39``, 32 seats = 16 list + 16 single-member), its
real list votes (tests/vectors/seats/kz-maslikhat-2023-kostanay-oblast.json: Amanat 9, Ak Zhol 3, Auyl 2,
Respublica 1, People's Party 1) and invented district results and lists.
"""

from __future__ import annotations

from datetime import date

import pytest

from tandau.core.candidates import Candidate
from tandau.core.seats.mixed import INDEPENDENT, DistrictResult, compose_council, district_holders
from tandau.core.systems import get_system
from tandau.errors import InputError
from tandau.io.territory import kz_districts

DAY = date(2023, 3, 19)
VOTES = [("Amanat", 195232), ("Auyl", 44220), ("Respublica", 22115), ("People's Party of Kazakhstan", 22325),
         ("Ak Zhol", 66220)]
COUNCIL = kz_districts("2023").council("M-39")
LEVEL = get_system("kz-2023").level(COUNCIL.level)


def _c(i: int, sex: str, year: int) -> Candidate:
    return Candidate(f"a{i}", f"Amanat {i}", sex, date(year, 1, 1), order=i - 1)  # type: ignore[arg-type]


#: Amanat's list: 1 woman (#3) among the first 9; #10 a woman, #11 a man of 24 (under 29), #12 a woman
AMANAT_LIST = [_c(1, "M", 1970), _c(2, "M", 1975), _c(3, "F", 1980), _c(4, "M", 1965), _c(5, "M", 1972),
               _c(6, "M", 1968), _c(7, "M", 1990), _c(8, "M", 1960), _c(9, "M", 1971), _c(10, "F", 1985),
               _c(11, "M", 1999), _c(12, "F", 1992)]

#: Amanat wins districts 1-10 (women: 1, 3, 6, 10; under 35 on election day: 3 and 8), Ak Zhol 11, Auyl 12,
#: self-nominated 13-16; 15's winner vacates on 10 Jan 2024 (no by-election yet); 16's on 1 Jun 2023 and an
#: Amanat woman of 28 wins the by-election of 29 Oct 2023.
AMANAT_DISTRICTS = [("F", 1980), ("M", 1970), ("F", 1991), ("M", 1960), ("M", 1965), ("F", 1975), ("M", 1985),
                    ("M", 1990), ("M", 1955), ("F", 1970)]


def results() -> list[DistrictResult]:
    rows = [DistrictResult(str(k), f"D{k} winner", "Amanat", sex=sex, birth_date=date(year, 6, 1))  # type: ignore[arg-type]
            for k, (sex, year) in enumerate(AMANAT_DISTRICTS, start=1)]
    rows += [DistrictResult("11", "Zhol", "Ak Zhol", sex="M"), DistrictResult("12", "Auyl man", "Auyl", sex="M"),
             DistrictResult("M-39-D13", "Ind 13", INDEPENDENT), DistrictResult("M-39-D14", "Ind 14", INDEPENDENT),
             DistrictResult("15", "Ind 15", INDEPENDENT, vacated=date(2024, 1, 10)),
             DistrictResult("16", "Ind 16", INDEPENDENT, vacated=date(2023, 6, 1)),
             DistrictResult("16", "By winner", "Amanat", by_election=date(2023, 10, 29), sex="F",
                            birth_date=date(1995, 5, 5))]
    return rows


def test_council_is_32_seats_16_and_16() -> None:
    assert (COUNCIL.seats, COUNCIL.list_seats, COUNCIL.single_member, LEVEL.seat_rules) == (
        32, 16, 16, "kz-maslikhat-2023")


def test_composition_hand_checked() -> None:
    r = compose_council(COUNCIL, LEVEL, VOTES, results(), lists={"Amanat": AMANAT_LIST}, election_day=DAY)
    rows = {p.party: (p.list_seats, p.district_seats, p.total) for p in r.parties}
    assert rows == {"Amanat": (9, 11, 20), "Auyl": (2, 1, 3), "Respublica": (1, 0, 1),
                    "People's Party of Kazakhstan": (1, 0, 1), "Ak Zhol": (3, 1, 4), INDEPENDENT: (0, 2, 2)}
    assert r.vacant == 1 and sum(p.total for p in r.parties) + r.vacant == 32
    assert [s.district for s in r.districts if s.holder is None] == ["M-39-D15"]
    assert r.districts[15].holder is not None and r.districts[15].holder.winner == "By winner"


def test_faction_hand_checked_with_mandate_quota() -> None:
    r = compose_council(COUNCIL, LEVEL, VOTES, results(), lists={"Amanat": AMANAT_LIST}, election_day=DAY)
    m = dict(r.mandates)["Amanat"]
    # ceil(30% of 9) = 3 women/under-29s; only #3 among the first 9: #9 gives way to #10, then #8 to #11
    assert [c.id for c in m.elected] == ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a10", "a11"]
    assert [(x.out, x.into) for x in m.replacements] == [("a9", "a10"), ("a8", "a11")]
    f = r.faction("Amanat")
    assert (f.size, f.list_seats, f.district_seats, f.unnamed_list_seats) == (20, 9, 11, 0)
    # women: list #3, #10 + districts 1, 3, 6, 10 and the by-election winner = 7
    # under 35: list #7 (33), #11 (24) + districts 3 (31), 8 (32) + the by-election winner (28 on 29 Oct 2023) = 5
    assert (f.women, f.under_35, f.unknown_sex, f.unknown_age) == (7, 5, 0, 0)
    assert {d.id for d in f.deputies if d.mandate == "list"} == {c.id for c in m.elected}
    assert [d.district for d in f.deputies if d.mandate == "district"] == [f"M-39-D{k:02d}" for k in
                                                                          (*range(1, 11), 16)]


def test_faction_without_a_list_counts_unnamed_seats() -> None:
    r = compose_council(COUNCIL, LEVEL, VOTES, results(), election_day=DAY)
    f = r.faction("Ak Zhol")
    assert (f.size, f.unnamed_list_seats, f.unknown_sex, f.unknown_age) == (4, 3, 3, 4)
    assert r.faction("Nobody").size == 0


def test_as_of_ignores_later_events() -> None:
    r = compose_council(COUNCIL, LEVEL, VOTES, results(), election_day=DAY, as_of=date(2023, 9, 1))
    rows = {p.party: p.total for p in r.parties}
    assert rows["Amanat"] == 19 and rows[INDEPENDENT] == 3
    assert [s.district for s in r.districts if s.holder is None] == ["M-39-D16"]
    at_election = compose_council(COUNCIL, LEVEL, VOTES, results(), election_day=DAY, as_of=DAY)
    assert at_election.vacant == 0 and at_election.party(INDEPENDENT).total == 4


def test_trace_and_json() -> None:
    data = compose_council(COUNCIL, LEVEL, VOTES, results(), lists={"Amanat": AMANAT_LIST},
                           election_day=DAY).as_data()
    assert data["list"]["seats"]["Amanat"] == 9  # type: ignore[index]
    assert data["mandates"]["Amanat"]["replacements"][0] == {  # type: ignore[index]
        "out": "a9", "in": "a10", "reason": "kz-law-2022: fewer than ceil(30% of seats) women, under-29s or persons "
                                           "with disabilities"}
    steps = data["steps"]
    assert any("M-39-D16: Ind 16 (self-nominated) won the general election, vacated 2023-06-01; By winner "
               "(Amanat) won the by-election 2023-10-29" in s for s in steps)  # type: ignore[attr-defined]
    assert steps[-1] == "council M-39: 31 of 32 seats filled, 1 vacant"  # type: ignore[index]
    amanat = data["factions"][0]  # type: ignore[index]
    assert (amanat["deputies"], amanat["women"], amanat["under_35"]) == (20, 7, 5)


@pytest.mark.parametrize(("rows", "column", "text"), [
    ([DistrictResult("17", "X", "A", file="r.csv", row=18)], "district", "unknown district '17'"),
    ([DistrictResult("1", "X", "A", file="r.csv", row=2), DistrictResult("M-39-D01", "Y", "A", file="r.csv", row=3)],
     "district", "already has its general-election result (row 2)"),
    ([DistrictResult("1", "X", "A", by_election=date(2023, 1, 1), file="r.csv", row=2)], "by_election",
     "must come after election day"),
    ([DistrictResult("1", "X", "A", vacated=date(2023, 1, 1), file="r.csv", row=2)], "vacated",
     "before being elected"),
    ([DistrictResult("1", "X", "A", vacated=date(2023, 12, 1), file="r.csv", row=2),
      DistrictResult("1", "Y", "A", by_election=date(2023, 10, 29), file="r.csv", row=3)], "vacated",
     "after the by-election"),
])
def test_district_errors_name_file_row_column(rows: list[DistrictResult], column: str, text: str) -> None:
    others = [DistrictResult(str(k), "W", "A") for k in range(2, 17)]
    with pytest.raises(InputError) as e:
        district_holders(COUNCIL, rows + others, election_day=DAY)
    assert e.value.file == "r.csv" and e.value.column == column and text in e.value.problem


def test_every_district_needs_a_result() -> None:
    with pytest.raises(InputError, match=r"no general-election result for 2 district\(s\) of council M-39: "
                                         r"M-39-D15, M-39-D16"):
        district_holders(COUNCIL, [DistrictResult(str(k), "W", "A") for k in range(1, 15)])


def test_list_votes_and_lists_checked() -> None:
    with pytest.raises(InputError, match="give the list votes"):
        compose_council(COUNCIL, LEVEL, [], results())
    with pytest.raises(InputError, match="no list votes"):
        compose_council(COUNCIL, LEVEL, VOTES, results(), lists={"Baytaq": AMANAT_LIST}, election_day=DAY)
    city = kz_districts("2023").council("M-3910")  # Kostanay city: every seat single-member
    level = get_system("kz-2023").level(city.level)
    res = [DistrictResult(str(k), f"W{k}", "Amanat") for k in range(1, city.single_member + 1)]
    r = compose_council(city, level, [], res)
    assert r.allocation is None and r.parties[0].total == city.seats
    with pytest.raises(InputError, match="no list seats"):
        compose_council(city, level, VOTES, res)
