"""File uploads of the import pages and the import API: the multipart field, the size limit, the bytes.

``UploadField`` is the optional ``file`` part of a ``multipart/form-data`` request. :func:`upload_bytes`
reads at most one byte more than the limit from it (the framework has already spooled the part to a
temporary file, in memory up to 1 MiB), so the service can refuse an oversized file with a clear message
without holding it in memory. The limit is :data:`~tandau.services.primaries.imports.MAX_BYTES`, or
``app.state.import_max_bytes`` when set (tests use a small one). Put the same limit, plus a little for the
form, in front of the app too (e.g. nginx ``client_max_body_size 21m``). In the app,
:class:`BodyLimitMiddleware` refuses a form whose declared ``Content-Length`` is over the limit (plus
:data:`FORM_OVERHEAD`) with 413 ``file_too_large`` before any of it is received: the framework reads a form
body whole before a route or the CSRF check runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Request, UploadFile
from starlette.types import ASGIApp, Receive, Scope, Send

from tandau.services.primaries.imports import MAX_BYTES, UploadTooLargeError, no_file_chosen

FORM_OVERHEAD = 64 * 1024  # the other fields and the multipart framing around an uploaded file
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

UploadField = Annotated[UploadFile | None, File(description="the CSV (UTF-8) or XLSX file")]


def upload_limit(request: Request) -> int:
    """The size limit for an uploaded file, in bytes."""
    limit = getattr(request.app.state, "import_max_bytes", None)
    return limit if isinstance(limit, int) and limit > 0 else MAX_BYTES


def upload_bytes(request: Request, upload: UploadFile | None) -> tuple[str, bytes]:
    """The upload's file name and up to limit + 1 of its bytes; :class:`InputError` when no file was chosen."""
    if upload is None or not upload.filename:
        raise no_file_chosen()
    upload.file.seek(0)
    return upload.filename, upload.file.read(upload_limit(request) + 1)


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
