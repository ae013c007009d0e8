"""chipwatch tests (make test)."""
