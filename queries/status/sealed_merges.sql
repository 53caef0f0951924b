-- Late lines merged into sealed days, newest first, with the run that merged them.
-- Grain: one row per run and sealed day. Columns: merged_at, run_id, day, lines
SELECT merged_at, run_id, day, lines FROM sealed_merges ORDER BY merged_at DESC, day LIMIT $limit
