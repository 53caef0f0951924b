-- Cap the memory DuckDB uses in this connection; larger loads and rebuilds spill to a temp directory.
SET memory_limit = $limit
