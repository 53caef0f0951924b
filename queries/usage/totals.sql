-- Headline metrics for a date range and filters. Grain: one row.
-- Columns: visitors, visits, pageviews, bounces, duration_s (sums over usage_rows: agg_daily, or agg_pages
-- for the filtered page)
SELECT coalesce(sum(visitors), 0) AS visitors, coalesce(sum(visits), 0) AS visits,
       coalesce(sum(pageviews), 0) AS pageviews, coalesce(sum(bounces), 0) AS bounces,
       sum(duration_s) AS duration_s
FROM usage_rows($start, $end, $filters)
