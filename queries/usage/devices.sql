-- Visitors and visits by device type. Grain: one row per device type.
SELECT device, sum(visitors) AS visitors, sum(visits) AS visits
FROM usage_rows($start, $end, $filters)
GROUP BY 1 ORDER BY visitors DESC, device
