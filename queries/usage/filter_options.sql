-- Values the usage filters offer for a range, most visited first. Grain: one row per filter and value.
WITH visit_dims AS (
    SELECT site, country, region, device, browser, source, visitors
    FROM agg_daily WHERE day BETWEEN $start AND $end
)
SELECT filter, value, sum(visitors) AS weight
FROM (UNPIVOT visit_dims ON site, country, region, device, browser, source INTO NAME filter VALUE value)
GROUP BY ALL
UNION ALL
SELECT 'page', path, sum(pageviews)
FROM agg_pages WHERE day BETWEEN $start AND $end GROUP BY ALL
ORDER BY filter, weight DESC, value
