"""``tandau serve``: run the web application (JSON API, voter and secretary pages) with uvicorn."""

from __future__ import annotations

import typer

from tandau.cli._app import out_console
from tandau.cli._db import DB


def serve(
    db: str | None = DB,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (development: loopback only)."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes (stateless; share the database)."),
    upgrade: bool = typer.Option(True, "--upgrade/--no-upgrade", help="Apply database migrations first."),
) -> None:
    """Serve the primaries on HOST:PORT (the app tier is stateless: run several behind a load balancer).

    The environment is production unless TANDAU_ENVIRONMENT=development: production refuses default or short
    secrets and the console sender of one-time codes; development refuses any address but loopback."""
    import os

    import uvicorn
    from sqlalchemy.engine import make_url

    from tandau.settings import get_settings
    from tandau.store.engine import database_url, make_engine

    url = database_url(db)
    # the app (here or in worker processes) reads its settings from the environment: set the database there
    # first, and forget settings read before, or the app would open the default database instead of --db
    os.environ["TANDAU_DATABASE_URL"] = url
    get_settings.cache_clear()
    settings = get_settings()
    settings.check_host(host)  # development (default secrets, codes on the page) stays on loopback
    settings.check_safe()  # refuse default secrets outside development before binding a port
    if upgrade:
        from tandau.store.migrate import upgrade as migrate

        engine = make_engine(url)
        try:
            migrate(engine)
        finally:
            engine.dispose()
    shown = make_url(url).render_as_string(hide_password=True)
    out_console.print(f"serving Tandau on http://{host}:{port} (database {shown})")
    uvicorn.run("tandau.web.asgi:app", host=host, port=port, workers=workers, log_level="info",
                proxy_headers=True, server_header=False)


def register(app: typer.Typer) -> None:
    """Add the top-level ``serve`` command."""
    app.command("serve")(serve)
