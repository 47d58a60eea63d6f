"""Nominee selection: the objective, pins, exclusions, explanations, mixed councils and refusals on small cases."""

from __future__ import annotations

import pickle
from datetime import date
from fractions import Fraction

import pytest

from tandau.core.candidates import Candidate
from tandau.core.nominees import (
    District,
    NomineeRequest,
    NomineesInfeasibleError,
    PositionalRuleError,
    SetTooLargeError,
    select_nominees,
)
from tandau.core.nominees.dp import Option, solve
from tandau.core.rules import MEN, WOMEN, Balance, MaxRun, Quota, get_preset, under
from tandau.errors import InputError

DAY = date(2026, 3, 15)
NUR_OTAN = get_preset("nur-otan-2019").rules


def _c(cid: str, sex: str, votes: int, born: int = 1970, name: str | None = None, order: int = 0) -> Candidate:
    return Candidate(cid, name or cid, sex, date(born, 1, 1), votes, order=order)  # type: ignore[arg-type]


def _district(did: str, *cands: Candidate) -> District:
    return District(did, tuple(Candidate(c.id, c.name, c.sex, c.birth_date, c.votes, c.tags, k) for k, c in
                               enumerate(cands)))


def _council(n: int = 10) -> tuple[District, ...]:
    """n districts won by older men; district k has a woman 2nd (older) with 100 - k votes, district 1's
    runner-up woman is young."""
    out = []
    for k in range(1, n + 1):
        out.append(_district(str(k), _c(f"m{k}", "M", 200, name=f"Man {k}"),
                             _c(f"f{k}", "F", 100 - k, 1995 if k == 1 else 1970, name=f"Woman {k}"),
                             _c(f"y{k}", "M", 50, 1996, name=f"Young {k}")))
    return tuple(out)


def test_the_fewest_departures_then_the_best_ranks_then_the_earliest_districts() -> None:
    result = select_nominees(NomineeRequest(_council(10), NUR_OTAN, DAY))
    # 30% of 10 = 3 women, 20% = 2 under 35: the young woman of district 1 counts for both (one departure, not
    # two), then two more women (2nd in their districts) and one young man (3rd). Among the choices of 4 departures
    # and rank sum 5, the smallest ranks in district order put the winners first: the departures go last.
    assert result.ids == ("f1", "m2", "m3", "m4", "m5", "m6", "m7", "f8", "f9", "y10")
    assert result.departures == 4 and result.rank_sum == 1 + 1 + 1 + 2
    assert result.ok and [c.ok for c in result.checks] == [True, True]


def test_the_explanation_names_the_rank_share_winner_and_rule() -> None:
    result = select_nominees(NomineeRequest(_council(10), NUR_OTAN, DAY))
    first = result.nominees[7]
    assert first.reason == ("district 8: Woman 8, 2nd with 27% of the district's votes, nominated instead of the "
                            "winner Man 8 so that the council's nominees hold at least 30% women (nur-otan-2019)")
    assert first.why is not None and first.why.code == "nominee_for_rules"
    assert first.why.params["rank"] == 2 and first.why.params["share"] == "27%"
    assert result.nominees[0].reason is not None and "at least 30% women (nur-otan-2019) and at least 20% people " \
        "under 35 (nur-otan-2019)" in result.nominees[0].reason
    assert result.nominees[4].reason is None and result.nominees[4].why is None
    assert first.why.to_json()["params"]["whys"][0]["params"]["group"] == {"code": "group_women", "params": {},
                                                                           "text": "women"}


def test_equal_votes_rank_by_nomination_order() -> None:
    d = _district("1", _c("a", "M", 10), _c("b", "F", 10))
    result = select_nominees(NomineeRequest((d,), (), DAY))
    assert result.ids == ("a",) and result.nominees[0].primary_rank == 1
    result = select_nominees(NomineeRequest((d,), (Quota(WOMEN, count=1, origin="x"),), DAY))
    assert result.ids == ("b",) and result.ranks == (2,)


