"""The store (a SQLite file, or PostgreSQL): schema by numbered migrations, one transaction per
article, queries; store/engine.py holds what differs between the engines."""

from store.db import open_db

__all__ = ["open_db"]
