"""Answering with a stored file (:mod:`tandau.store.files`): whole when it fits in one chunk, else streamed chunk
by chunk, each chunk read in a short database session of its own (or from the bucket), so a large bulletin is
never held whole by the app process and the request's session is not kept open while the client reads."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response, StreamingResponse

from tandau.store.files import FileInfo, FileStore


def store(request: Request) -> FileStore:
    """The app's file store (:func:`tandau.store.files.store_of` of its settings)."""
    found: FileStore = request.app.state.files
    return found


def file_response(request: Request, session: Session, info: FileInfo, *, media_type: str | None = None,
                  headers: dict[str, str] | None = None) -> Response:
    """The file ``info`` as the answer: read in the request's ``session`` when it fits in one chunk; otherwise
    the request's transaction is ended (SQLite allows one writer: the chunks' own sessions must not wait for
    it) and the chunks are streamed."""
    files = store(request)
    kind = media_type or info.content_type
    if info.size <= files.chunk_bytes:
        return Response(files.read(session, info.key), media_type=kind, headers=headers)
    session.rollback()
    shown = {"content-length": str(info.size), **(headers or {})}
    return StreamingResponse(files.iter_chunks(request.app.state.sessions, info), media_type=kind, headers=shown)
