"""``python -m tandau`` runs the command line."""

from tandau.cli.main import main

if __name__ == "__main__":  # pragma: no cover - exercised by a subprocess test
    main()
