"""The SQLite store: schema by numbered migrations, one transaction per article, queries."""

from store.db import open_db

__all__ = ["open_db"]
