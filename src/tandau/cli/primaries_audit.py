"""``tandau audit``: the audit-log commands (an alias group of ``tandau primaries``)."""

from tandau.cli.primaries import audit_app as app

__all__ = ["app"]
