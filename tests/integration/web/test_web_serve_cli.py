"""``tandau serve`` is a top-level command with --db, --host, --port (registered by tandau.cli.serve)."""

from __future__ import annotations

from typer.testing import CliRunner

from tandau.cli import serve
from tandau.cli._app import new_app


def test_serve_command_options() -> None:
    app = new_app("test")
    serve.register(app)

    @app.command("other")
    def other() -> None:  # a second command keeps Typer in group mode
        """Nothing."""

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--workers"):
        assert option in result.output
