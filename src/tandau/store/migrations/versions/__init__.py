"""Alembic revisions; each file is immutable history once released."""
