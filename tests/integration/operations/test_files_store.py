"""The file store (:mod:`tandau.store.files`): bytes in the database by default, in an S3 bucket as an option
(exercised with boto3 against moto's in-process S3), read in chunks; migration 0017 moves case evidence into it;
``tandau files import-bulletins`` stores bulletins left on a host's disk."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.errors import InputError
from tandau.services.operations.files import import_bulletins
from tandau.services.primaries import publish
from tandau.store import Base, make_engine, session_factory
from tandau.store.files import FileMissingError, FileStore, FileTooLargeError, S3Bucket
from tandau.store.files_models import StoredFile
from tandau.store.migrate import downgrade, upgrade
from tests.integration.primaries.conftest import CENTRAL, World
from tests.integration.web.conftest import database_url_of

DATA = bytes(range(256)) * 40 + b"tail"  # 10,244 bytes: not a multiple of the chunk size
NOW = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[object]:
    engine = make_engine(f"sqlite:///{tmp_path / 'files.db'}")
    Base.metadata.create_all(engine)
    yield session_factory(engine)
    engine.dispose()


def test_database_store_puts_streams_and_refuses(sessions: object) -> None:
    factory = sessions  # type: ignore[assignment]
    store = FileStore(max_bytes=20_000, chunk_bytes=1000)
    with factory() as s:  # type: ignore[operator]
        info = store.put(s, "exports/a.bin", DATA, content_type="application/octet-stream", owner_kind="job",
                         owner_id="j1", now=NOW)
        s.commit()
    assert (info.size, info.sha256, info.backend) == (len(DATA), hashlib.sha256(DATA).hexdigest(), "database")
    with factory() as s:  # type: ignore[operator]
        parts = list(store.chunks(s, info))
        assert [len(p) for p in parts] == [1000] * 10 + [244] and b"".join(parts) == DATA
        assert store.read(s, "exports/a.bin") == DATA
        assert store.put(s, "exports/a.bin", DATA, content_type="x", owner_kind="job", owner_id="j1") == info
        with pytest.raises(InputError, match="never replaced"):
            store.put(s, "exports/a.bin", DATA + b"!", content_type="x", owner_kind="job", owner_id="j1")
        with pytest.raises(FileTooLargeError):
            store.put(s, "exports/big.bin", b"x" * 20_001, content_type="x", owner_kind="job", owner_id="j1")
        with pytest.raises(FileMissingError):
            store.read(s, "exports/none.bin")
        assert [f.key for f in store.listing(s, "job")] == ["exports/a.bin"] and store.listing(s, "case") == []
    # streamed with a short session per chunk, as a response does
    assert b"".join(store.iter_chunks(factory, info)) == DATA  # type: ignore[arg-type]
    with factory() as s:  # type: ignore[operator]
        s.execute(text("UPDATE files SET content = :c"), {"c": DATA[:-1] + b"?"})  # the bytes rot
        s.commit()
        with pytest.raises(FileMissingError, match="SHA-256"):
            store.read(s, "exports/a.bin")


@pytest.fixture
def bucket() -> Iterator[S3Bucket]:
    boto3 = pytest.importorskip("boto3")
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        client.create_bucket(Bucket="tandau-files")
        yield S3Bucket(client, "tandau-files", "tandau/")


def test_s3_store_keeps_bytes_in_the_bucket_and_metadata_in_the_database(sessions: object,
                                                                         bucket: S3Bucket) -> None:
    factory = sessions  # type: ignore[assignment]
    s3 = FileStore(bucket, chunk_bytes=4096)
    with factory() as s:  # type: ignore[operator]
        info = s3.put(s, "bulletins/c1.jsonl", DATA, content_type="application/x-ndjson", owner_kind="contest",
                      owner_id="c1")
        s.commit()
    head = bucket.client.get_object(Bucket="tandau-files", Key="tandau/bulletins/c1.jsonl")  # type: ignore[attr-defined]
    assert head["Body"].read() == DATA and head["Metadata"]["sha256"] == info.sha256
    with factory() as s:  # type: ignore[operator]
        row = s.get(StoredFile, "bulletins/c1.jsonl")
        assert row is not None and row.backend == "s3" and row.content is None
        assert s3.read(s, "bulletins/c1.jsonl") == DATA
        assert [len(p) for p in s3.chunks(s, info)] == [4096, 4096, 2052]
        # a process configured without the bucket says where the file is, it does not pretend it is missing
        with pytest.raises(FileMissingError, match="no bucket is configured"):
            FileStore().read(s, "bulletins/c1.jsonl")
        # files written before the switch to s3 stay readable (a row says where its bytes are)
        FileStore().put(s, "evidence/f1", b"old", content_type="text/plain", owner_kind="case", owner_id="k")
        assert s3.read(s, "evidence/f1") == b"old"
        s.commit()
        # a delete that rolls back keeps the row and its object
        s3.delete(s, "bulletins/c1.jsonl")
        s.rollback()
        assert s3.read(s, "bulletins/c1.jsonl") == DATA
        # the object goes only once the row's deletion has committed
        s3.delete(s, "bulletins/c1.jsonl")
        assert bucket.client.get_object(Bucket="tandau-files", Key="tandau/bulletins/c1.jsonl")  # type: ignore[attr-defined]
        s.commit()
        assert s3.info(s, "bulletins/c1.jsonl") is None
    objects = bucket.client.list_objects_v2(Bucket="tandau-files")  # type: ignore[attr-defined]
    assert objects.get("KeyCount", 0) == 0


def test_migration_0017_moves_case_evidence_into_files_and_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        upgrade(engine, "0016")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO control_cases (id, title, description, kato, source, owner_kind, owner, status, "
                "opened_at, opened_by, updated_at) VALUES ('case-1', 't', '', NULL, 'signal', 'commission', 'c', "
                "'open', '2026-01-01 00:00:00', 'cli', '2026-01-01 00:00:00')"))
            conn.execute(text(
                "INSERT INTO control_case_files (id, case_id, name, media_type, size, sha256, content, uploaded_at, "
                "uploaded_by) VALUES ('f-1', 'case-1', 'a.txt', 'text/plain', 5, :sha, :data, "
                "'2026-01-02 00:00:00', 'cli')"), {"sha": hashlib.sha256(b"hello").hexdigest(), "data": b"hello"})
        upgrade(engine)
        with session_factory(engine)() as s:
            assert FileStore().read(s, "evidence/f-1") == b"hello"
            row = s.get(StoredFile, "evidence/f-1")
            assert row is not None and (row.owner_kind, row.owner_id, row.content_type) == ("case", "case-1",
                                                                                            "text/plain")
        with engine.connect() as conn:
            columns = [r[1] for r in conn.execute(text("PRAGMA table_info(control_case_files)"))]
        assert "content" not in columns
        downgrade(engine, "0016")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT content FROM control_case_files")).scalar_one() == b"hello"
    finally:
        engine.dispose()


def test_bulletins_left_on_disk_are_imported_once(web_world: World, tmp_path: Path) -> None:
    world = web_world
    for contest_id in ("almaty-region", "national"):
        world.close(contest_id)
        with world.session() as s:
            publish.publish_contest(s, CENTRAL, contest_id, tmp_path / "old" / f"{contest_id}.jsonl")
    (tmp_path / "old" / "national.jsonl").write_bytes(b"tampered\n")
    (tmp_path / "old" / "unknown.jsonl").write_bytes(b"{}\n")
    with world.session() as s:  # as if published before the store: the rows are gone, the files remain
        s.execute(text("DELETE FROM files"))
        s.commit()
        done = {i.file: i.outcome for i in import_bulletins(s, tmp_path / "old")}
        assert done == {"almaty-region.jsonl": "stored", "national.jsonl": "skipped", "unknown.jsonl": "skipped"}
        assert {i.file: i.outcome for i in import_bulletins(s, tmp_path / "old")}["almaty-region.jsonl"] == "already"
    url = database_url_of(world.db)
    runner = CliRunner()
    out = tmp_path / "copy.jsonl"
    got = runner.invoke(app, ["files", "get", "bulletins/almaty-region.jsonl", "--out", str(out), "--db", url])
    assert got.exit_code == 0, got.output
    assert out.read_bytes() == (tmp_path / "old" / "almaty-region.jsonl").read_bytes()
    listed = runner.invoke(app, ["files", "list", "--db", url])
    assert "bulletins/almaty-region.jsonl" in listed.output and "1 file(s)" in listed.output
    again = runner.invoke(app, ["files", "import-bulletins", str(tmp_path / "old"), "--db", url])
    assert again.exit_code == 0 and "0 stored, 1 already stored, 2 skipped" in again.output, again.output


def test_s3_settings_build_the_bucket_and_refuse_without_one(sessions: object, bucket: S3Bucket) -> None:
    from pydantic import SecretStr

    from tandau.settings import Settings
    from tandau.store.files import store_of

    with pytest.raises(InputError, match="bucket") as refused:
        Settings(environment="development", files_backend="s3").check_safe()
    assert refused.value.parameter == "TANDAU_S3_BUCKET"
    conf = Settings(environment="development", files_backend="s3", s3_bucket="tandau-files", s3_prefix="p/",
                    s3_region="us-east-1", s3_access_key_id="test", s3_secret_access_key=SecretStr("test"))
    store = store_of(conf)  # a real boto3 client from the settings (moto answers it)
    assert store.backend == "s3" and store.bucket is not None and store.bucket.name("k") == "p/k"
    with sessions() as s:  # type: ignore[operator]
        store.put(s, "exports/x.csv", b"a,b\n", content_type="text/csv", owner_kind="job", owner_id="j")
        s.commit()
        assert store.read(s, "exports/x.csv") == b"a,b\n"
    found = bucket.client.get_object(Bucket="tandau-files", Key="p/exports/x.csv")  # type: ignore[attr-defined]
    assert found["Body"].read() == b"a,b\n"


def test_gc_deletes_old_orphan_objects_of_the_bucket(sessions: object, bucket: S3Bucket, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An object whose transaction rolled back is deleted once older than the grace period; a stored file's object,
    a young orphan (an upload still in its transaction) and an object outside the prefix are kept."""
    from datetime import timedelta

    from tandau.services.operations.files import collect_orphans

    factory = sessions  # type: ignore[assignment]
    s3 = FileStore(bucket)
    client = bucket.client
    with factory() as s:  # type: ignore[operator]
        s3.put(s, "bulletins/c1.jsonl", DATA, content_type="application/x-ndjson", owner_kind="contest",
               owner_id="c1")
        s.commit()
        s3.put(s, "uploads/t1/file", b"roll", content_type="text/csv", owner_kind="upload", owner_id="t1")
        s.rollback()  # the object stays, no row points to it
    client.put_object(Bucket="tandau-files", Key="other-app/file", Body=b"not ours")  # type: ignore[attr-defined]
    later = datetime.now(UTC) + timedelta(hours=25)

    def names() -> list[str]:
        return sorted(o["Key"] for o in client.list_objects_v2(Bucket="tandau-files")["Contents"])  # type: ignore[attr-defined]

    every = ["other-app/file", "tandau/bulletins/c1.jsonl", "tandau/uploads/t1/file"]
    with factory() as s:  # type: ignore[operator]
        young = collect_orphans(s, bucket)  # within the grace period: nothing is an orphan yet
        assert (young.listed, young.young, young.orphans) == (2, 2, ()) and names() == every
        dry = collect_orphans(s, bucket, now=later, dry_run=True)
        assert [o.key for o in dry.orphans] == ["uploads/t1/file"] and not dry.deleted and names() == every
        done = collect_orphans(s, bucket, now=later)
        assert [o.key for o in done.orphans] == ["uploads/t1/file"] and done.deleted
        assert names() == ["other-app/file", "tandau/bulletins/c1.jsonl"]
        assert s3.read(s, "bulletins/c1.jsonl") == DATA
        with pytest.raises(InputError, match="TANDAU_S3_PREFIX is empty"):
            collect_orphans(s, S3Bucket(client, "tandau-files", ""))
    # the command: the same through the configured store; a database store has nothing to collect
    with factory() as s:  # type: ignore[operator]
        s3.put(s, "uploads/t2/file", b"roll", content_type="text/csv", owner_kind="upload", owner_id="t2")
        s.rollback()
    runner, url = CliRunner(), f"sqlite:///{tmp_path / 'files.db'}"
    monkeypatch.setattr("tandau.store.files.default_store", lambda: s3)
    kept = runner.invoke(app, ["files", "gc", "--db", url])
    assert kept.exit_code == 0 and "0 orphan(s) older than 24 h deleted" in kept.output, kept.output
    listed = runner.invoke(app, ["files", "gc", "--older-than", "0", "--dry-run", "--db", url])
    assert "would delete uploads/t2/file  4 B" in listed.output and "tandau/uploads/t2/file" in names()
    gone = runner.invoke(app, ["files", "gc", "--older-than", "0", "--db", url])
    assert gone.exit_code == 0 and "deleted uploads/t2/file" in gone.output, gone.output
    assert names() == ["other-app/file", "tandau/bulletins/c1.jsonl"]
    monkeypatch.setattr("tandau.store.files.default_store", lambda: FileStore())
    nothing = runner.invoke(app, ["files", "gc", "--db", url])
    assert nothing.exit_code == 0 and "nothing to do" in nothing.output
