-- Visitors by country (ISO 3166-1 alpha-2; null = unknown). Grain: one row per country.
-- Columns: country, pageviews, visitors
SELECT coalesce(country, 'unknown') AS country, sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM usage_rows($start, $end, $filters)
GROUP BY ALL
ORDER BY visitors DESC, country
LIMIT $limit
