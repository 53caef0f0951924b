-- Visitors by device type. Grain: one row per device. Columns: device, visitors, visits
SELECT device, sum(visitors) AS visitors, sum(visits) AS visits
FROM agg_daily WHERE day BETWEEN $start AND $end
GROUP BY 1 ORDER BY visitors DESC, device
