"""Evidence files: stored in the database with their SHA-256, refused over the size limit or of a wrong type."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest

from tandau.errors import InputError
from tandau.services.control import cases
from tandau.services.primaries import audit
from tandau.services.primaries.errors import PermissionDeniedError, StateError
from tandau.services.primaries.imports import UploadTooLargeError
from tests.integration.primaries.conftest import Db

from .conftest import ACTORS, CITY, NOW

CENTRAL = ACTORS["central"]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _case(db: Db, kato: str = CITY) -> str:
    with db.Session() as s:
        return cases.open_case(s, ACTORS["central"], cases.CaseRequest("Roads", kato, "signal"), now=NOW).id


@pytest.mark.parametrize(("name", "data", "media_type"), [
    ("act.pdf", PDF, "application/pdf"), ("photo.PNG", PNG, "image/png"), ("site.jpg", JPEG, "image/jpeg"),
    ("site.jpeg", JPEG, "image/jpeg"), ("payments.csv", "КБК,сумма\n1,2\n".encode(), "text/csv"),
    ("notes.txt", b"\xef\xbb\xbfanswer of the akimat\r\n", "text/plain"),
    ("budget.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_allowed_types_are_stored_with_their_hash(name: str, data: bytes, media_type: str) -> None:
    clean, found = cases.check_file(name, data, 1 << 20)
    assert (clean, found) == (name, media_type)


@pytest.mark.parametrize(("name", "data", "why"), [
    ("tool.exe", b"MZ\x90\x00", "not accepted"),
    ("noextension", b"text", "not accepted"),
    ("act.pdf", PNG, "is not a PDF file"),
    ("photo.png", PDF, "is not a PNG file"),
    ("data.csv", b"a,b\x00\x01", "is not a CSV file"),
    ("book.xlsx", b"PK\x03\x04not a zip", "is not a XLSX file"),
    ("empty.txt", b"", "empty"),
    ("doc.docx", b"PK\x03\x04", "not accepted"),
])
def test_wrong_types_are_refused(name: str, data: bytes, why: str) -> None:
    with pytest.raises(InputError, match=why) as info:
        cases.check_file(name, data, 1 << 20)
    assert info.value.parameter == "file"


def test_names_are_cleaned() -> None:
    assert cases.check_file("../../etc/x.txt", b"x", 10)[0] == "x.txt"
    assert cases.check_file("C:\\Users\\a\\akt\n.pdf", PDF, 1000)[0] == "akt.pdf"
    long = "a" * 300 + ".pdf"
    assert cases.check_file(long, PDF, 1000)[0] == "a" * 196 + ".pdf"


def test_evidence_round_trip_size_limit_and_territory(cases_db: Db) -> None:
    case_id = _case(cases_db)
    with cases_db.Session() as s:
        info = cases.attach(s, ACTORS["ctl-almaty"], case_id, "act.pdf", PDF, now=NOW)
        assert (info.sha256, info.size, info.media_type) == (hashlib.sha256(PDF).hexdigest(), len(PDF),
                                                             "application/pdf")
        with pytest.raises(UploadTooLargeError):
            cases.attach(s, ACTORS["ctl-almaty"], case_id, "big.txt", b"x" * 101, limit=100, now=NOW)
        s.rollback()
        later = NOW + timedelta(minutes=1)
        assert cases.attach(s, CENTRAL, case_id, "edge.txt", b"x" * 100, limit=100, now=later).size == 100
        for who in ("ctl-region", "keyholder"):
            with pytest.raises(PermissionDeniedError):
                cases.read_file(s, ACTORS[who], case_id, info.id)
        with pytest.raises(PermissionDeniedError):
            cases.attach(s, ACTORS["observer"], case_id, "act.pdf", PDF, now=NOW)
        with pytest.raises(PermissionDeniedError):
            cases.attach(s, ACTORS["ctl-region"], case_id, "act.pdf", PDF, now=NOW)
        s.rollback()
        stored = cases.read_file(s, ACTORS["observer"], case_id, info.id)
        assert stored.content == PDF and hashlib.sha256(stored.content).hexdigest() == stored.sha256
        assert [f.name for f in cases.detail(s, CENTRAL, case_id).files] == ["act.pdf", "edge.txt"]
        entries = [e for e in audit.entries(s) if e.action == "case.attach"]
        assert [(e.details["name"], e.details["sha256"]) for e in entries] == [
            ("act.pdf", info.sha256), ("edge.txt", hashlib.sha256(b"x" * 100).hexdigest())]
        for step in ("send_inquiry", "record_answer"):
            cases.take_step(s, CENTRAL, case_id, step, now=NOW)
        cases.take_step(s, CENTRAL, case_id, "resolve", note="n", outcome="confirmed", now=NOW)
        cases.take_step(s, CENTRAL, case_id, "close", now=NOW)
        with pytest.raises(StateError, match="closed"):
            cases.attach(s, CENTRAL, case_id, "late.pdf", PDF, now=NOW)

