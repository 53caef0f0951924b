-- Delete pseudonymized rows past retention. Aggregates (agg_*) are anonymous and kept.
-- Parameters: $cutoff (first day kept), $runs_cutoff (timestamp: rejects of older runs go)
DELETE FROM events WHERE day < $cutoff;
DELETE FROM visits WHERE day < $cutoff;
DELETE FROM log_rejects WHERE run_id IN (SELECT run_id FROM ingest_runs WHERE started_at < $runs_cutoff);
