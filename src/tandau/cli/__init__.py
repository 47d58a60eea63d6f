"""The command line (Typer + Rich). Thin: parse, call a service or the core, format."""
