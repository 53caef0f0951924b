-- Cap the memory DuckDB uses in this connection; larger loads and rebuilds spill to a temp directory.
SET memory_limit = $limit;
-- Loads and rebuilds need no particular row order, which lets DuckDB insert in parallel.
SET preserve_insertion_order = false;
