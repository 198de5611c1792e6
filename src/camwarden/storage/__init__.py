"""State in a relational database: SQLite by default, PostgreSQL when configured."""

from camwarden.storage.database import Database, open_database

__all__ = ["Database", "open_database"]