def test_pins_and_exclusions() -> None:
    council = _council(10)
    result = select_nominees(NomineeRequest(council, NUR_OTAN, DAY, pins=(("5", "y5"),), exclude=frozenset({"m6"})))
    by = {n.district: n for n in result.nominees}
    assert by["5"].candidate.id == "y5" and by["5"].pinned
    assert by["5"].why is not None and by["5"].why.code == "nominee_pinned"
    assert by["6"].candidate.id == "f6" and by["6"].why is not None and by["6"].why.code == "nominee_winner_excluded"
    assert by["6"].reason == ("district 6: Woman 6, 2nd with 27% of the district's votes, nominated because the winner "
                              "Man 6 is excluded")
    # the pinned young man and the excluded winner's woman count toward the rules: one departure fewer elsewhere
    assert result.ids == ("f1", "m2", "m3", "m4", "y5", "f6", "m7", "m8", "m9", "f10")


def test_a_departure_forced_past_an_excluded_runner_up() -> None:
    d1 = _district("1", _c("m", "M", 30), _c("x", "M", 20), _c("f", "F", 10))
    result = select_nominees(NomineeRequest((d1,), (Quota(WOMEN, count=1, origin="rule"),), DAY,
                                            exclude=frozenset({"m"})))
    assert result.ids == ("f",)
    assert result.nominees[0].reason == ("district 1: f, 3rd with 17% of the district's votes, nominated instead of "
                                         "x (2nd; those above are excluded) so that the council's nominees hold at "
                                         "least 1 women (rule)")


def test_maximum_and_balance_rules() -> None:
    ds = tuple(_district(str(k), _c(f"m{k}", "M", 9), _c(f"f{k}", "F", 5)) for k in range(1, 6))
    at_most = Quota(MEN, bound="max", share=Fraction(3, 5), rounding="floor", origin="cap")
    assert select_nominees(NomineeRequest(ds, (at_most,), DAY)).ids == ("m1", "m2", "m3", "f4", "f5")
    result = select_nominees(NomineeRequest(ds, (Balance(gap=1, origin="bal"),), DAY))
    assert result.ids == ("m1", "m2", "m3", "f4", "f5")
    assert result.nominees[4].reason is not None and result.nominees[4].reason.endswith(
        "hold women and men in numbers differing by at most 1 (bal)")


def test_a_mixed_council_counts_its_list() -> None:
    council = _council(10)
    listed = tuple(_c(f"L{i}", "F", 0, 1995) for i in range(4))
    # 14 candidates: 30% → 5 women, 20% → 3 under 35; the list brings 4 young women, the nominees one woman
    result = select_nominees(NomineeRequest(council, NUR_OTAN, DAY, also_counted=listed))
    assert result.ids == (*(f"m{k}" for k in range(1, 10)), "f10")
    assert result.nominees[9].reason is not None and "the council's candidates (list and nominees) hold at least 30% " \
        "women" in result.nominees[9].reason
    assert [c.detail for c in result.checks] == ["5 of 14 (bound 5)", "4 of 14 (bound 3)"]


def test_warning_only_rules_are_checked_not_enforced() -> None:
    rule = Quota(WOMEN, count=3, enforce=False, origin="advice")
    result = select_nominees(NomineeRequest(_council(4), (rule,), DAY))
    assert result.departures == 0 and result.ok and not result.checks[0].ok


def test_positional_rules_are_refused_by_name() -> None:
    with pytest.raises(PositionalRuleError, match=r"at most 2 consecutive .*\(pt\).* has no order"):
        select_nominees(NomineeRequest(_council(3), (MaxRun(2, origin="pt"),), DAY))
    with pytest.raises(PositionalRuleError, match="es-loreg-2007"):
        select_nominees(NomineeRequest(_council(3), get_preset("es-loreg-2007").rules, DAY))
    prefix = Quota(WOMEN, share=Fraction(1, 3), scope="prefix", origin="p")
    with pytest.raises(InputError, match="every prefix"):
        select_nominees(NomineeRequest(_council(3), (prefix,), DAY))


def test_ages_need_an_election_date() -> None:
    with pytest.raises(InputError, match="election date"):
        select_nominees(NomineeRequest(_council(3), NUR_OTAN, None))
    assert select_nominees(NomineeRequest(_council(6), get_preset("pl-2011").rules, None)).departures == 3


