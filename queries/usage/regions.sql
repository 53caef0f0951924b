-- Visitors by region (ISO 3166-2). Grain: one row per country and region.
SELECT coalesce(country, 'unknown') AS country, coalesce(subdivision, 'unknown') AS region,
       sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM usage_rows($start, $end, $country, $region, $device, $browser, $source, $page)
GROUP BY ALL
ORDER BY visitors DESC, region
LIMIT $limit
