-- Inquiries by country (ISO 3166-1 alpha-2 or 'unknown'), of the place filters ($country, $region; NULL for
-- all). Grain: one row per country.
SELECT country, count(*) AS inquiries
FROM inquiries WHERE day BETWEEN $start AND $end
  AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
GROUP BY ALL ORDER BY inquiries DESC, country
