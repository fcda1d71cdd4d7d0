"""Persistence: SQLModel tables, repositories that return core dataclasses, migrations."""
