-- Visitors by region (ISO 3166-2). Grain: one row per country and region.
SELECT coalesce(country, 'unknown') AS country, coalesce(region, 'unknown') AS region,
       sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM usage_rows($start, $end, $filters)
GROUP BY ALL
ORDER BY visitors DESC, region
LIMIT $limit
