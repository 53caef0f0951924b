-- Visits by acquisition source (utm_source, else referrer classification). Grain: one row per source.
-- Columns: source, source_kind, visits, visitors, bounces
SELECT coalesce(source, 'Direct') AS source, any_value(source_kind) AS source_kind, sum(visits) AS visits,
       sum(visitors) AS visitors, sum(bounces) AS bounces
FROM agg_daily
WHERE day BETWEEN $start AND $end
GROUP BY 1
ORDER BY visits DESC, source
LIMIT $limit
