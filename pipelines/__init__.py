"""chipwatch: the Dagster code (definitions.py), pure library code (lib/), thin wiring (defs/), the dashboard."""
