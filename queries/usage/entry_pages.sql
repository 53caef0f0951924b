-- Pages where visits start. Grain: one row per path. Columns: path, visits, bounces
SELECT path, sum(entries) AS visits, sum(bounces) AS bounces
FROM agg_pages
WHERE day BETWEEN $start AND $end AND entries > 0
GROUP BY path
ORDER BY visits DESC, path
LIMIT $limit
