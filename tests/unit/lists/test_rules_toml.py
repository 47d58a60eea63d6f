"""TOML rule files (docs/rules.md): the examples in docs/examples/, ``load_rules`` and bad input."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from tandau.core.candidates import Candidate
from tandau.core.lists import ListRequest, form_list
from tandau.core.rules import MEN, WOMEN, Alternation, Balance, Group, MaxRun, Quota, get_preset
from tandau.errors import InputError, UnknownIdError
from tandau.io.candidates_csv import read_candidates
from tandau.io.rules_toml import load_rules, parse_rules_toml

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
ELECTION = date(2025, 3, 19)
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.toml"))


def _example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def _pool() -> list[Candidate]:
    return read_candidates(EXAMPLES / "CANDIDATES.csv")


def test_the_examples_exist() -> None:
    assert {p.name for p in EXAMPLE_FILES} >= {"party-union.toml", "prefix.toml", "blocks.toml", "warning-only.toml"}


def test_party_rule_with_a_union_group() -> None:
    rs = parse_rules_toml(_example("party-union.toml"), "party-union.toml")
    assert (rs.id, rs.source) == ("party-union", "Example party statute, art. 12 (illustrative)")
    assert rs.notes == ("Ages are counted on election day: pass --election-date.",)
    renewal, women, run = rs.rules
    assert isinstance(renewal, Quota) and isinstance(women, Quota)
    young, disabled = Group("young", age_under=35), Group("disabled", tag="disability")
    assert renewal.group == Group("renewal", any_of=(WOMEN, young, disabled))
    assert (renewal.bound, renewal.share, renewal.count, renewal.scope) == ("min", Fraction(2, 5), None, "list")
    assert (women.group, women.share, women.rounding) == (WOMEN, Fraction(3, 10), "ceil")
    assert run == MaxRun(3, origin="party-union")
    assert all(r.origin == "party-union" for r in rs.rules)
    assert rs.needs_age


def test_prefix_rule() -> None:
    (rule,) = parse_rules_toml(_example("prefix.toml"), "prefix.toml").rules
    assert isinstance(rule, Quota)
    assert (rule.scope, rule.start, rule.share, rule.rounding) == ("prefix", 3, Fraction(1, 3), "floor")
    assert [rule.required(k) for k in (3, 5, 6, 9)] == [1, 1, 2, 3]


def test_block_window_and_first_rules() -> None:
    women_block, men_block, window, first = parse_rules_toml(_example("blocks.toml"), "blocks.toml").rules
    assert isinstance(women_block, Quota) and isinstance(men_block, Quota)
    assert (women_block.group, women_block.count, women_block.scope, women_block.size) == (WOMEN, 2, "block", 5)
    assert men_block.group == MEN and men_block.partial == "balanced"
    assert [men_block.required_partial(p) for p in (1, 2, 3, 4, 5)] == [0, 1, 1, 2, 2]
    assert isinstance(window, Quota) and (window.scope, window.size, window.count) == ("window", 3, 1)
    assert isinstance(first, Quota) and (first.scope, first.size, first.count) == ("first", 2, 1)


def test_warning_only_rules() -> None:
    rs = parse_rules_toml(_example("warning-only.toml"), "warning-only.toml")
    assert [r.enforce for r in rs.rules] == [False, False, False]
    women = rs.rules[0]
    assert isinstance(women, Quota) and women.share == Fraction(2, 5) and women.note == "state funding halved otherwise"
    young = rs.rules[2]
    assert isinstance(young, Quota) and young.group == Group("aged 35 or under", age_under=36)
    assert all(r.describe().endswith("(warning only)") for r in rs.rules)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_load_rules_round_trip(path: Path) -> None:
    assert load_rules(str(path)) == parse_rules_toml(path.read_text(encoding="utf-8"), str(path))


def test_load_rules_combines_presets_and_files() -> None:
    path = EXAMPLES / "party-union.toml"
    combined = load_rules(f"kz-law-2022, {path}")
    preset = get_preset("kz-law-2022")
    own = parse_rules_toml(path.read_text(encoding="utf-8"), str(path))
    assert combined.id == "kz-law-2022+party-union"
    assert combined.rules == preset.rules + own.rules
    assert [r.origin for r in combined.rules] == ["kz-law-2022", "party-union", "party-union", "party-union"]


def test_load_rules_errors() -> None:
    with pytest.raises(InputError, match="no such rules file"):
        load_rules("missing-rules.toml")
    with pytest.raises(UnknownIdError, match="kz-law-2022"):
        load_rules("kz-law-2099")
    with pytest.raises(InputError, match="no rules given"):
        load_rules(" , ")


# Lists formed from docs/examples/CANDIDATES.csv under each example, worked out by hand in docs/rules.md.
@pytest.mark.parametrize(
    ("name", "length", "expected"),
    [
        ("party-union.toml", 8, ["p01", "p02", "p03", "p04", "p05", "p07", "p08", "p10"]),
        ("prefix.toml", 8, ["p01", "p02", "p04", "p03", "p05", "p08", "p06", "p07"]),
        ("blocks.toml", 8, ["p01", "p04", "p02", "p03", "p08", "p05", "p06", "p10"]),
        ("warning-only.toml", 4, ["p01", "p02", "p03", "p04"]),
    ],
)
def test_examples_form_the_documented_lists(name: str, length: int, expected: list[str]) -> None:
    rules = load_rules(str(EXAMPLES / name)).rules
    result = form_list(ListRequest(tuple(_pool()), rules, length, ELECTION))
    assert list(result.ids) == expected
    assert result.ok
    if name == "warning-only.toml":
        assert len(result.warnings) == 2


GOOD_RULE = '[[rule]]\ngroup = "women"\nmin = "30%"\n'


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (GOOD_RULE + '[[rule]]\ngroup = "youth"\nmin = 1\n', "rule[2].group", "unknown group 'youth'"),
        (GOOD_RULE + '[[rule]]\ngroup = "women"\nmin = 1\nmax = 3\n', "rule[2]", "exactly one of min or max"),
        ('[[rule]]\ngroup = "women"\nmin = "150%"\n', "rule[1].min", "between 0 and 100%"),
        ('[[rule]]\ngroup = "women"\nmax = 1.5\n', "rule[1].max", "between 0 and 100%"),
        ('[[rule]]\ngroup = "women"\nmin = 2\nscope = "block"\n', "rule[1].size", "whole number ≥ 1"),
        ('[[rule]]\ngroup = "women"\nmin = 2\nscope = "window"\nsize = 0\n', "rule[1].size", "whole number ≥ 1"),
        (GOOD_RULE + '[[rule]]\nkind = "zipper"\n', "rule[2].kind", "kind must be"),
        ('[[rule]]\ngroup = "women"\nmin = -1\n', "rule[1].min", "cannot be negative"),
        ('[[rule]]\ngroup = "women"\nmin = "a third"\n', "rule[1].min", "expected a count"),
        ('[[rule]]\ngroup = "women"\nmin = 1\nrounding = "up"\n', "rule[1].rounding", "ceil, floor, nearest"),
        ('[[rule]]\ngroup = "women"\nmin = 1\nscope = "everywhere"\n', "rule[1].scope", "expected one of"),
        ('[[rule]]\ngroup = "women"\nmin = 1\nscope = "block"\nsize = 5\npartial = "half"\n', "rule[1].partial",
         "prorata"),
        ('[[rule]]\ngroup = "women"\nmin = 1\nsise = 5\n', "rule[1]", "unknown key(s) sise"),
        ('[[rule]]\nkind = "alternation"\nstart = "W"\n', "rule[1].start", "start must be"),
        ('[[rule]]\nkind = "max-run"\n', "rule[1].length", "whole number ≥ 1"),
        ('[[rule]]\nkind = "balance"\ngap = -1\n', "rule[1].gap", "gap must be"),
        ('[groups]\nold = { age_under = "forty" }\n' + GOOD_RULE, "groups.old.age_under", "whole number of years"),
        ('[groups]\nx = { sex = "W" }\n' + GOOD_RULE, "groups.x.sex", "sex must be"),
        ('[groups]\nx = { colour = "red" }\n' + GOOD_RULE, "groups.x", "needs one of sex, age_under, tag, any, all"),
        ('[groups]\nx = { any = [] }\n' + GOOD_RULE, "groups.x.any", "non-empty list"),
        ('[groups]\nx = { any = ["women", "nobody"] }\n' + GOOD_RULE, "groups.x.any[1]", "unknown group 'nobody'"),
        ('id = "x"\n', "rule", "no [[rule]] tables"),
    ],
)
def test_bad_input_names_the_file_and_the_key(text: str, key: str, problem: str) -> None:
    with pytest.raises(InputError) as err:
        parse_rules_toml(text, "bad-rules.toml")
    message = str(err.value)
    assert message.startswith("bad-rules.toml, parameter " + key + ":"), message
    assert problem in message
    assert err.value.file == "bad-rules.toml" and err.value.parameter == key


def test_invalid_toml_names_the_file() -> None:
    with pytest.raises(InputError) as err:
        parse_rules_toml('[[rule]\ngroup = "women"\n', "broken.toml")
    assert str(err.value).startswith("broken.toml: not valid TOML")


def test_the_other_rule_kinds_and_shares() -> None:
    text = (
        '[[rule]]\nkind = "alternation"\nstart = "F"\n'
        '[[rule]]\nkind = "balance"\n'
        '[[rule]]\ngroup = "women"\nmin = 0.3\n'
        '[[rule]]\ngroup = "women"\nmax = "7/10"\nrounding = "nearest"\n'
        '[[rule]]\ngroup = { tag = "Minority" }\nmin = 2\n'
        '[[rule]]\ngroup = { age_under = 30, negate = true }\nmax = "50%"\n'
    )
    alt, bal, share, cap, minority, older = parse_rules_toml(text, "kinds.toml").rules
    assert alt == Alternation("F", origin="kinds") and bal == Balance(1, origin="kinds")
    assert isinstance(share, Quota) and share.share == Fraction(3, 10)
    assert isinstance(cap, Quota) and (cap.bound, cap.share, cap.rounding) == ("max", Fraction(7, 10), "nearest")
    assert isinstance(minority, Quota) and minority.group.tag == "minority" and minority.count == 2
    assert isinstance(older, Quota) and older.group.negate and older.group.age_under == 30
    assert older.group.describe() == "not (people under 30)"
