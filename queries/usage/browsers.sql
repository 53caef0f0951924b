-- Visitors and visits by browser family. Grain: one row per browser.
SELECT browser, sum(visitors) AS visitors, sum(visits) AS visits
FROM usage_rows($start, $end, $filters)
GROUP BY 1 ORDER BY visitors DESC, browser
LIMIT $limit
