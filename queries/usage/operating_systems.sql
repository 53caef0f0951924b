-- Visitors by operating system. Grain: one row per OS. Columns: os, visitors, visits
SELECT os, sum(visitors) AS visitors, sum(visits) AS visits
FROM agg_daily WHERE day BETWEEN $start AND $end
GROUP BY 1 ORDER BY visitors DESC, os
LIMIT $limit
