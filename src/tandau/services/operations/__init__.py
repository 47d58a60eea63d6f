"""Operations: readiness of the database, the ballot-accepted hook that metrics listen to, backup and restore.

- :mod:`.readiness`: :func:`check_ready` (the database answers and is at the Alembic head).
- :mod:`.events`: :func:`ballot_accepted`, called where a ballot is committed; a listener (the metrics of
  one app) is bound per request, and never receives the member, the selection or the tracking code.
- :mod:`.backup`: :func:`backup` / :func:`restore` with ``pg_dump -Fc`` / ``pg_restore`` (PostgreSQL).
- :mod:`.drill`: :func:`recount_all` rebuilds and recounts every published bulletin (after a restore).
"""

from tandau.services.operations.backup import BackupError, backup, restore
from tandau.services.operations.drill import Recounted, recount_all
from tandau.services.operations.events import ballot_accepted, listening
from tandau.services.operations.readiness import Readiness, check_ready

__all__ = [
    "BackupError", "Readiness", "Recounted", "backup", "ballot_accepted", "check_ready", "listening", "recount_all",
    "restore",
]
