"""Invariants of the rule-preset registry, parametrised over every preset so a new one is tested on arrival."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tandau.core.candidates import Candidate
from tandau.core.lists import ListRequest, form_list
from tandau.core.rules import RuleSet, check_list, complies, get_preset, preset_ids, rule_label
from tandau.errors import UnknownIdError

# The ids the issue (quota-rules.md §A) and the CLI promise; they must never disappear or be renamed.
PROMISED = (
    "kz-law-2020", "kz-law-2022", "nur-otan-2019", "es-loreg-2007", "es-2024", "pl-2011", "be-2002", "fr-parity",
    "pt-2019", "ar-27412", "mx-parity", "kg-2021", "uz-2023", "uz-2023-window", "bo-026", "cr-parity", "xk-2008",
    "cl-2021", "tn-2014", "ie-2012",
)
WARNING_ONLY = ("ie-2012",)
ELECTION = date(2025, 3, 19)


def test_ids_are_unique_and_stable() -> None:
    ids = preset_ids()
    assert len(ids) == len(set(ids))
    assert set(PROMISED) <= set(ids)
    assert ids == preset_ids()


@pytest.mark.parametrize("preset_id", preset_ids())
def test_preset_is_complete(preset_id: str) -> None:
    rs = get_preset(preset_id)
    assert isinstance(rs, RuleSet)
    assert rs.id == preset_id
    assert rs.name.strip() and rs.source.strip()
    assert rs.rules
    for rule in rs.rules:
        assert rule.describe().strip()
        assert rule.origin == preset_id
        assert rule_label(rule).endswith(f"({preset_id})")
    assert get_preset(preset_id) == rs, "building a preset twice gives the same rule set"


@pytest.mark.parametrize("preset_id", preset_ids())
def test_preset_ids_are_kebab_case(preset_id: str) -> None:
    assert preset_id == preset_id.strip().lower() and " " not in preset_id and "_" not in preset_id


def test_unknown_id_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownIdError) as err:
        get_preset("kz-law-2099")
    assert err.value.given == "kz-law-2099"
    assert err.value.valid == preset_ids()
    assert "kz-law-2022" in str(err.value) and "ie-2012" in str(err.value)


def _men(n: int) -> tuple[Candidate, ...]:
    return tuple(Candidate(f"m{i}", f"Man {i}", "M", date(1970, 1, 1), 100 - i, order=i) for i in range(n))


@pytest.mark.parametrize("preset_id", WARNING_ONLY)
def test_warning_only_presets_never_refuse(preset_id: str) -> None:
    rs = get_preset(preset_id)
    assert not any(r.enforce for r in rs.rules)
    result = form_list(ListRequest(_men(6), rs.rules, 5, ELECTION))
    assert result.ids == ("m0", "m1", "m2", "m3", "m4")
    assert result.ok
    assert any("women" in w and "warning only" in w for w in result.warnings)
    checks = check_list(_men(5), rs.rules, ELECTION)
    assert complies(checks) and not all(c.ok for c in checks)


WITH_WARNINGS = [p for p in preset_ids() if any(not r.enforce for r in get_preset(p).rules)]


def test_some_presets_have_warning_rules() -> None:
    assert {"ie-2012", "tn-2014", "cl-2021"} <= set(WITH_WARNINGS)


@pytest.mark.parametrize("preset_id", WITH_WARNINGS)
def test_warning_rules_never_change_a_list(preset_id: str) -> None:
    """Dropping a preset's warning-only rules leaves the formed list unchanged (they are reported, not enforced)."""
    rs = get_preset(preset_id)
    enforced = tuple(r for r in rs.rules if r.enforce)
    pool = tuple(
        Candidate(f"c{i}", f"C {i}", "F" if i % 3 == 2 or i % 4 == 0 else "M", date(1960 + 3 * i, 6, 1), 100 - i,
                  frozenset({"disability"}) if i == 7 else frozenset(), order=i)
        for i in range(12)
    )
    with_warnings = form_list(ListRequest(pool, rs.rules, 6, ELECTION))
    without = form_list(ListRequest(pool, enforced, 6, ELECTION))
    assert with_warnings.ids == without.ids


@pytest.mark.parametrize("preset_id", preset_ids())
def test_preset_is_documented(preset_id: str) -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert f"| `{preset_id}` |" in docs, f"docs/rules.md has no row for {preset_id}"
