-- The sites the warehouse has requests of (agg_status counts every request, a bot's too). Grain: one row per site.
-- Columns: site
SELECT DISTINCT site FROM agg_status WHERE site IS NOT NULL ORDER BY site
