-- Visitors and visits by operating system family. Grain: one row per OS.
SELECT os, sum(visitors) AS visitors, sum(visits) AS visits
FROM usage_rows($start, $end, $country, $region, $device, $browser, $source, $page)
GROUP BY 1 ORDER BY visitors DESC, os
LIMIT $limit
