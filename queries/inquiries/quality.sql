-- Data-quality findings of the latest import of each source (each import re-reads the whole export).
WITH latest AS (
    SELECT kind AS source, arg_max(run_id, started_at) AS run_id
    FROM ingest_runs WHERE kind IN ('inquiries', 'rights') AND status = 'ok' GROUP BY kind
)
SELECT d.source, d.field, d.issue, d.raw_value, d.rows, d.recorded_at
FROM data_quality d JOIN latest l ON l.source = d.source AND l.run_id = d.run_id
ORDER BY d.rows DESC, d.source, d.field, d.issue, d.raw_value
