"""``tandau worker``: the top-level command (its code is in :mod:`tandau.cli.jobs`)."""

from tandau.cli.jobs import register

__all__ = ["register"]
