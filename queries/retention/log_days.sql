-- Every reporting day that holds log data, with what decides its sealing.
-- Grain: one row per day. Columns: day, last_loaded_at (null: loaded before it was recorded), sealed_at
SELECT day, last_loaded_at, sealed_at FROM log_days ORDER BY day
