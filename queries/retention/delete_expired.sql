-- Delete rows past retention. Aggregates (agg_*) are anonymous and kept; the audit log is append-only.
-- Parameters: $cutoff (first day kept), $sealed (DATE[]: sealed days; an open day's events are kept whatever
-- their age, so that a later run can rebuild it exactly), $runs_cutoff (timestamp: rejects of older runs go),
-- $inquiry_cutoff (first inquiry day kept), $rights_cutoff (closed requests closed before it go)
DELETE FROM events WHERE day < $cutoff AND list_contains($sealed::DATE[], day);
DELETE FROM visits WHERE day < $cutoff AND list_contains($sealed::DATE[], day);
DELETE FROM log_rejects WHERE run_id IN (SELECT run_id FROM ingest_runs WHERE started_at < $runs_cutoff);
DELETE FROM inquiries WHERE day < $inquiry_cutoff;
DELETE FROM rights_requests WHERE closed_on < $rights_cutoff;
