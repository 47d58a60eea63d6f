"""The hook through which a committed ballot is counted, without the member, the selection or the code.

The ballot paths (:func:`tandau.services.primaries.voting.cast_ballot` and the fast lane) call
:func:`ballot_accepted` once a ballot is committed. Who listens is bound per request by a context variable
(:func:`listening`), so two apps in one process (tests) each count their own ballots, and code outside a
request (the CLI, the demo) counts nothing.

>>> seen = []
>>> with listening(lambda path: seen.append(path)):
...     ballot_accepted("reference")
>>> ballot_accepted("reference")  # nobody listens: nothing happens
>>> seen
['reference']
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Listener = Callable[[str], None]

_LISTENER: ContextVar[Listener | None] = ContextVar("tandau_ballot_listener", default=None)
log = logging.getLogger("tandau.primaries.voting")


def ballot_accepted(path: str) -> None:
    """A ballot was committed on ``path`` (``fast`` or ``reference``): log it and tell the listener."""
    log.info("ballot accepted (%s path)", path)
    listener = _LISTENER.get()
    if listener is not None:
        listener(path)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Within the block (and the tasks and threads it starts), :func:`ballot_accepted` calls ``listener``."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)
