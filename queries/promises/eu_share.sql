-- Visitors and inquiries from the EU/EEA ($eea: ISO alpha-2 codes) between $start and $end. Grain: one row.
-- Columns: visitors, eu_visitors, inquiries, eu_inquiries
SELECT
    (SELECT coalesce(sum(visitors), 0) FROM agg_daily WHERE day BETWEEN $start AND $end) AS visitors,
    (SELECT coalesce(sum(visitors), 0) FROM agg_daily
     WHERE day BETWEEN $start AND $end AND list_contains($eea::VARCHAR[], country)) AS eu_visitors,
    (SELECT count(*) FROM inquiries WHERE day BETWEEN $start AND $end) AS inquiries,
    (SELECT count(*) FROM inquiries
     WHERE day BETWEEN $start AND $end AND list_contains($eea::VARCHAR[], country)) AS eu_inquiries
