"""Pure code with no Dagster imports: clients, parsers, landing, publishing, settings."""
