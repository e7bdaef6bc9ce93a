"""Alembic migrations of the storage layer (run by :func:`kek_geo.storage.migrate.upgrade`)."""
