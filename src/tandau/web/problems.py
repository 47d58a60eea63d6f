"""Import and eligibility problems in the page's language: the problems table of /admin/imports and the
refusal page of a nomination that the eligibility rules exclude.

The services report each problem in English and, beside the text, give a stable code and its parameters
(:mod:`tandau.services.primaries.problems`). Here each code has a gettext message with named ``%(...)s``
placeholders; the English message rebuilds the service's text word for word (a test checks it on real
problems), and an English page shows the service's own text. A problem without a code, with a code this
module does not know, or with parameters that do not fit is shown in English, marked ``lang="en"``.
Translations live in ``locale/<lang>/LC_MESSAGES/problems.po``.

Templates get a :class:`ProblemText` as ``say_problem``: ``{{ say_problem(p) }}`` for an
:class:`~tandau.errors.InputError`, a :class:`~tandau.services.primaries.problems.Problem`, a plain string or
an API detail (``{"code", "params", "problem"}``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from fastapi import Request
from markupsafe import Markup
from starlette.responses import Response

from tandau.errors import InputError
from tandau.services.primaries.errors import NotEligibleError
from tandau.services.primaries.problems import CODES
from tandau.web.i18n import (
    N_,
    Speaker,
    fmt_date,
    language,
    message,
    plural_message,
)

Values = dict[str, str]
Render = Callable[["ProblemText", Values, Mapping[str, Any]], str]


_simple, _plural = message, plural_message


def _missing_columns(say: ProblemText, values: Values, raw: Mapping[str, Any]) -> str:
    msgid = N_("missing column(s) %(missing)s; the header must name %(required)s")
    return say.ngettext(msgid, msgid, len(raw["missing"]), **values)


def _unsupported_type(say: ProblemText, values: Values, raw: Mapping[str, Any]) -> str:
    if not raw["suffix"]:
        return say.gettext(N_("unsupported file type '(none)'; use .csv or .xlsx"))
    return say.gettext(N_("unsupported file type '%(suffix)s'; use .csv or .xlsx"), **values)


MEMBERSHIP: dict[str, str] = {  # the statuses of the roll (tandau.store.models.Member.status)
    "suspended": N_("membership is suspended, not active"),
    "expelled": N_("membership is expelled, not active"),
}


def _membership(say: ProblemText, values: Values, raw: Mapping[str, Any]) -> str:
    known = MEMBERSHIP.get(str(raw["status"]))
    return say.gettext(known) if known else say.gettext(N_("membership is %(status)s, not active"), **values)


#: code -> how to say it; the English message of each is the service's wording with the parameters as placeholders.
MESSAGES: dict[str, Render] = {
    "missing_columns": _missing_columns,
    "not_utf8": _simple(
        N_("the file is not UTF-8 text; save it as 'CSV UTF-8' (a Windows-1251 CSV is not accepted)")
    ),
    "bad_csv": _simple(N_("not a readable CSV file (%(detail)s)")),
    "xlsx_not_zip": _simple(N_("not a readable XLSX workbook (not a zip archive)")),
    "xlsx_too_large": _simple(N_("the workbook unpacks to more than %(mib)s MiB")),
    "bad_xlsx": _simple(N_("not a readable XLSX workbook (%(detail)s)")),
    "unsupported_type": _unsupported_type,
    "empty_file": _simple(N_("the file is empty; row 1 must be a header")),
    "nul_character": _simple(N_("contains a NUL character (U+0000), which no text may hold")),
    "file_not_found": _simple(N_("file not found")),
    "no_file": _simple(N_("choose a CSV or XLSX file to upload")),
    "file_too_large": _plural(N_("the file is larger than the limit of %(mib)s MiB (%(limit)s bytes)"), "limit"),
    "more_problems": _plural(N_("%(count)s more problem(s) not listed; fix these and check again"), "count"),
    "id_empty": _simple(N_("member id is empty")),
    "id_too_long": _plural(N_("member id longer than %(limit)s characters"), "limit"),
    "id_repeated": _simple(N_("member id '%(id)s' already appears in row %(row)s")),
    "member_outside": _simple(
        N_("member '%(id)s' is registered in territory %(territory)s, outside the territory you may import for")
    ),
    "roll_frozen": _simple(
        N_("member '%(id)s': contest '%(contest)s' is %(status)s: its roll and nominations are frozen from opening "
           "until publication; only the central office may change them, with a reason")
    ),
    "name_empty": _simple(N_("name is empty")),
    "name_too_long": _plural(N_("name longer than %(limit)s characters"), "limit"),
    "sex_invalid": _simple(N_("sex must be F or M, got '%(value)s'")),
    "birth_date_future": _simple(N_("birth date %(date)s is in the future")),
    "birth_date_invalid": _simple(N_("birth date must be YYYY-MM-DD, got '%(value)s'")),
    "territory_invalid": _simple(
        N_("territory must be a 9-digit KATO code or a known council id, got '%(value)s'")
    ),
    "territory_outside": _simple(N_("territory %(territory)s is outside the territory you may import for")),
    "contact_too_long": _plural(N_("contact longer than %(limit)s characters"), "limit"),
    "no_member_rows": _simple(N_("no member rows after the header")),
    "contest_unknown": _simple(N_("no contest '%(contest)s'")),
    "contest_outside": _simple(N_("contest '%(contest)s' is outside the territory you may manage")),
    "contest_not_draft": _simple(N_("contest '%(contest)s' is %(status)s; nominations are closed")),
    "nominator_invalid": _simple(N_("nominated_by must be self or organisation, got '%(value)s'")),
    "organisation_missing": _simple(N_("name the primary organisation that nominates")),
    "member_unknown": _simple(N_("no member '%(member)s' on the roll")),
    "already_nominated": _simple(N_("'%(member)s' is already nominated in '%(contest)s'")),
    "contest_mismatch": _simple(N_("names contest '%(named)s', but this import is into '%(contest)s'")),
    "nomination_repeated": _simple(N_("same nomination as row %(row)s")),
    "organisation_too_long": _plural(N_("organisation longer than %(limit)s characters"), "limit"),
    "tags_too_long": _plural(N_("tags longer than %(limit)s characters together"), "limit"),
    "no_nomination_rows": _simple(N_("no nomination rows after the header")),
    "age_unknown": _simple(N_("the cycle has no election date, so age cannot be checked")),
    "age_under": _simple(N_("age %(age)s on election day %(date)s is under %(minimum)s")),
    "residence": _simple(N_("lives in %(territory)s, outside the council's territory %(council_territory)s")),
    "membership_inactive": _membership,
}

NOT_NOMINATED = N_("Member %(member)s cannot be nominated in contest '%(contest)s'.")


def parts(item: object) -> tuple[str | None, Mapping[str, Any], str]:
    """``(code, params, English text)`` of an InputError, a Problem, a plain string or a JSON detail."""
    if isinstance(item, InputError):
        return item.code, item.params, item.problem
    if isinstance(item, Mapping):
        text = item.get("text", item.get("problem", item.get("message", "")))
        params = item.get("params")
        code = item.get("code")
        return (str(code) if code is not None else None), (params if isinstance(params, Mapping) else {}), str(text)
    code = getattr(item, "code", None)
    params = getattr(item, "params", None)
    return (code if isinstance(code, str) else None), (params if isinstance(params, Mapping) else {}), str(item)


class ProblemText(Speaker):
    """Says problems (see :func:`parts`) in one language."""

    def __call__(self, item: object) -> Markup:
        """``item`` as HTML: in this language, or its English text marked ``lang="en"``."""
        text, lang = self.say(item)
        return Markup.escape(text) if lang == self.lang else Markup('<span lang="en">{}</span>').format(text)

    def say(self, item: object) -> tuple[str, str]:
        """``(text, language of the text)``: this language's message, or else the English text and ``"en"``."""
        code, params, fallback = parts(item)
        if self.lang == "en":
            return fallback or self.render(code, params) or "", "en"
        shown = self.render(code, params)
        return (shown, self.lang) if shown is not None else (fallback, "en")

    def known(self, code: str | None, params: Mapping[str, Any]) -> bool:
        """Whether a problem with ``code`` and ``params`` has a message here (renders in this language)."""
        return code in MESSAGES and code in CODES and set(params) == set(CODES[code][1])

    def render(self, code: str | None, params: Mapping[str, Any]) -> str | None:
        """The message of ``code`` in this language (None: unknown code or parameters that do not fit)."""
        if code is None or not self.known(code, params):
            return None
        try:
            values = {key: self._value(CODES[code][1][key], value) for key, value in params.items()}
            return MESSAGES[code](self, values, params)
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def _value(self, kind: str, value: Any) -> str:
        if kind == "texts":
            if not isinstance(value, list | tuple):
                raise TypeError(value)
            return ", ".join(str(v) for v in value)
        if kind == "date":  # the reader's format; English keeps the service's ISO form
            day = date.fromisoformat(str(value))
            return day.isoformat() if self.lang == "en" else fmt_date(day, self.lang, "long")
        if kind == "status":
            return self.gettext(str(value))
        if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(value)
        return str(value)


def problem_text(lang: str) -> ProblemText:
    """A :class:`ProblemText` for ``lang`` (the request's language: :func:`tandau.web.i18n.language`)."""
    return ProblemText(lang)


def refusal_page(request: Request, exc: NotEligibleError, contest: str) -> Response:
    """The error page (403 ``not_eligible``) of a nomination refused by the eligibility rules, every reason in
    the page's language."""
    from tandau.web.errors import error_response

    say = ProblemText(language(request))
    headline = say.gettext(NOT_NOMINATED, member=exc.who, contest=contest)
    details = [{"loc": [], "message": say(reason)} for reason in exc.reasons]
    return error_response(request, 403, "not_eligible", headline, details)
