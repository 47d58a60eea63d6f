"""Alembic environment and revisions of the primaries schema."""
