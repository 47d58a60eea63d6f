"""The registry of job kinds: a stable id, a title, the policy action that authorises submitting it, the
arguments it takes, its retry policy and the function that runs it (``@register``; conventions: registries).

A kind's function receives a :class:`~tandau.services.jobs.runner.Context` (sessions, the requester as an actor,
the job's arguments and progress, the cancel check) and returns a JSON summary. It must be safe to run again
after a crash: either each step's effect commits in the same transaction as the job's progress
(:meth:`Context.advance`) and a retry resumes after the last committed step, or the effect is keyed so that a
second run finds it done.

An ``internal`` kind (``otp.deliver``) is started by a Tandau service on its own authority, never by hand (the
page, the API and ``tandau jobs submit`` refuse it), and its arguments are never shown (:data:`REDACTED`) nor
written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tandau.core.jobs import RetryPolicy
from tandau.errors import InputError
from tandau.services.primaries.access import Action

if TYPE_CHECKING:
    from tandau.services.jobs.runner import Context

Runner = Callable[["Context"], Mapping[str, Any]]
Territory = Callable[[Mapping[str, Any]], str | None]


def national(_arguments: Mapping[str, Any]) -> str | None:
    """The job concerns the whole country."""
    return None


@dataclass(frozen=True)
class JobKind:
    """One registered kind of job."""

    id: str
    title: str
    action: Action
    arguments: frozenset[str]
    run: Runner
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    territory: Territory = national
    local_only: bool = False  # its inputs live only in the submitting process (key shares): never a worker's
    uploaded: bool = False  # its input is a file uploaded for it (services/jobs/uploads): never a bare submission
    internal: bool = False  # started by a Tandau service only (never by hand); its arguments are never shown


KINDS: dict[str, JobKind] = {}
REDACTED: dict[str, bool] = {"redacted": True}  # what the faces show of an internal kind's arguments


class UnknownJobKindError(InputError):
    """A job kind that is not registered; lists the valid ones."""

    def __init__(self, given: str) -> None:
        load_kinds()
        super().__init__(f"unknown job kind {given!r}; valid kinds: {', '.join(sorted(KINDS))}", parameter="kind")


def register(kind_id: str, *, title: str, action: Action, arguments: tuple[str, ...] = (),
             retry: RetryPolicy | None = None, territory: Territory = national,
             local_only: bool = False, uploaded: bool = False,
             internal: bool = False) -> Callable[[Runner], Runner]:
    """Register the decorated function as the runner of ``kind_id``."""

    def wrap(run: Runner) -> Runner:
        if kind_id in KINDS and KINDS[kind_id].run is not run:
            raise ValueError(f"job kind {kind_id!r} is registered twice")
        KINDS[kind_id] = JobKind(kind_id, title, action, frozenset(arguments), run, retry or RetryPolicy(),
                                 territory, local_only, uploaded, internal)
        return run

    return wrap


def unregister(kind_id: str) -> None:
    """Remove a kind (tests register their own)."""
    KINDS.pop(kind_id, None)


def load_kinds() -> None:
    """Import the modules that register Tandau's own kinds (lazily: the CLI starts fast)."""
    from tandau.services.jobs import kinds  # noqa: F401  (registers on import)


def is_internal(kind_id: str) -> bool:
    """Whether ``kind_id`` is started by a Tandau service only and its arguments are hidden (an unknown kind: no)."""
    if kind_id not in KINDS:
        load_kinds()
    found = KINDS.get(kind_id)
    return found is not None and found.internal


def internal_kinds() -> tuple[str, ...]:
    """The ids of the internal kinds, sorted (the lists hide them unless asked; the purge takes them by default)."""
    load_kinds()
    return tuple(sorted(k.id for k in KINDS.values() if k.internal))


def get_kind(kind_id: str) -> JobKind:
    """The registered kind, or :class:`UnknownJobKindError`."""
    if kind_id not in KINDS:
        load_kinds()
    if kind_id not in KINDS:
        raise UnknownJobKindError(kind_id)
    return KINDS[kind_id]