def test_bad_pins_are_input_errors() -> None:
    for pins, exclude, match in [((("9", "m1"),), frozenset(), "no district '9'"),
                                 ((("1", "m2"),), frozenset(), "does not stand in district '1'"),
                                 ((("1", "m1"),), frozenset({"m1"}), "both pinned and excluded"),
                                 ((("1", "m1"), ("1", "f1")), frozenset(), "pinned twice")]:
        with pytest.raises(InputError, match=match):
            select_nominees(NomineeRequest(_council(3), NUR_OTAN, DAY, pins=pins, exclude=exclude))


def test_a_rule_that_cannot_be_met_is_diagnosed_with_the_smallest_relaxation() -> None:
    men_only = [_district(str(k), _c(f"m{k}", "M", 9), _c(f"n{k}", "M", 5)) for k in range(1, 5)]
    ds = (*men_only, _district("5", _c("m5", "M", 9), _c("f5", "F", 1)))
    with pytest.raises(NomineesInfeasibleError) as info:
        select_nominees(NomineeRequest(ds, NUR_OTAN, DAY))
    err = info.value
    assert err.summary.text == "no choice of nominees for the 5 districts meets every rule"
    assert [r.code for r in err.reasons] == ["nominees_rule_alone_min", "nominees_rule_alone_min",
                                             "nominees_relax_min", "nominees_relax_min"]
    assert err.reasons[0].text == ("women ≥ 30% (rounded up) of the list (nur-otan-2019): needs at least 2 women "
                                   "among the 5 nominees; 1 district(s) can nominate one (short by 1)")
    assert err.reasons[2].text.startswith("relaxation: at least 1 women instead of 2")
    assert pickle.loads(pickle.dumps(err)).reasons == err.reasons
    assert "  - relaxation: at least 0 people under 35 instead of 1" in str(err)


def test_conflicting_rules_and_pins_are_diagnosed() -> None:
    ds = tuple(_district(str(k), _c(f"m{k}", "M", 9), _c(f"f{k}", "F", 5, 1995)) for k in range(1, 4))
    with pytest.raises(NomineesInfeasibleError) as info:
        select_nominees(NomineeRequest(ds, (Quota(WOMEN, count=2, origin="a"),), DAY, pins=(("1", "m1"), ("2", "m2"))))
    codes = [r.code for r in info.value.reasons]
    assert codes == ["nominees_rule_alone_min", "nominees_relax_min", "nominees_relax_pin", "nominees_relax_pin"]
    assert info.value.reasons[2].text == "relaxation: without the pin of m1 in district 1 a choice of nominees exists"
    young = (Quota(WOMEN, count=2, origin="a"), Quota(under(35), bound="max", count=1, origin="c"))
    with pytest.raises(NomineesInfeasibleError) as info:
        select_nominees(NomineeRequest(ds, young, DAY))
    codes = [r.code for r in info.value.reasons]
    assert codes == ["nominees_conflict", "nominees_relax_without", "nominees_relax_without", "nominees_relax_max"]
    assert info.value.reasons[0].text.startswith("these rules cannot all be met together: women ≥ 2 of the list (a)")
    # two relaxations of one person each; the earlier rule is kept
    assert info.value.reasons[3].text.startswith("relaxation: at most 2 people under 35 instead of 1")


def test_a_district_with_every_candidate_excluded_is_reported() -> None:
    with pytest.raises(NomineesInfeasibleError, match="district 2: every candidate is excluded"):
        select_nominees(NomineeRequest(_council(3), (), DAY, exclude=frozenset({"m2", "f2", "y2"})))


def test_duplicate_ids_and_districts_are_refused() -> None:
    d = _district("1", _c("a", "M", 1))
    with pytest.raises(InputError, match="ids must be unique"):
        select_nominees(NomineeRequest((d, District("2", d.candidates)), (), DAY))
    with pytest.raises(InputError, match="given twice"):
        select_nominees(NomineeRequest((d, d), (), DAY))


def test_the_programme_refuses_a_set_beyond_its_budget() -> None:
    with pytest.raises(SetTooLargeError, match="select by council or region"):
        solve([[Option(1, 0, (0, 0)), Option(2, 1, (1, 1))]] * 3000, [3000, 3000])


def test_no_districts_is_an_empty_selection() -> None:
    assert select_nominees(NomineeRequest((), (), DAY)).nominees == ()
