-- Headline metrics for a date range. Grain: one row.
-- Columns: visitors, visits, pageviews, bounces, duration_s (sums over agg_daily)
SELECT coalesce(sum(visitors), 0) AS visitors, coalesce(sum(visits), 0) AS visits,
       coalesce(sum(pageviews), 0) AS pageviews, coalesce(sum(bounces), 0) AS bounces,
       coalesce(sum(duration_s), 0) AS duration_s
FROM agg_daily
WHERE day BETWEEN $start AND $end
