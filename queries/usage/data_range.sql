-- First and last day with aggregated log data. Grain: one row. Columns: first_day, last_day
SELECT min(day) AS first_day, max(day) AS last_day FROM agg_daily
