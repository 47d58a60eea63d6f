"""The command line starts, answers --version and runs as ``python -m tandau``."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from tandau import __version__
from tandau.cli.main import app


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"tandau {__version__}"


def test_python_dash_m() -> None:
    proc = subprocess.run([sys.executable, "-m", "tandau", "--help"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "Usage" in proc.stdout
