"""Problems of the roll and nomination imports and of the eligibility rules, with stable codes.

Every problem the import services (:mod:`~tandau.services.primaries._tabular`,
:mod:`~tandau.services.primaries.roll`, :mod:`~tandau.services.primaries.nominations`,
:mod:`~tandau.services.primaries.imports`) or the eligibility rules report is a :class:`Problem`: the English
text that the command line prints and the tests pin, and beside it a registered ``code`` with its ``params``,
so that the web pages can say it in the page's language (:mod:`tandau.web.problems`) and the API can give
both. :data:`CODES` registers every code with its family and the kind of each parameter; a test walks it.

A :class:`Problem` *is* its English text (a ``str``), so a list of eligibility reasons reads, joins and
compares as plain strings did; :func:`located` turns one into the :class:`~tandau.errors.InputError` of a
file, row and column, carrying the code and parameters.

Parameter kinds: ``int`` (a whole number), ``text`` (kept as it is: an id, a value from the file, a KATO
code), ``texts`` (a tuple of them), ``date`` (an ISO date, shown in the reader's format) and ``status`` (a
contest's or a membership's status word, translated where it is shown).

>>> p = problem("sex_invalid", "sex must be F or M, got 'X'", value="X")
>>> p == "sex must be F or M, got 'X'", p.code, dict(p.params)
(True, 'sex_invalid', {'value': 'X'})
>>> e = located(p, file="roll.csv", row=3, column="sex")
>>> str(e), e.code
("roll.csv, row 3, column 'sex': sex must be F or M, got 'X'", 'sex_invalid')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

from tandau.errors import InputError

Family = Literal["file", "upload", "roll", "nomination", "eligibility"]
Kind = Literal["int", "text", "texts", "date", "status"]
Param: TypeAlias = "int | str | tuple[str, ...]"

_LIMIT: dict[str, Kind] = {"limit": "int"}

#: code -> (family, {parameter: kind}); the English wording is written where the problem is raised.
CODES: dict[str, tuple[Family, dict[str, Kind]]] = {
    # reading the file (tandau.services.primaries._tabular)
    "missing_columns": ("file", {"missing": "texts", "required": "texts"}),
    "not_utf8": ("file", {}),
    "bad_csv": ("file", {"detail": "text"}),
    "xlsx_not_zip": ("file", {}),
    "xlsx_too_large": ("file", {"mib": "int"}),
    "bad_xlsx": ("file", {"detail": "text"}),
    "unsupported_type": ("file", {"suffix": "text"}),
    "empty_file": ("file", {}),
    "nul_character": ("file", {}),
    "file_not_found": ("file", {}),
    # an upload as a whole (tandau.services.primaries.imports)
    "file_too_large": ("upload", {"mib": "int", "limit": "int"}),
    "no_file": ("upload", {}),
    "more_problems": ("upload", {"count": "int"}),
    # rows of the member roll (tandau.services.primaries.roll)
    "id_empty": ("roll", {}),
    "id_too_long": ("roll", _LIMIT),
    "id_repeated": ("roll", {"id": "text", "row": "int"}),
    "member_outside": ("roll", {"id": "text", "territory": "text"}),
    "roll_frozen": ("roll", {"id": "text", "contest": "text", "status": "status"}),
    "name_empty": ("roll", {}),
    "name_too_long": ("roll", _LIMIT),
    "sex_invalid": ("roll", {"value": "text"}),
    "birth_date_future": ("roll", {"date": "text"}),
    "birth_date_invalid": ("roll", {"value": "text"}),
    "territory_invalid": ("roll", {"value": "text"}),
    "territory_outside": ("roll", {"territory": "text"}),
    "contact_too_long": ("roll", _LIMIT),
    "no_member_rows": ("roll", {}),
    # nominations (tandau.services.primaries.nominations)
    "contest_unknown": ("nomination", {"contest": "text"}),
    "contest_outside": ("nomination", {"contest": "text"}),
    "contest_not_draft": ("nomination", {"contest": "text", "status": "status"}),
    "nominator_invalid": ("nomination", {"value": "text"}),
    "organisation_missing": ("nomination", {}),
    "member_unknown": ("nomination", {"member": "text"}),
    "already_nominated": ("nomination", {"member": "text", "contest": "text"}),
    "contest_mismatch": ("nomination", {"named": "text", "contest": "text"}),
    "nomination_repeated": ("nomination", {"row": "int"}),
    "organisation_too_long": ("nomination", _LIMIT),
    "tags_too_long": ("nomination", _LIMIT),
    "no_nomination_rows": ("nomination", {}),
    # who may stand (tandau.services.primaries.nominations.eligibility_problems)
    "age_unknown": ("eligibility", {}),
    "age_under": ("eligibility", {"age": "int", "date": "date", "minimum": "int"}),
    "residence": ("eligibility", {"territory": "text", "council_territory": "text"}),
    "membership_inactive": ("eligibility", {"status": "status"}),
}


def _fits(value: object, kind: Kind) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "texts":
        return isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    if kind == "date":
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return False
        return isinstance(value, str)
    return isinstance(value, str)


class Problem(str):
    """One problem: its English text (the string itself) with its registered ``code`` and ``params``."""

    code: str
    params: Mapping[str, Param]

    def __new__(cls, code: str, text: str, params: Mapping[str, Param] | None = None) -> Problem:
        given = dict(params or {})
        if code not in CODES:
            raise ValueError(f"unregistered problem code {code!r}")
        kinds = CODES[code][1]
        if sorted(given) != sorted(kinds):
            raise ValueError(f"problem {code!r} takes {sorted(kinds)}, got {sorted(given)}")
        for name, value in given.items():
            if not _fits(value, kinds[name]):
                raise ValueError(f"problem {code!r}: {name}={value!r} is not a {kinds[name]}")
        self = super().__new__(cls, text)
        self.code = code
        self.params = MappingProxyType(given)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Problem, (self.code, str(self), dict(self.params)))

    @property
    def family(self) -> Family:
        return CODES[self.code][0]

    @property
    def text(self) -> str:
        return str(self)

    def to_json(self) -> dict[str, Any]:
        """``{"code", "params", "text"}``; tuples become lists."""
        return {"code": self.code, "params": params_json(self.params), "text": str(self)}


def params_json(params: Mapping[str, object]) -> dict[str, Any]:
    """Parameters as JSON values (a tuple becomes a list)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}


def problem(code: str, text: str, **params: Param) -> Problem:
    """A :class:`Problem`; the parameters must be exactly the ones :data:`CODES` registers for ``code``."""
    return Problem(code, text, params)


def located(
    p: Problem, *, file: str | None = None, row: int | None = None, column: str | None = None
) -> InputError:
    """The :class:`~tandau.errors.InputError` of ``p`` at ``file``, ``row``, ``column``, with its code."""
    return InputError(p, file=file, row=row, column=column, code=p.code, params=p.params)


def codes_of(family: Family) -> tuple[str, ...]:
    """Every registered code of ``family``, in registration order."""
    return tuple(code for code, (fam, _) in CODES.items() if fam == family)
