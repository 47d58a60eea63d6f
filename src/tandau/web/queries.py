"""The read models moved to :mod:`tandau.services.primaries.read` (issue 10: routers stay thin, services read);
this module only keeps the old names for callers that still import them."""

from __future__ import annotations

from tandau.services.primaries.read import (
    NominationRow,
    all_contests,
    bulletin_bytes,
    bulletin_header,
    manageable_contests,
    nominations_of,
)

__all__ = [
    "NominationRow",
    "all_contests",
    "bulletin_bytes",
    "bulletin_header",
    "manageable_contests",
    "nominations_of",
]
