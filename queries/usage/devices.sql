-- Visitors and visits by device type. Grain: one row per device type.
SELECT device, sum(visitors) AS visitors, sum(visits) AS visits
FROM usage_rows($start, $end, $country, $region, $device, $browser, $source, $page)
GROUP BY 1 ORDER BY visitors DESC, device
