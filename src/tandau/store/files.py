"""Where files live so that every app process and worker reads them: the ``files`` table, and optionally an
S3-compatible bucket for the bytes.

A file is written once under a key (``bulletins/<contest>.jsonl``, ``evidence/<file id>``) and never changed.
Its metadata row (:class:`~tandau.store.files_models.StoredFile`) is always in the database, in the caller's
transaction; the bytes go where the store was configured at write time (``TANDAU_FILES_BACKEND``):

- ``database`` (the default): in the row itself (PostgreSQL ``bytea``, SQLite ``BLOB``). Nothing more to run,
  and a backup of the database holds every file.
- ``s3``: in a bucket of any S3-compatible service (AWS S3, MinIO, Ceph RGW...) through boto3, under
  ``TANDAU_S3_PREFIX`` + key. The object is written before the row, so a rolled-back transaction leaves at most an
  orphan object that nothing points to (and a retry overwrites it), never a row without its bytes;
  ``tandau files gc`` (:func:`tandau.services.operations.files.collect_orphans`) deletes orphans older than a
  grace period. Deleting is the mirror image: the row goes in the caller's transaction and the object only once
  that transaction has committed (a rolled-back delete keeps both; a failed object delete leaves an orphan).

Reads follow the row's own ``backend``, not the current setting, so switching backends keeps old files
readable. Reads are streamed in chunks (:meth:`FileStore.iter_chunks`: ``substr`` on the column, or the
object body in parts), so a large bulletin is never held whole by the web tier. Writes above
``TANDAU_FILES_MAX_BYTES`` are refused.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import LargeBinary, event, func, select
from sqlalchemy.orm import Session

from tandau.errors import InputError, TandauError
from tandau.store.files_models import StoredFile

log = logging.getLogger(__name__)

DATABASE, S3 = "database", "s3"
CHUNK_BYTES = 1 << 20
DEFAULT_MAX_BYTES = 256 << 20


class FileTooLargeError(InputError):
    """A file over the store's size limit; nothing was written."""

    def __init__(self, key: str, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"the file is {size} bytes, over the limit of {limit} bytes (TANDAU_FILES_MAX_BYTES)",
                         file=key)


class FileMissingError(TandauError):
    """No stored file under ``key`` (or its bytes are gone from the bucket)."""

    def __init__(self, key: str, why: str = "no stored file") -> None:
        self.key = key
        super().__init__(f"{why}: {key!r}")


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A stored file without its bytes."""

    key: str
    content_type: str
    size: int
    sha256: str
    backend: str
    created_at: datetime
    owner_kind: str
    owner_id: str


def _info(row: StoredFile) -> FileInfo:
    return FileInfo(row.key, row.content_type, row.size, row.sha256, row.backend, row.created_at, row.owner_kind,
                    row.owner_id)


class S3Client(Protocol):
    """The part of a boto3 S3 client the store uses (a test passes a fake or moto's)."""

    def put_object(self, **kwargs: Any) -> Any: ...

    def get_object(self, **kwargs: Any) -> Any: ...

    def delete_object(self, **kwargs: Any) -> Any: ...

    def list_objects_v2(self, **kwargs: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class BucketObject:
    """An object of the bucket: its key (without the prefix), size and last modification."""

    key: str
    size: int
    modified: datetime


@dataclass(frozen=True, slots=True)
class S3Bucket:
    """A bucket of an S3-compatible service and the prefix of Tandau's keys in it."""

    client: S3Client
    bucket: str
    prefix: str = ""

    def name(self, key: str) -> str:
        return self.prefix + key

    def put(self, key: str, data: bytes, content_type: str, sha256: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.name(key), Body=data, ContentType=content_type,
                               Metadata={"sha256": sha256})

    def chunks(self, key: str, size: int) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.name(key))["Body"]
        except Exception as exc:  # botocore's NoSuchKey and friends: the row points to nothing
            raise FileMissingError(key, f"the bucket {self.bucket!r} has no object for") from exc
        try:
            yield from body.iter_chunks(size)
        finally:
            body.close()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.name(key))

    def objects(self) -> Iterator[BucketObject]:
        """Every object under the prefix (page by page), its key without the prefix."""
        token: str | None = None
        while True:
            page = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix,
                                               **({"ContinuationToken": token} if token else {}))
            for item in page.get("Contents") or ():
                yield BucketObject(str(item["Key"])[len(self.prefix):], int(item.get("Size") or 0),
                                   item["LastModified"])
            token = page.get("NextContinuationToken") if page.get("IsTruncated") else None
            if not token:
                return


