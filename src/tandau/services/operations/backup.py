"""Backup and restore of a PostgreSQL database with ``pg_dump -Fc`` and ``pg_restore`` (the restore drill).

The dump is PostgreSQL's custom format: compressed, restorable table by table, checked by ``pg_restore``.
It holds everything, sealed ballots and the audit log included, so it is as secret as the database
(docs/security.md: whoever holds a backup reads every byte; the ballots stay sealed to the election key).
The password travels in ``PGPASSWORD``, never on the command line (``ps`` shows arguments).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from tandau.errors import InputError, TandauError


class BackupError(TandauError):
    """``pg_dump`` or ``pg_restore`` failed; carries the tool and the last lines of its error output."""

    def __init__(self, tool: str, returncode: int, stderr: str) -> None:
        self.tool, self.returncode, self.stderr = tool, returncode, stderr
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        super().__init__(f"{tool} exited with {returncode}: {tail}")


def _libpq(url: str | URL) -> tuple[list[str], dict[str, str]]:
    """The connection arguments of ``url`` for the PostgreSQL tools, and the environment (password)."""
    parsed = make_url(url) if isinstance(url, str) else url
    if not parsed.drivername.startswith("postgresql"):
        raise InputError(f"backup and restore need a PostgreSQL URL, not {parsed.drivername}; copy a SQLite "
                         "file with sqlite3 .backup instead", parameter="--db")
    if not parsed.database:
        raise InputError("the URL names no database", parameter="--db")
    args = ["--dbname", parsed.database]
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = {**os.environ}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InputError(f"{name} is not installed; install the PostgreSQL client (apt install postgresql-client)",
                         parameter=name)
    return found


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(Path(cmd[0]).name, done.returncode, done.stderr)


def backup(url: str | URL, out: Path) -> Path:
    """Dump the database of ``url`` to ``out`` (custom format, written to a temporary name, then renamed)."""
    args, env = _libpq(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(tmp), *args], env)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return out


def restore(dump: Path, url: str | URL) -> None:
    """Restore ``dump`` into the (empty) database of ``url``, in one transaction: all of it or nothing."""
    if not dump.is_file():
        raise InputError(f"no dump file at {dump}", parameter="FILE")
    args, env = _libpq(url)
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
          *args, str(dump)], env)
