-- Inquiries by region (ISO 3166-2 or 'unknown'). Grain: one row per country and region.
SELECT country, region, count(*) AS inquiries
FROM inquiries WHERE day BETWEEN $start AND $end
GROUP BY ALL ORDER BY inquiries DESC, country, region
