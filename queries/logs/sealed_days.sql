-- Reporting days whose salt was destroyed: a late line of one of them is merged, never rebuilt.
-- Grain: one row per sealed day. Columns: day
SELECT day FROM log_days WHERE sealed_at IS NOT NULL ORDER BY day
