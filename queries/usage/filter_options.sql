-- Values the usage filters offer for a range, most visited first. Grain: one row per filter and value.
SELECT 'country' AS filter, country AS value, sum(visitors) AS weight
FROM agg_daily WHERE day BETWEEN $start AND $end AND country IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'region', subdivision, sum(visitors)
FROM agg_daily WHERE day BETWEEN $start AND $end AND subdivision IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'device', device, sum(visitors)
FROM agg_daily WHERE day BETWEEN $start AND $end AND device IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'browser', browser, sum(visitors)
FROM agg_daily WHERE day BETWEEN $start AND $end AND browser IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'source', source, sum(visitors)
FROM agg_daily WHERE day BETWEEN $start AND $end AND source IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'page', path, sum(pageviews)
FROM agg_pages WHERE day BETWEEN $start AND $end GROUP BY ALL
ORDER BY filter, weight DESC, value
