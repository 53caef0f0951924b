-- How fresh the web data is, for the overview's strip. Grain: one row.
-- Columns: last_log_line (the newest request held, UTC), last_load (end of the last successful log ingest),
-- read_last / rejected_last (lines of that run), read_before / rejected_before (the ten successful log runs
-- before it, to tell a jump in rejected lines).
WITH runs AS (
    SELECT finished_at, lines_read, lines_rejected, row_number() OVER (ORDER BY started_at DESC) AS n
    FROM ingest_runs
    WHERE kind = 'logs' AND status = 'ok'
)
SELECT (SELECT max(ts) FROM events) AS last_log_line,
       (SELECT max(finished_at) FROM runs) AS last_load,
       (SELECT coalesce(sum(lines_read), 0) FROM runs WHERE n = 1) AS read_last,
       (SELECT coalesce(sum(lines_rejected), 0) FROM runs WHERE n = 1) AS rejected_last,
       (SELECT coalesce(sum(lines_read), 0) FROM runs WHERE n BETWEEN 2 AND 11) AS read_before,
       (SELECT coalesce(sum(lines_rejected), 0) FROM runs WHERE n BETWEEN 2 AND 11) AS rejected_before
