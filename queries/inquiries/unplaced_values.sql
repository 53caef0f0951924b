-- The place names of the latest inquiry import that the gazetteer could not place, most frequent first.
-- Grain: one row per field, issue, country and value as typed (only values that cannot identify anyone are kept,
-- truncated to 40 characters at import). candidates: the places an ambiguous name could be. $country (NULL for
-- all) keeps one country's values.
WITH latest AS (
    SELECT arg_max(run_id, started_at) AS run_id FROM ingest_runs WHERE kind = 'inquiries' AND status = 'ok'
),
final AS (
    SELECT d.field, d.issue, coalesce(d.country, 'unknown') AS country, d.raw_value, d.candidates, d.rows
    FROM data_quality d JOIN latest l ON d.run_id = l.run_id
    WHERE d.source = 'inquiries' AND d.field IN ('country', 'province_city', 'district') AND d.raw_value IS NOT NULL
)
SELECT * FROM final WHERE $country IS NULL OR country = $country
ORDER BY rows DESC, field, country, raw_value LIMIT $limit
