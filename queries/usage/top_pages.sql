-- Most viewed pages. Grain: one row per path. Columns: path, pageviews, visitors
SELECT path, sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM agg_pages
WHERE day BETWEEN $start AND $end
GROUP BY path
ORDER BY pageviews DESC, path
LIMIT $limit
