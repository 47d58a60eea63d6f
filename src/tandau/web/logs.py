"""Structured logs: one JSON object per line, with personal data masked (``TANDAU_LOG_FORMAT=json``).

Each line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, and for a request ``request_id``,
``method``, ``route`` (the route template), ``status``, ``duration_ms``. Only these fields are written:
whatever else a caller attaches to a record (``extra={"member": ...}``) is left out. :class:`PersonalDataFilter`
masks, in the message and in a traceback, what may identify a member or reveal a ballot: e-mail addresses,
phone numbers, tracking codes, long digit runs (IINs, member numbers), the value after ``member``, ``subject``,
``contact``, ``tracker``, ``selection``, ``marks`` or ``ranking``, and JSON lists of candidates. The
application never logs a member next to a ballot in the first place (docs/security.md): the filter is the
second line of defence, for a library's message or an exception's text.

>>> mask("member 'm1' voted; code 0123-4567-89AB-CDEF; sms +7 701 000 00 01")
'member [masked] voted; code [tracker]; sms [contact]'
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID: ContextVar[str | None] = ContextVar("tandau_request_id", default=None)
REQUEST_FIELDS = ("method", "route", "status", "duration_ms")

_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}", re.IGNORECASE), "[tracker]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[contact]"),
    (re.compile(r"\+?\d[\d ()-]{8,}\d"), "[contact]"),
    (re.compile(r"\b\d{6,}\b"), "[id]"),
    (re.compile(r"""(["']?(?:selection|marks|ranking)["']?\s*[:=]?\s*)\[[^\]]*\]""", re.IGNORECASE),
     r"\1[selection]"),
    (re.compile(r"""\b(member(?:_id)?|members|subject|contact|tracker|selection)((?>["']?\s*[:=]?\s*))"""
                r"""(?!\[)(?:'[^']*'|"[^"]*"|[^\s,;)\]}]+)""", re.IGNORECASE), r"\1\2[masked]"),
)


def mask(text: str) -> str:
    """``text`` with personal data and ballot contents replaced by ``[tracker]``, ``[contact]``, ``[id]``,
    ``[selection]`` or ``[masked]``."""
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message (and its traceback text) through :func:`mask`; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        record.exc_info = None  # formatted (and masked) above: never formatted again from the live exception
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line with the fields of the module docstring (and ``exception`` when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = REQUEST_ID.get()
        if rid is not None:
            entry["request_id"] = rid
        for name in REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def json_handler(stream: object = None) -> logging.Handler:
    """A handler writing JSON lines to ``stream`` (default stderr) through the personal-data filter."""
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PersonalDataFilter())
    handler.set_name("tandau-json")
    return handler


def configure_json_logging(level: int = logging.INFO) -> None:
    """Route every log record of the process (Tandau's, uvicorn's, SQLAlchemy's) to one JSON handler on the
    root logger; uvicorn's access log is silenced (its lines carry the raw path: ``tandau.access`` has the
    route template instead). Idempotent."""
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != "tandau-json"]
    root.addHandler(json_handler())
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers = []
    access.propagate = False
    access.disabled = True
