"""Alembic environment: runs on the connection that storage.migrate hands over."""

from alembic import context

from storage.sql.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `atelier migrate` (storage.migrate), which passes a connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite rebuilds tables for most ALTERs
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
