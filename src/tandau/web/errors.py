"""One error shape for the JSON API, error pages for people, no traceback for anyone.

Every error under ``/api/`` is answered by :func:`error_response` with

    {"error": {"code": "not_found", "message": "no contest 'x'", "details": [...]}}

(``details``: the problems of an import or a validation, each ``{"loc": ..., "message": ...}``, a problem in
a file also ``{"file", "row", "column", "problem"}``; the
datasette convention of one shape produced by one handler). Pages get ``error.html`` in the reader's
language. A :class:`~tandau.errors.TandauError` maps by class (:data:`STATUS`) to 400/401/403/404/409/413;
anything else is a 500 whose body says only "internal error" (the exception is logged without locals).
"""

from __future__ import annotations

import logging
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandau.errors import InputError, TandauError, TieError, UnknownIdError
from tandau.services.primaries.errors import (
    AlreadyVotedError,
    AuthenticationError,
    ImportRejectedError,
    NotEligibleError,
    NotFoundError,
    PermissionDeniedError,
    StateError,
    TooManyCodesError,
)
from tandau.services.primaries.imports import UploadTooLargeError
from tandau.services.primaries.throttle import ThrottledError
from tandau.web.i18n import N_, translator
from tandau.web.security import CsrfError

log = logging.getLogger(__name__)

API_PREFIX = "/api/"

# TandauError subclass -> (HTTP status, stable error code); the most specific class wins (MRO order).
STATUS: dict[type[Exception], tuple[int, str]] = {
    TandauError: (400, "bad_request"),
    InputError: (400, "invalid_input"),
    ImportRejectedError: (400, "import_rejected"),
    UploadTooLargeError: (413, "file_too_large"),
    UnknownIdError: (400, "unknown_id"),
    AuthenticationError: (401, "authentication_failed"),
    PermissionDeniedError: (403, "forbidden"),
    NotEligibleError: (403, "not_eligible"),
    NotFoundError: (404, "not_found"),
    StateError: (409, "conflict"),
    AlreadyVotedError: (409, "already_voted"),
    TooManyCodesError: (429, "too_many_codes"),
    ThrottledError: (429, "too_many_attempts"),
    TieError: (409, "tie"),
}

# what a person reads, by error code (translated); the service's English message follows as detail
TITLES: dict[str, str] = {
    "bad_request": N_("The request could not be processed."),
    "invalid_input": N_("Please check what you entered."),
    "import_rejected": N_("The file was rejected; nothing was imported."),
    "file_too_large": N_("The file is too large; nothing was imported."),
    "unknown_id": N_("Please check what you entered."),
    "authentication_failed": N_("Sign-in failed: check your member number and password or code."),
    "not_signed_in": N_("Please sign in first."),
    "forbidden": N_("You are not allowed to do this."),
    "csrf": N_("The form has expired. Please go back, reload the page and try again."),
    "not_eligible": N_("You are not eligible for this."),
    "not_found": N_("Not found."),
    "conflict": N_("This cannot be done at this stage."),
    "already_voted": N_("You have already voted in this contest. A ballot cannot be changed."),
    "too_many_attempts": N_("Too many failed sign-ins from your connection. Please wait a little and try again."),
    "tie": N_("The count ends in a tie that the contest's tie policy refuses to break."),
    "method_not_allowed": N_("The request could not be processed."),
    "validation": N_("Please check what you entered."),
    "internal": N_("Something went wrong on our side. Please try again later."),
}


class SignInRequired(Exception):
    """The route needs a signed-in user; pages redirect to the sign-in form, the API answers 401."""


