"""Alembic environment: runs the revisions on the connection given by ``upgrade``.

There is no ``alembic.ini``: :mod:`kek_geo.storage.migrate` builds the configuration and passes
an open connection (inside its transaction) as ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kek_geo.storage.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    msg = "run the migrations through kek_geo.storage.migrate.upgrade()"
    raise RuntimeError(msg)

context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
