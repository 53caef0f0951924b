-- Traffic sources (a visit's first source). Grain: one row per source.
SELECT coalesce(source, 'Direct') AS source, any_value(source_kind) AS source_kind, sum(visits) AS visits,
       sum(visitors) AS visitors, sum(bounces) AS bounces
FROM usage_rows($start, $end, $filters)
GROUP BY 1
ORDER BY visits DESC, source
LIMIT $limit
