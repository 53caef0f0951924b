-- Record one finished (or failed) ingest run.
INSERT INTO ingest_runs (run_id, kind, started_at, finished_at, files, lines_read, lines_loaded, lines_rejected,
                         lines_skipped, status)
VALUES ($run_id, $kind, $started_at, $now, $files, $lines_read, $lines_loaded, $lines_rejected, $lines_skipped,
        $status)
ON CONFLICT (run_id) DO UPDATE SET finished_at = $now, status = excluded.status
