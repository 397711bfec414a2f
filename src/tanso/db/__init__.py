"""Database access: engine, embedded server, migrations and the bulk loader."""
