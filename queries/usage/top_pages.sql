-- Pages by pageviews under the filters. Grain: one row per path.
SELECT path, sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM page_rows($start, $end, $filters)
GROUP BY path
ORDER BY pageviews DESC, path
LIMIT $limit
