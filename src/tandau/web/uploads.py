"""File uploads of the import pages and the import API: the multipart field, the size limit, the bytes.

``UploadField`` is the optional ``file`` part of a ``multipart/form-data`` request. :func:`upload_bytes`
(:func:`chosen_file` with the services' own limit) reads at most one byte more than the limit from it (the
framework has already spooled the part to a temporary file, in memory up to 1 MiB), so the service can refuse
an oversized file with a clear message without holding it in memory. The limit is
:data:`~tandau.services.primaries.imports.MAX_BYTES`, or ``app.state.import_max_bytes`` when set (tests use a
small one). Put the same limit, plus a little for the form, in front of the app too (e.g. nginx
``client_max_body_size 21m``). In the app, :class:`BodyLimitMiddleware` refuses a form whose declared
``Content-Length`` is over the limit (plus :data:`FORM_OVERHEAD`) with 413 ``file_too_large`` before any of it
is received: the framework reads a form body whole before a route or the CSRF check runs.

:func:`import_page` is the POST of a module's import page (appeals, proposals): the file checked or imported
by the module's service, the page again with the outcome or with every problem of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Protocol

from fastapi import File, Request, UploadFile
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from tandau.errors import InputError
from tandau.services.primaries.errors import ImportRejectedError
from tandau.services.primaries.imports import MAX_BYTES, UploadTooLargeError, no_file_chosen

FORM_OVERHEAD = 64 * 1024  # the other fields and the multipart framing around an uploaded file
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

UploadField = Annotated[UploadFile | None, File(description="the CSV (UTF-8) or XLSX file")]


def upload_limit(request: Request) -> int:
    """The size limit for an uploaded file, in bytes."""
    limit = getattr(request.app.state, "import_max_bytes", None)
    return limit if isinstance(limit, int) and limit > 0 else MAX_BYTES


def chosen_file(upload: UploadFile | None, limit: int = MAX_BYTES) -> tuple[str, bytes]:
    """The upload's file name and up to ``limit`` + 1 of its bytes; :class:`InputError` when no file was chosen."""
    if upload is None or not upload.filename:
        raise no_file_chosen()
    upload.file.seek(0)
    return upload.filename, upload.file.read(limit + 1)


def upload_bytes(request: Request, upload: UploadFile | None) -> tuple[str, bytes]:
    """The upload's file name and up to the app's limit + 1 of its bytes; :class:`InputError` when no file was
    chosen."""
    return chosen_file(upload, upload_limit(request))


class ImportPage(Protocol):
    """Renders a module's import page with a status and the page's values (``outcome``, ``problems``, ...)."""

    def __call__(self, status_code: int = 200, /, **context: Any) -> Response: ...


def import_page(upload: UploadFile | None, page: ImportPage, run: Callable[[str, bytes], object]) -> Response:
    """The POST of a module's import page: ``run`` (the service's check or import of the file's name and bytes,
    up to :data:`MAX_BYTES` + 1 of them) and ``page`` again with its ``outcome``; no file chosen (400
    ``missing``), a file too large (413 ``too_large``) or refused (400) gives the page with every problem."""
    if upload is None or not upload.filename:
        return page(400, problems=[], missing=True)
    try:
        outcome = run(*chosen_file(upload))
    except UploadTooLargeError as exc:
        return page(413, problems=[exc], too_large=True)
    except ImportRejectedError as exc:
        return page(400, problems=list(exc.errors))
    except InputError as exc:
        return page(400, problems=[exc])
    return page(outcome=outcome)


class BodyLimitMiddleware:
    """Pure ASGI: a form POST/PUT/PATCH whose ``Content-Length`` exceeds the upload limit plus
    :data:`FORM_OVERHEAD` gets 413 ``file_too_large`` (the error page or the API's error shape) unread."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            request = Request(scope, receive)
            declared = request.headers.get("content-length", "")
            if request.headers.get("content-type", "").startswith(FORM_TYPES) and declared.isdigit():
                limit = upload_limit(request)
                if int(declared) > limit + FORM_OVERHEAD:
                    from tandau.web.errors import details_of, error_response

                    exc = UploadTooLargeError("(request body)", limit)
                    await error_response(request, 413, "file_too_large", str(exc), details_of(exc))(
                        scope, receive, send)
                    return
        await self.app(scope, receive, send)
