"""Alembic environment: runs migrations on the engine passed by :mod:`tandau.store.migrate`.

Importing this module outside Alembic (pytest collects doctests) does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Engine

from tandau.store.models import Base


def run_migrations_online() -> None:
    """Run every pending revision in one connection."""
    config = context.config
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:
        from tandau.store.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if getattr(context, "_proxy", None) is not None:  # only when Alembic runs this file
    run_migrations_online()
