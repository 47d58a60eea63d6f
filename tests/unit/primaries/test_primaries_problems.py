"""Every registered import and eligibility problem code renders in Kazakh and Russian with no English left over
(tandau.services.primaries.problems, tandau.web.problems, locale/*/problems.po); unknown codes fall back to the
English text marked lang="en"; the registry refuses what it does not know; InputError keeps its old shape."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import tandau.services.primaries as primaries_package
from tandau.errors import InputError
from tandau.services.primaries.problems import CODES, Param, Problem, codes_of, located, problem
from tandau.web import problems as web_problems
from tandau.web.i18n import LOCALE_DIR, catalogue, extract_messages
from tandau.web.problems import MESSAGES, ProblemText

NAME = "Zyx"  # a text parameter (an id, a value from the file): kept as it is in every language
FALLBACK = "ENGLISH FALLBACK"
LATIN = re.compile(r"[A-Za-z]{2,}")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
# words a translation keeps: format names, and the file's column names and values it asks for
KEPT = ("nominated_by", "organisation", "self", "CSV", "UTF", "XLSX", "ZIP", "Windows", "csv", "xlsx", "NUL", "U+0000")
STATUSES = {"contest_not_draft": ("draft", "open", "closed", "published"),
            "membership_inactive": ("suspended", "expelled", NAME)}


def _params(code: str, number: int, status: str) -> dict[str, Param]:
    out: dict[str, Param] = {}
    for key, kind in CODES[code][1].items():
        out[key] = {"int": number, "text": NAME, "texts": (NAME, NAME), "date": "2026-03-15", "status": status}[kind]
    return out


def _examples() -> Iterator[tuple[str, dict[str, Param]]]:
    for code, (_family, kinds) in CODES.items():
        # 1, 3, 5 and 21 reach every Russian plural form (1 and 21: one; 3: few; 5: many)
        numbers = (1, 3, 5, 21) if "int" in kinds.values() else (7,)
        for number in numbers:
            for status in STATUSES.get(code, ("",)):
                yield code, _params(code, number, status)
    yield "unsupported_type", {"suffix": ""}  # a file without a type
    yield "missing_columns", {"missing": (NAME,), "required": (NAME, NAME)}  # one missing column


def _no_english(text: str) -> None:
    rest = text.replace(NAME, "")
    for word in KEPT:
        rest = rest.replace(word, "")
    assert FALLBACK not in text, text
    assert not LATIN.search(rest), text
    assert CYRILLIC.search(text), text


def test_every_code_has_a_message() -> None:
    assert set(MESSAGES) == set(CODES), "a code without a message is shown in English: add it to tandau.web.problems"


def test_every_code_is_raised_by_a_service() -> None:
    """No registered code is left over from a problem the services no longer report."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(primaries_package.__file__).parent.glob("*.py")
                       if p.name != "problems.py")
    unused = [code for code in CODES if f'"{code}"' not in source]
    assert not unused


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(("code", "params"), list(_examples()))
def test_every_code_renders_without_english(lang: str, code: str, params: dict[str, Param]) -> None:
    say = ProblemText(lang)
    shown = say.render(code, params)
    assert shown is not None
    _no_english(shown)
    assert say.say(Problem(code, FALLBACK, params)) == (shown, lang)
    assert say(located(Problem(code, FALLBACK, params), row=2)) == shown.replace("'", "&#39;").replace('"', "&#34;")


def test_json_parameters_render_like_the_problem() -> None:
    p = problem("missing_columns", FALLBACK, missing=("sex", "territory"), required=("id", "sex", "territory"))
    say = ProblemText("ru")
    assert say.say(p.to_json()) == say.say(p) == (
        "нет столбцов sex, territory; в строке заголовка должны быть столбцы id, sex, territory", "ru")
    age = problem("age_under", FALLBACK, age=22, date="2026-03-15", minimum=25)
    shown = re.sub(r"\s", " ", say.say(age)[0])  # CLDR puts a no-break space before "г."
    assert shown == "возраст в день выборов (15 марта 2026 г.) — 22, а нужно не меньше 25"
    assert "ашық" in ProblemText("kk").say(problem("contest_not_draft", FALLBACK, contest="c", status="open"))[0]


def test_unknown_codes_and_bad_parameters_fall_back_to_english_marked_as_such() -> None:
    say = ProblemText("kk")
    assert str(say({"code": "new_rule", "params": {}, "problem": "a <new> rule"})) == (
        '<span lang="en">a &lt;new&gt; rule</span>')
    assert say.say({"code": "sex_invalid", "params": {}, "problem": "sex must be F or M"}) == (
        "sex must be F or M", "en")
    assert say.say({"code": "id_too_long", "params": {"limit": "many"}, "message": "too long"}) == ("too long", "en")
    assert say.say(InputError("choose a file", parameter="file")) == ("choose a file", "en")
    assert say.say("no member 'x' on the roll") == ("no member 'x' on the roll", "en")
    english = ProblemText("en")
    assert str(english(InputError("a <b>", code="name_empty"))) == "a &lt;b&gt;"  # English pages: the service's text
    shown = str(say(problem("sex_invalid", "x", value="<b>")))
    assert shown == "жынысы F немесе M болуы керек, көрсетілгені: «&lt;b&gt;»"


def test_the_registry_refuses_what_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        problem("no_such_code", "text")
    with pytest.raises(ValueError, match="takes"):
        problem("sex_invalid", "text")
    with pytest.raises(ValueError, match="is not a int"):
        problem("id_too_long", "text", limit="64")
    with pytest.raises(ValueError, match="is not a date"):
        problem("age_under", "text", age=1, date="15.03.2026", minimum=2)
    assert set(codes_of("eligibility")) == {"age_unknown", "age_under", "residence", "membership_inactive"}
    assert sum(len(codes_of(f)) for f in ("file", "upload", "roll", "nomination", "eligibility")) == len(CODES)


def test_a_problem_is_its_english_text() -> None:
    p = problem("residence", "lives in 191010000, outside the council's territory 750000000",
                territory="191010000", council_territory="750000000")
    assert p == "lives in 191010000, outside the council's territory 750000000" and p.family == "eligibility"
    assert "; ".join([p, p]).count("lives in") == 2 and type(str(p)) is str
    assert p.to_json() == {"code": "residence", "params": {"territory": "191010000", "council_territory": "750000000"},
                           "text": str(p)}
    import pickle

    again = pickle.loads(pickle.dumps(p))
    assert (again, again.code, dict(again.params)) == (p, p.code, dict(p.params))


def test_input_error_is_backwards_compatible() -> None:
    plain = InputError("sex must be F or M, got 'X'", file="c.csv", row=3, column="sex")
    assert (plain.code, dict(plain.params)) == (None, {})
    coded = located(problem("sex_invalid", "sex must be F or M, got 'X'", value="X"), file="c.csv", row=3,
                    column="sex")
    assert str(coded) == str(plain) and coded.problem == plain.problem
    assert (coded.code, dict(coded.params)) == ("sex_invalid", {"value": "X"})


def test_the_messages_are_in_the_problems_catalogue_of_each_language() -> None:
    used = extract_messages([Path(web_problems.__file__)])
    assert len(used) >= len(CODES)
    for lang in ("kk", "ru", "en"):
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "problems.po").open("rb") as fh:
            ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh, locale=lang) if m.id}
        assert set(used) <= ids, (lang, sorted(set(used) - ids)[:5])
        if lang != "en":
            assert set(used) <= set(catalogue(lang)), lang  # translated, not left empty
