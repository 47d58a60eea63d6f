"""Every reason code and rule kind the core can emit renders in Kazakh and Russian, with no English left over;
in English the rendering rebuilds the core's text word for word (tandau.io.reasons, locale/*/reasons.po)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandau.core.lists import ListInfeasibleError
from tandau.core.reasons import CODES, PLURAL_KINDS, Param, Reason, codes_of, reason
from tandau.core.rules import RULE_KINDS, get_preset, preset_ids, rule_reason
from tandau.io import reasons as reasons_module
from tandau.io.reasons import MESSAGES, Explainer
from tandau.web.i18n import catalogue, extract_messages
from tests.unit.lists.reason_corpus import corpus, walk

NAME = "Zyx"  # a name parameter (candidate, tag, preset id): kept as it is in every language
FALLBACK = "ENGLISH FALLBACK"  # the core's text of the synthetic reasons: must never be shown in kk/ru
LATIN = re.compile(r"[A-Za-z]{2,}")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def _leaf(family: str) -> str:
    """A code of ``family`` whose parameters are all plain (numbers, names)."""
    return next(
        c
        for c in codes_of(family)  # type: ignore[arg-type]
        if all(PLURAL_KINDS.get(k, k) in ("int", "name", "percent") for k in CODES[c][1].values())
    )


def _sample(kind: str, number: int) -> Param:
    if kind == "int":
        return number
    if kind == "name":
        return NAME
    if kind == "percent":
        return "30%"
    if kind in PLURAL_KINDS:
        one = _sample(PLURAL_KINDS[kind], number)
        return (one, one)  # type: ignore[return-value]
    return example(_leaf(kind), number)


def example(code: str, number: int = 7) -> Reason:
    """``code`` with every parameter filled in: numbers, names, and nested reasons of the right family."""
    return reason(code, FALLBACK, **{k: _sample(kind, number) for k, kind in CODES[code][1].items()})


def _examples() -> Iterator[tuple[str, int]]:
    for code in CODES:
        # 1, 3, 5 and 21 reach every Russian plural form (1 and 21: one; 3: few; 5: many)
        for number in (1, 3, 5, 21) if "int" in CODES[code][1].values() else (7,):
            yield code, number


def _no_english(text: str) -> None:
    assert FALLBACK not in text, text
    assert not LATIN.search(text.replace(NAME, "")), text


def test_every_code_has_a_message() -> None:
    assert set(MESSAGES) == set(CODES), "a code without a message renders in English: add it to tandau.io.reasons"


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(("code", "number"), list(_examples()))
def test_every_code_renders_without_english(lang: str, code: str, number: int) -> None:
    say = Explainer(lang)
    why = example(code, number)
    text = say(why)
    _no_english(text)
    assert CYRILLIC.search(text), text
    assert say.known(why)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_rule_kind_and_preset_rule_renders_without_english(lang: str) -> None:
    say = Explainer(lang)
    for kind in RULE_KINDS:
        _no_english(say(example(kind)))
    kinds = set()
    for preset in preset_ids():
        for rule in get_preset(preset).rules:
            kinds.add(rule.kind)
            text = say(rule_reason(rule))
            _no_english(text.replace(f"({preset})", ""))
            assert CYRILLIC.search(text)
    assert kinds <= set(RULE_KINDS) and len(kinds) >= 6  # max_count occurs only in RULES.toml files


def test_english_rebuilds_the_core_text_word_for_word() -> None:
    """Over every reason of the corpus (vectors, presets, seeded random requests): the English rendering from code
    and parameters equals the core's text, so the parameters carry everything the sentence says."""
    say = Explainer("en")
    for top in corpus():
        for why in walk(top):
            assert say(why) == why.text, why.code


def _names(why: Reason) -> set[str]:
    """Every name parameter in ``why`` (candidates, tags, preset ids): shown as they are in every language."""
    out: set[str] = set()
    for r in walk(why):
        for key, kind in CODES[r.code][1].items():
            if kind in ("name", "names"):
                value = r.params[key]
                out.update(value if isinstance(value, tuple) else (value,))  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_real_reasons_render_without_english(lang: str) -> None:
    say = Explainer(lang)
    for why in {r.text: r for r in corpus()}.values():
        text = say(why)
        for name in sorted(_names(why), key=len, reverse=True):
            text = text.replace(name, NAME)
        _no_english(text)
        assert CYRILLIC.search(text), text


def test_unknown_codes_and_bad_parameters_fall_back_to_the_english_text() -> None:
    say = Explainer("ru")
    assert say({"code": "moved_sideways", "params": {}, "text": "moved sideways"}) == "moved sideways"
    assert say({"code": "pinned", "params": {}, "text": "pinned to place 3"}) == "pinned to place 3"
    assert not say.known({"code": "pinned", "params": {}, "text": "pinned to place 3"})
    assert not say.known({"code": "moved_sideways", "params": {}, "text": "x"})
    nested = {
        "code": "rule_warning_only",
        "params": {"rule": {"code": "new_kind", "params": {}, "text": "new"}},
        "text": "new (warning only)",
    }
    assert say(nested) == "new (только предупреждение)" and not say.known(nested)
    assert say(None, "stored text") == "stored text" and say(None) == ""
    assert say({"code": "pinned", "params": {"place": 3}, "text": "pinned to place 3"}) == "закреплено место 3"


def test_refusals_render_from_the_error_or_its_stored_form() -> None:
    refusal = next(r for r in corpus() if r.code == "refusal_no_list")
    detail = next(r for r in corpus() if r.code == "diagnosis_rule")
    error = ListInfeasibleError(refusal, [detail])
    say = Explainer("kk")
    summary, details = say.refusal(error)
    assert CYRILLIC.search(summary) and len(details) == 1
    stored = {"summary": refusal.to_json(), "details": [detail.to_json()]}
    assert say.refusal(stored) == (summary, details)
    assert say.refusal(None, "no list of 3 places meets every rule") == ("no list of 3 places meets every rule", [])


def test_the_messages_are_in_the_reasons_catalogue_of_each_language() -> None:
    used = extract_messages([Path(reasons_module.__file__)])
    assert len(used) >= len(CODES)
    for lang in ("kk", "ru", "en"):
        table = catalogue(lang)
        missing = [m for m in used if m not in table]
        assert not missing, (lang, missing[:5])
