-- The CREATE TABLE statement of each of $tables (VARCHAR[]), from a freshly migrated in-memory warehouse: the
-- Spark job (etl/ingest/logs/spark_job.py) creates the same tables in each executor's DuckDB. Grain: one row per table.
SELECT table_name, sql FROM duckdb_tables() WHERE list_contains($tables, table_name) ORDER BY table_name
