-- Visitors and visits by operating system family. Grain: one row per OS.
SELECT os, sum(visitors) AS visitors, sum(visits) AS visits
FROM usage_rows($start, $end, $filters)
GROUP BY 1 ORDER BY visitors DESC, os
LIMIT $limit
