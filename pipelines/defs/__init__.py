"""Thin Dagster wiring: one module per source, dbt, publishing."""
