"""Background jobs: their states, the retry schedule and what a job's arguments may hold (pure; no I/O).

A job moves ``queued -> running -> succeeded | failed | cancelled``; a failed attempt that may be retried goes
back to ``queued`` with the time of its next attempt. The schedule is exponential back-off with a cap, as in
the "exponential backoff" of Metcalfe & Boggs, "Ethernet: distributed packet switching for local computer
networks", CACM 19(7), 1976, and AWS's "Exponential Backoff and Jitter" (2015) — without jitter: a job is one
row that one worker retries, not a crowd of clients colliding.

>>> [backoff_seconds(n, base=2.0, cap=60.0) for n in (1, 2, 3, 6, 7)]
[2.0, 4.0, 8.0, 60.0, 60.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from tandau.errors import InputError


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})
ARGUMENT_TYPES = (str, int, float, bool, type(None))
MAX_STEP_TEXT = 200


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often a kind of job is tried and how long it waits between attempts (seconds)."""

    max_attempts: int = 3
    base: float = 5.0
    cap: float = 300.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base <= 0 or self.cap < self.base:
            raise InputError(f"a retry policy needs max_attempts >= 1 and 0 < base <= cap, got {self}",
                             parameter="retry")


def backoff_seconds(attempt: int, *, base: float, cap: float) -> float:
    """The wait after the ``attempt``-th failed attempt (1-based): ``base * 2**(attempt-1)``, at most ``cap``.

    >>> backoff_seconds(1, base=0.5, cap=10.0), backoff_seconds(40, base=0.5, cap=10.0)
    (0.5, 10.0)
    """
    if attempt < 1:
        raise InputError(f"attempt numbers start at 1, got {attempt}", parameter="attempt")
    exponent = min(attempt - 1, 62)  # 2**62 seconds is past any cap; avoids huge floats
    return float(min(cap, base * (2 ** exponent)))


def after_failure(policy: RetryPolicy, attempts: int, now: datetime) -> datetime | None:
    """When to try again after ``attempts`` attempts have failed, or None when the job has used them all.

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> after_failure(RetryPolicy(3, 1.0, 10.0), 2, t).isoformat(), after_failure(RetryPolicy(3, 1.0, 10.0), 3, t)
    ('2026-01-01T00:00:02+00:00', None)
    """
    if attempts >= policy.max_attempts:
        return None
    return now + timedelta(seconds=backoff_seconds(attempts, base=policy.base, cap=policy.cap))


def may_cancel(status: str) -> bool:
    """A queued or running job may be cancelled; a finished one may not.

    >>> may_cancel("queued"), may_cancel("running"), may_cancel("succeeded")
    (True, True, False)
    """
    return status in (JobStatus.QUEUED, JobStatus.RUNNING)


def check_arguments(arguments: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """The job's arguments, if each is one of the kind's declared names and a scalar (a contest id, a cycle id,
    a language): the table every process reads holds no personal data, no selections and no secrets, so a kind
    declares exactly what it takes and anything else is refused.

    >>> check_arguments({"cycle_id": "2026"}, frozenset({"cycle_id"}))
    {'cycle_id': '2026'}
    >>> check_arguments({"shares": ["..."]}, frozenset({"cycle_id"}))
    Traceback (most recent call last):
    tandau.errors.InputError: parameter arguments: unknown argument 'shares'; this kind takes: cycle_id
    """
    found: dict[str, Any] = {}
    for name, value in arguments.items():
        if name not in allowed:
            raise InputError(f"unknown argument {name!r}; this kind takes: {', '.join(sorted(allowed)) or 'none'}",
                             parameter="arguments")
        if not isinstance(value, ARGUMENT_TYPES):
            raise InputError(f"argument {name!r} must be a string, number or boolean, got {type(value).__name__}",
                             parameter="arguments")
        if isinstance(value, str) and len(value) > 200:
            raise InputError(f"argument {name!r} is longer than 200 characters", parameter="arguments")
        found[name] = value
    return found


def step_text(text: str) -> str:
    """A progress step's short text: one line, at most 200 characters.

    >>> step_text("forming\\nlists")
    'forming lists'
    """
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= MAX_STEP_TEXT else one_line[: MAX_STEP_TEXT - 1] + "…"
