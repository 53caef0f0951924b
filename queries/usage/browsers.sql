-- Visitors by browser family. Grain: one row per browser. Columns: browser, visitors, visits
SELECT browser, sum(visitors) AS visitors, sum(visits) AS visits
FROM agg_daily WHERE day BETWEEN $start AND $end
GROUP BY 1 ORDER BY visitors DESC, browser
LIMIT $limit
