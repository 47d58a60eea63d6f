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
        sqlite = connection.dialect.name == "sqlite"
        driver = connection.connection.driver_connection
        if sqlite:
            # SQLite alters a table by copying it into a new one and dropping the old (Alembic's batch mode);
            # with foreign keys enforced, dropping a table that other rows reference fails (seen upgrading a
            # database with contests to 0007). Checks go off for the migration, on the driver's connection
            # before any transaction (the pragma is ignored inside one), and every reference is verified after.
            assert driver is not None
            driver.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left {len(broken)} broken reference(s): {broken[:5]}")
            connection.commit()
        finally:
            if sqlite and driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")


if getattr(context, "_proxy", None) is not None:  # only when Alembic runs this file
    run_migrations_online()
