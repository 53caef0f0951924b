-- Inquiries by country (ISO 3166-1 alpha-2 or 'unknown'). Grain: one row per country.
SELECT country, count(*) AS inquiries
FROM inquiries WHERE day BETWEEN $start AND $end
GROUP BY ALL ORDER BY inquiries DESC, country
