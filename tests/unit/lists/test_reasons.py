"""Structured reasons in the core: a registry of codes, reasons that fit it, and rules with stable ids and specs."""

from __future__ import annotations

import pickle
from collections import Counter
from fractions import Fraction

import pytest

from tandau.core.lists import ListInfeasibleError
from tandau.core.reasons import CODES, PLURAL_KINDS, Reason, codes_of, reason
from tandau.core.rules import (
    RULE_KINDS,
    WOMEN,
    Alternation,
    Quota,
    get_preset,
    preset_ids,
    rule_id,
    rule_label,
    rule_reason,
    rule_spec,
)
from tests.unit.lists.reason_corpus import corpus, walk


def test_the_registry_is_consistent() -> None:
    families = {family for family, _ in CODES.values()}
    for code, (_family, kinds) in CODES.items():
        assert code == code.lower() and " " not in code
        for kind in kinds.values():
            base = PLURAL_KINDS.get(kind, kind)
            assert base in ("int", "name", "percent") or base in families, (code, kind)
    assert set(RULE_KINDS) <= set(codes_of("rule")), "every rule kind is the code of its description"


def test_a_reason_must_fit_the_registry() -> None:
    assert reason("at_least", "at least 2", count=2).params == {"count": 2}
    with pytest.raises(ValueError, match="unregistered"):
        reason("moved_sideways", "moved sideways")
    with pytest.raises(ValueError, match="takes"):
        reason("at_least", "at least 2")
    with pytest.raises(ValueError, match="is not a"):
        reason("at_least", "at least 2", count="2")
    with pytest.raises(ValueError, match="is not a group"):
        reason("group_not", "not (x)", group=reason("at_most", "at most 1", count=1))


def test_to_json_nests_reasons_and_lists() -> None:
    women = WOMEN.reason()
    both = reason("group_any", "women or women (each person counted once)", groups=(women, women))
    assert both.to_json() == {
        "code": "group_any",
        "text": both.text,
        "params": {"groups": [{"code": "group_women", "params": {}, "text": "women"}] * 2},
    }


def test_the_engine_gives_only_registered_well_formed_reasons() -> None:
    """The statute vectors and seeded random requests: every reason fits the registry (checked on construction)
    and most codes occur; the English text of each nests the texts of its parameters."""
    seen = Counter(r.code for top in corpus() for r in walk(top))
    assert len(seen) >= 60, sorted(set(CODES) - set(seen))
    for top in corpus():
        for r in walk(top):
            for value in r.params.values():
                for item in value if isinstance(value, tuple) else (value,):
                    if isinstance(item, Reason):
                        assert item.text in r.text, (r.code, item.code)


def test_a_refusal_carries_its_diagnosis_as_reasons() -> None:
    refusals = [r for r in corpus() if r.family == "diagnosis" and r.code.startswith("refusal_")]
    assert refusals
    error = ListInfeasibleError(refusals[0], [reason("diagnosis_pins", "the pinned places ...")])
    assert str(error).startswith(refusals[0].text) and error.details == ("the pinned places ...",)
    again = pickle.loads(pickle.dumps(error))
    assert again.summary == error.summary and again.reasons == error.reasons and str(again) == str(error)


@pytest.mark.parametrize("preset", preset_ids())
def test_every_preset_rule_has_a_kind_an_id_a_spec_and_a_structured_description(preset: str) -> None:
    rules = get_preset(preset).rules
    ids = [rule_id(r) for r in rules]
    assert len(set(ids)) == len(ids) and all(i.startswith(f"{preset}/") for i in ids)
    for rule in rules:
        assert rule.kind in RULE_KINDS
        spec = rule_spec(rule)
        assert spec["id"] == rule_id(rule) and spec["kind"] == rule.kind and spec["origin"] == preset
        described = rule.reason()
        assert described.text == rule.describe() and described.family == "rule"
        assert rule_reason(rule).text == rule_label(rule) and rule_reason(rule).code == "rule_origin"
        kinds = {r.code for r in walk(described)}
        assert rule.kind in kinds or (rule.kind == "alternation" and kinds & set(codes_of("rule")))
    assert get_preset(preset).spec()["rules"] == [rule_spec(r) for r in rules]


def test_rule_ids_and_specs_spell_out_the_parameters() -> None:
    rule = get_preset("nur-otan-2019").rules[0]
    assert rule_id(rule) == "nur-otan-2019/min_share:women:30%:list"
    assert rule_spec(rule) == {
        "id": "nur-otan-2019/min_share:women:30%:list",
        "kind": "min_share",
        "group": "women",
        "count": None,
        "share": "30%",
        "rounding": "ceil",
        "scope": "list",
        "size": None,
        "start": 1,
        "partial": "prorata",
        "min_length": 0,
        "enforce": True,
        "origin": "nur-otan-2019",
    }
    window = Quota(WOMEN, count=2, scope="window", size=5)
    assert rule_id(window) == "min_count:women:2:window-5" and window.kind == "min_count"
    assert rule_id(Alternation(start="F", origin="x")) == "x/alternation:F"
    capped = Quota(WOMEN, bound="max", share=Fraction(7, 10), rounding="floor", min_length=3, enforce=False)
    described = capped.reason()
    assert described.code == "rule_warning_only" and [r.code for r in walk(described)][:3] == [
        "rule_warning_only",
        "rule_min_length",
        "max_share",
    ]
    assert described.text == "women ≤ 70% (rounded down) of the list (lists of 3 or more) (warning only)"
