"""Online primaries: member roll, nominations, voting with tracking codes, results, roles and audit.

Each use case takes an SQLAlchemy ``Session`` and, for anything but reading public data, an
:class:`~tandau.services.primaries.access.Actor`; it checks authorization, does the work, appends to the
audit log and commits, so a web route or a CLI command calls it directly.
"""
