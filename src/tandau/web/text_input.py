"""Text that no database can store is refused where it comes in, with the parameter's name.

Two kinds of character pass HTTP and JSON but not the store: NUL (U+0000: a PostgreSQL text value holds
none, the driver raises) and half of a UTF-16 surrogate pair (JSON may escape one, ``"\\ud800"``; such a
string is not Unicode, so no database, log or JSON answer can encode it). Found by fuzzing the API
(docs/web.md, "API fuzzing").

- :data:`Text` (or :data:`STORABLE` after a length constraint) is the ``str`` of the API's JSON bodies: such a
  value is a 422 ``validation`` naming the field.
- :func:`verify_text`, a dependency of every router (beside the CSRF check), refuses NUL in a path or query
  parameter or a form field (name or value, and an uploaded file's name) with 400 ``invalid_input`` naming
  it. URL and form decoding never yield a surrogate, so only NUL can arrive that way.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import AfterValidator
from starlette.datastructures import UploadFile

from tandau.errors import InputError

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None.

    >>> text_problem("M0000117") is None
    True
    >>> text_problem("a\\x00b")
    'contains a NUL character (U+0000), which no text may hold'
    >>> text_problem("\\ud800")
    'contains half of a surrogate pair (U+D800), which is not Unicode text'
    """
    if "\x00" in text:
        return "contains a NUL character (U+0000), which no text may hold"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"contains half of a surrogate pair (U+{ord(text[exc.start]):04X}), which is not Unicode text"
    return None


def _storable(text: str) -> str:
    problem = text_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


STORABLE = AfterValidator(_storable)
"""The check as pydantic metadata, after any length constraint: ``Annotated[str, Field(max_length=9), STORABLE]``
(constraints written after it would be checked generically and reported as "items")."""
Text = Annotated[str, STORABLE]


def _refuse(parameter: str, value: str) -> None:
    problem = text_problem(value)
    if problem is not None:
        raise InputError(problem, parameter=parameter)


def _refuse_name(where: str, name: str) -> None:
    problem = text_problem(name)
    if problem is not None:
        raise InputError(f"the name of a {where} {problem}", parameter=ascii(name))


async def verify_text(request: Request) -> None:
    """Router dependency: 400 ``invalid_input`` for NUL in a path or query parameter or a form field."""
    for name, value in request.path_params.items():
        if isinstance(value, str):
            _refuse(name, value)
    for name, value in request.query_params.multi_items():
        _refuse_name("query parameter", name)
        _refuse(name, value)
    if request.method in ("POST", "PUT", "PATCH") and request.headers.get("content-type", "").startswith(FORM_TYPES):
        form = await request.form()  # parsed once per request (the route and the CSRF check get the same form)
        for name, field in form.multi_items():
            _refuse_name("form field", name)
            if isinstance(field, UploadFile):
                _refuse(name, field.filename or "")
            else:
                _refuse(name, field)
