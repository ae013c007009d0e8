"""The same dbt models on Spark, compared with DuckDB (`make test-spark`; not part of `make test`)."""
