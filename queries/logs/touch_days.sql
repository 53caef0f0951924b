-- Record that this run loaded lines of $days (DATE[]) at $loaded_at: an open day's sealing moves later.
INSERT INTO log_days (day, last_loaded_at)
SELECT unnest($days::DATE[]), $loaded_at
ON CONFLICT (day) DO UPDATE SET last_loaded_at = excluded.last_loaded_at
