-- Entry pages (first page of a visit) under the filters. Grain: one row per path.
SELECT path, sum(entries) AS visits, sum(bounces) AS bounces
FROM page_rows($start, $end, $filters)
WHERE entries > 0
GROUP BY path
ORDER BY visits DESC, path
LIMIT $limit