def classify(exc: TandauError) -> tuple[int, str]:
    """HTTP status and error code of a Tandau error (by its most specific registered class)."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return STATUS[TandauError]


def _file_problem(e: InputError) -> dict[str, Any]:
    """A problem in a file: ``loc`` and ``message`` as every detail, plus ``file``, ``row``, ``column``, ``problem``
    and its stable ``code`` and ``params`` (:mod:`tandau.services.primaries.problems`; null and {} if none)."""
    return {"loc": [e.file, e.row, e.column], "message": e.problem,
            "file": e.file, "row": e.row, "column": e.column, "problem": e.problem,
            "code": e.code, "params": dict(e.params)}


def details_of(exc: Exception) -> list[dict[str, Any]]:
    if isinstance(exc, ImportRejectedError):
        return [_file_problem(e) for e in exc.errors]
    if isinstance(exc, InputError) and exc.file is not None:
        return [_file_problem(exc)]
    if isinstance(exc, NotEligibleError):
        return [{"loc": [], "message": r, "code": getattr(r, "code", None), "params": dict(getattr(r, "params", {}))}
                for r in exc.reasons]
    if isinstance(exc, InputError) and exc.parameter:
        detail: dict[str, Any] = {"loc": [exc.parameter], "message": exc.problem}
        if exc.code is not None:  # a registered problem: its code and parameters, for a translation
            detail |= {"code": exc.code, "params": dict(exc.params)}
        return [detail]
    if isinstance(exc, UnknownIdError):
        return [{"loc": [exc.kind], "message": f"valid: {', '.join(exc.valid)}"}]
    if isinstance(exc, RequestValidationError):
        return [
            {"loc": [str(p) for p in e.get("loc", ())], "message": str(e.get("msg", ""))} for e in exc.errors()
        ]
    return []


def error_response(
    request: Request, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> Response:
    """THE error response: JSON ``{"error": {code, message, details}}`` for the API, a page otherwise."""
    if request.url.path.startswith(API_PREFIX):
        body = {"error": {"code": code, "message": message, "details": details or []}}
        return JSONResponse(body, status_code=status)
    from tandau.web.templating import render

    _ = translator(request)
    context = {"status": status, "code": code, "title": _(TITLES.get(code, TITLES["bad_request"])),
               "message": message if status < 500 else "", "details": details or []}
    return render(request, "error.html", context, status_code=status)


async def _tandau_error(request: Request, exc: Exception) -> Response:
    status, code = classify(cast(TandauError, exc))
    response = error_response(request, status, code, str(exc), details_of(exc))
    retry_after = getattr(exc, "retry_after", None)
    if status == 429 and isinstance(retry_after, int):
        response.headers["Retry-After"] = str(retry_after)
    return response


async def _sign_in_required(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith(API_PREFIX):
        return error_response(request, 401, "not_signed_in", "sign in first")
    return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)


HTTPS_HINT = ("; the session cookie is sent only over https: use https, or TANDAU_ENVIRONMENT=development on a "
              "loopback address")


async def _csrf(request: Request, exc: Exception) -> Response:
    message = "missing or wrong CSRF token (form field csrf_token or header X-CSRF-Token)"
    if request.url.scheme == "http" and request.scope.get("session_cookie_secure"):
        message += HTTPS_HINT  # the browser or client dropped the Secure cookie: the token cannot match
    return error_response(request, 403, "csrf", message)


async def _http(request: Request, raised: Exception) -> Response:
    exc = cast(StarletteHTTPException, raised)
    codes = {401: "not_signed_in", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 409: "conflict"}
    code = codes.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal")
    response = error_response(request, exc.status_code, code, str(exc.detail))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _validation(request: Request, exc: Exception) -> Response:
    return error_response(request, 422, "validation", "the request is not valid", details_of(exc))


def internal_error(request: Request, exc: BaseException) -> Response:
    """The 500 answer; the log names the exception type and the path only (no locals, body or session)."""
    log.error("internal error %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return error_response(request, 500, "internal", "internal error")


class CatchAllMiddleware:
    """Pure ASGI, inside the exception handlers' reach: any other exception becomes :func:`internal_error`,
    so neither the client nor the server log ever sees a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            if started:
                raise
            response = internal_error(Request(scope, receive), exc)
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app`` (called by :func:`tandau.web.app.create_app`)."""
    app.add_exception_handler(TandauError, _tandau_error)
    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.add_exception_handler(CsrfError, _csrf)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_middleware(CatchAllMiddleware)
