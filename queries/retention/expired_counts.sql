-- Rows past their retention. Grain: one row. Columns: events, visits, log_rejects, inquiries, rights_requests
-- $cutoff: first day kept for pseudonymized events and visits of $sealed days (DATE[]; open days keep theirs);
-- $runs_cutoff: oldest run kept; $inquiry_cutoff: first day of inquiries kept; $rights_cutoff: closed requests
-- closed before it go.
SELECT
    (SELECT count(*) FROM events WHERE day < $cutoff AND list_contains($sealed::DATE[], day)) AS events,
    (SELECT count(*) FROM visits WHERE day < $cutoff AND list_contains($sealed::DATE[], day)) AS visits,
    (SELECT count(*) FROM log_rejects r JOIN ingest_runs i USING (run_id) WHERE i.started_at < $runs_cutoff) AS log_rejects,
    (SELECT count(*) FROM inquiries WHERE day < $inquiry_cutoff) AS inquiries,
    (SELECT count(*) FROM rights_requests WHERE closed_on < $rights_cutoff) AS rights_requests
