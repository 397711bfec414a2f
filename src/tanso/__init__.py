"""Tanso (탄소): carbon-neutrality analytics — catalog → pipelines → PostgreSQL → apps and reports."""

__version__ = "0.1.0"
