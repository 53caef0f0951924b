-- Rows past their retention. Grain: one row. Columns: events, visits, log_rejects, ingest_runs
-- $cutoff: first day kept for pseudonymized events and visits; $runs_cutoff: oldest run kept.
SELECT
    (SELECT count(*) FROM events WHERE day < $cutoff) AS events,
    (SELECT count(*) FROM visits WHERE day < $cutoff) AS visits,
    (SELECT count(*) FROM log_rejects r JOIN ingest_runs i USING (run_id) WHERE i.started_at < $runs_cutoff) AS log_rejects
