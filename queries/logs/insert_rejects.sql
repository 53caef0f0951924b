-- Staged rejects of one file: line number, reason and a masked excerpt.
INSERT INTO log_rejects (run_id, file_key, file_name, line_no, reason, excerpt)
SELECT $run_id, $file_key, $file_name, line_no, reason, excerpt FROM read_parquet($files)