class FileStore:
    """Put, describe, read and stream stored files (see the module's docstring).

    ``bucket`` is where new files' bytes go (``None``: the database); ``max_bytes`` the largest file accepted.
    """

    def __init__(self, bucket: S3Bucket | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 chunk_bytes: int = CHUNK_BYTES) -> None:
        self.bucket = bucket
        self.max_bytes = max_bytes
        self.chunk_bytes = chunk_bytes

    @property
    def backend(self) -> str:
        return DATABASE if self.bucket is None else S3

    def put(self, session: Session, key: str, data: bytes, *, content_type: str, owner_kind: str, owner_id: str,
            now: datetime | None = None) -> FileInfo:
        """Store ``data`` under ``key`` in the caller's transaction (flushed, not committed). A key is written
        once: the same bytes again are a no-op; different bytes under a used key are refused."""
        if len(data) > self.max_bytes:
            raise FileTooLargeError(key, len(data), self.max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        old = session.get(StoredFile, key)
        if old is not None:
            if old.sha256 != digest:
                raise InputError(f"a different file is already stored under {key!r}; files are never replaced",
                                 parameter="key")
            return _info(old)
        if self.bucket is not None:
            self.bucket.put(key, data, content_type, digest)
        row = StoredFile(key=key, content_type=content_type, size=len(data), sha256=digest, backend=self.backend,
                         content=data if self.bucket is None else None, created_at=now or datetime.now(UTC),
                         owner_kind=owner_kind, owner_id=owner_id)
        session.add(row)
        session.flush()
        return _info(row)

    def info(self, session: Session, key: str) -> FileInfo | None:
        row = session.get(StoredFile, key)
        return None if row is None else _info(row)

    def listing(self, session: Session, owner_kind: str | None = None) -> list[FileInfo]:
        """Every stored file (of ``owner_kind``), by key."""
        query = select(StoredFile).order_by(StoredFile.key)
        if owner_kind is not None:
            query = query.where(StoredFile.owner_kind == owner_kind)
        return [_info(r) for r in session.scalars(query)]

    def read(self, session: Session, key: str) -> bytes:
        """The whole file (small files; stream big ones with :meth:`iter_chunks`), its SHA-256 checked."""
        info = self.info(session, key)
        if info is None:
            raise FileMissingError(key)
        data = b"".join(self.chunks(session, info))
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise FileMissingError(key, "the stored bytes do not match the recorded SHA-256 of")
        return data

    def chunks(self, session: Session, info: FileInfo) -> Iterator[bytes]:
        """The bytes of ``info`` in chunks, read in ``session`` (inside a request or a command)."""
        return self._chunks(lambda: session, info, keep_open=True)

    def iter_chunks(self, factory: Callable[[], Session], info: FileInfo) -> Iterator[bytes]:
        """The bytes of ``info`` in chunks; each database chunk is read in a short session of its own from
        ``factory`` (a response streams after the request's session is gone)."""
        return self._chunks(factory, info, keep_open=False)

    def _chunks(self, factory: Callable[[], Session], info: FileInfo, *, keep_open: bool) -> Iterator[bytes]:
        if info.backend == S3:
            if self.bucket is None:
                raise FileMissingError(info.key, "the file is in an S3 bucket but no bucket is configured "
                                                 "(TANDAU_FILES_BACKEND=s3 and TANDAU_S3_*) for")
            yield from self.bucket.chunks(info.key, self.chunk_bytes)
            return
        for start in range(0, max(info.size, 1), self.chunk_bytes):
            part = select(func.substr(StoredFile.content, start + 1, self.chunk_bytes, type_=LargeBinary)).where(
                StoredFile.key == info.key)
            if keep_open:
                piece = factory().scalar(part)
            else:
                with factory() as session:
                    piece = session.scalar(part)
            if piece is None:
                raise FileMissingError(info.key)
            yield bytes(piece)

    def delete(self, session: Session, key: str) -> None:
        """Remove a file's row (in the caller's transaction) and, once that transaction commits, its object in the
        bucket, if any: a rolled-back delete leaves the file whole."""
        row = session.get(StoredFile, key)
        if row is None:
            return
        if row.backend == S3 and self.bucket is not None:
            bucket = self.bucket
            after_commit(session, lambda: bucket.delete(key))
        session.delete(row)
        session.flush()


_PENDING = "tandau_after_commit"


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the session's current transaction commits; drop it if the transaction rolls back. A
    failing action is logged (an object left behind is an orphan for ``tandau files gc``), never raised."""
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []
        event.listen(session, "after_commit", _run_pending)
        event.listen(session, "after_rollback", _drop_pending)
    pending.append(action)


def _run_pending(session: Session) -> None:
    actions, session.info[_PENDING] = list(session.info.get(_PENDING) or ()), []
    for action in actions:
        try:
            action()
        except Exception as exc:  # the commit stands; the object stays as an orphan
            log.warning("a stored file's object was not deleted after commit (%s): tandau files gc removes it",
                        exc.__class__.__name__)


def _drop_pending(session: Session) -> None:
    session.info[_PENDING] = []


def bucket_from_settings(settings: Any) -> S3Bucket:
    """The bucket of ``TANDAU_S3_*`` through boto3 (installed with ``pip install 'tandau[s3]'``)."""
    try:
        import boto3
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise InputError("TANDAU_FILES_BACKEND=s3 needs boto3: pip install 'tandau[s3]'",
                         parameter="TANDAU_FILES_BACKEND") from exc
    secret = settings.s3_secret_access_key
    client = boto3.client(
        "s3", endpoint_url=settings.s3_endpoint_url, region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=None if secret is None else secret.get_secret_value(),
    )
    return S3Bucket(client, settings.s3_bucket, settings.s3_prefix)


_STORES: dict[tuple[Any, ...], FileStore] = {}


def store_of(settings: Any) -> FileStore:
    """The file store the settings describe (one per distinct configuration and process: a boto3 client is
    reused, it is thread-safe)."""
    key = (settings.files_backend, settings.files_max_bytes, settings.s3_bucket, settings.s3_endpoint_url,
           settings.s3_prefix, settings.s3_region, settings.s3_access_key_id)
    found = _STORES.get(key)
    if found is None:
        bucket = bucket_from_settings(settings) if settings.files_backend == S3 else None
        found = _STORES[key] = FileStore(bucket, max_bytes=settings.files_max_bytes)
    return found


def default_store() -> FileStore:
    """The store of this process's settings (``TANDAU_FILES_*``, ``TANDAU_S3_*``)."""
    from tandau.settings import get_settings

    return store_of(get_settings())
