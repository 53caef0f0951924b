-- Visitors by ISO 3166-2 subdivision. Grain: one row per (country, subdivision).
-- Columns: country, region, pageviews, visitors
SELECT coalesce(country, 'unknown') AS country, coalesce(subdivision, 'unknown') AS region,
       sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM agg_daily
WHERE day BETWEEN $start AND $end
GROUP BY ALL
ORDER BY visitors DESC, region
LIMIT $limit
